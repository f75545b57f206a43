// Concept bottleneck models (recognised from the model card's `concepts` section): the concept
// values of an image (a second graph output) and the label head run alone on concept values —
// what an intervention does when a clinician overrides a concept (Koh et al., ICML 2020).
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../api/contract';
import type { ConceptOverride } from '../../api/demo-schemas';
import type { ConceptModel, ModelInfo, ProviderPreference } from '../../api/schemas';
import { modelInputDims } from './card';
import type { SessionCache } from './session';

export function requireConcepts(model: ModelInfo): ConceptModel {
  if (!model.concepts) throw new ApiError('BAD_PARAMS', `${model.name} is not a concept bottleneck model (its card has no concepts section)`);
  return model.concepts;
}

/** The concept values of one prepared input ([1, …] tensor data). */
export async function conceptValues(sessions: SessionCache, model: ModelInfo, data: Float32Array, preference: ProviderPreference): Promise<Float32Array> {
  const concepts = requireConcepts(model);
  const { session } = await sessions.get(model.path, model.sha256, preference);
  const results = await session.run({ [model.inputName]: new ort.Tensor('float32', data, [1, ...modelInputDims(model)]) }, [concepts.output]);
  return conceptOutput(model, results);
}

/**
 * The concept values among the outputs of a session run that fetched the card's concept output
 * (with the logits, for a prediction: one run gives both).
 */
export function conceptOutput(model: ModelInfo, results: ort.InferenceSession.ReturnType): Float32Array {
  const concepts = requireConcepts(model);
  const values = results[concepts.output].data as Float32Array;
  if (values.length !== concepts.names.length) {
    throw new ApiError('BAD_MODEL', `The concept output "${concepts.output}" has ${values.length} values; the card names ${concepts.names.length} concepts`);
  }
  return values;
}

/** The model's concept values with the clinician's overrides applied. */
export function applyOverrides(predicted: ArrayLike<number>, overrides: readonly ConceptOverride[]): number[] {
  const values = Array.from(predicted);
  for (const { index, value } of overrides) {
    if (index >= values.length) throw new ApiError('BAD_PARAMS', `Concept ${index} does not exist: the model has ${values.length} concepts (0–${values.length - 1})`);
    values[index] = value;
  }
  return values;
}

/** The label head's logits for one concept vector. */
export async function labelHeadLogits(sessions: SessionCache, model: ModelInfo, concepts: readonly number[], preference: ProviderPreference): Promise<Float32Array> {
  const head = requireConcepts(model).labelHead;
  if (!head) throw new ApiError('BAD_MODEL', `${model.name}'s card names no label head (concepts.labelHead); interventions need it`);
  // The label head has no hash of its own here; its path within the model's card identifies it.
  const { session } = await sessions.get(head.path, `label-head:${model.sha256}:${head.path}`, preference);
  const results = await session.run({ [head.input]: new ort.Tensor('float32', Float32Array.from(concepts), [1, concepts.length]) }, [head.output]);
  const logits = results[head.output].data as Float32Array;
  if (logits.length !== model.numClasses) throw new ApiError('BAD_MODEL', `The label head gives ${logits.length} logits; the model has ${model.numClasses} classes`);
  return logits;
}
