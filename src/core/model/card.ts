// The model card: read from a sidecar `<model>.json` or the ONNX metadata (`sightline.card`),
// validated leniently (unknown keys kept, never fatal), then resolved against the graph into the
// exact preprocessing and output handling the engine uses. Defaults fill what the card leaves out.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { ApiError, formatZodError } from '../../api/contract';
import { ModelCardSchema, type ConceptModel, type ModelCard, type ModelInfo, type ResolvedPreprocessing } from '../../api/schemas';
import { elemTypeLabel } from '../autodiff/onnx/tensor';
import type { OnnxModelInfo } from './onnx-info';
import { resolveDicomInput } from '../dicom/model-input';

export interface LoadedCard {
  card: ModelCard;
  source: ModelInfo['cardSource'];
  warnings: string[];
}

export function sidecarPath(modelPath: string): string {
  const ext = extname(modelPath);
  return (ext ? modelPath.slice(0, -ext.length) : modelPath) + '.json';
}

export async function loadModelCard(modelPath: string, onnx: OnnxModelInfo): Promise<LoadedCard> {
  const warnings: string[] = [];
  const path = sidecarPath(modelPath);
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    text = null;
  }
  if (text !== null) {
    const card = parseCard(text, `the model card ${path}`);
    return { card, source: 'sidecar', warnings };
  }
  const embedded = onnx.metadata['sightline.card'];
  if (embedded) return { card: parseCard(embedded, `the ONNX metadata entry sightline.card of ${modelPath}`), source: 'metadata', warnings };
  warnings.push('No model card: labels, scaling and normalisation use defaults (pixels scaled to 0–1, no mean/std). Add a sidecar JSON to set them.');
  return { card: {}, source: 'defaults', warnings };
}

function parseCard(text: string, where: string): ModelCard {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError('BAD_MODEL', `${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ModelCardSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_MODEL', `${where} is invalid: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** Combines the graph's facts with the card into the ModelInfo the api returns. */
export function resolveModelInfo(id: string, path: string, onnx: OnnxModelInfo, loaded: LoadedCard): ModelInfo {
  const { card } = loaded;
  const warnings = [...loaded.warnings];
  const inputName = card.input?.name ?? onnx.inputs[0].name;
  const input = onnx.inputs.find((i) => i.name === inputName);
  if (!input) throw new ApiError('BAD_MODEL', `The model card names input "${inputName}", but the model's inputs are ${onnx.inputs.map((i) => i.name).join(', ')}`);
  if (onnx.inputs.length > 1) warnings.push(`The model has ${onnx.inputs.length} inputs; Sightline feeds the image into "${input.name}" only.`);
  if (input.elemType !== 1) throw new ApiError('BAD_MODEL', `The model's input "${input.name}" is ${elemTypeLabel(input.elemType)}; Sightline feeds float32 image tensors`);
  if (input.shape.length !== 4) {
    throw new ApiError('BAD_MODEL', `The model's input "${input.name}" has rank ${input.shape.length} (shape [${input.shape.join(', ')}]); an image classifier takes a 4-D [N, C, H, W] or [N, H, W, C] tensor`);
  }
  if (input.shape[0] > 1) {
    throw new ApiError(
      'BAD_MODEL',
      `The model's input "${input.name}" has a fixed batch of ${input.shape[0]} (shape [${input.shape.join(', ')}]); Sightline runs one image, or batches it sizes itself, so it needs a batch axis of 1 or a dynamic one — export the model again with batch 1 or a dynamic batch axis`,
    );
  }
  const layout = card.input?.layout ?? guessLayout(input.shape);
  const cardShape = card.input?.shape;
  const dims = input.shape.map((d, i) => (d > 0 ? d : (cardShape?.[i] ?? -1)));
  const [channels, height, width] = layout === 'NCHW' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]];
  if (!(channels > 0 && height > 0 && width > 0)) {
    throw new ApiError('BAD_MODEL', `The model's input "${input.name}" has a dynamic size [${input.shape.join(', ')}]; set input.shape in the model card (e.g. [1, 3, 224, 224])`);
  }
  const outputName = card.output?.name ?? onnx.outputs[0].name;
  const output = onnx.outputs.find((o) => o.name === outputName);
  if (!output) throw new ApiError('BAD_MODEL', `The model card names output "${outputName}", but the model's outputs are ${onnx.outputs.map((o) => o.name).join(', ')}`);
  const classDims = output.shape.slice(1).filter((d) => d !== 1);
  const numClasses = card.labels?.length ?? (classDims.length === 1 && classDims[0] > 0 ? classDims[0] : 0);
  if (numClasses <= 0) throw new ApiError('BAD_MODEL', `Cannot tell the number of classes from output "${output.name}" [${output.shape.join(', ')}]; list the labels in the model card`);
  const labels = card.labels ?? Array.from({ length: numClasses }, (_, i) => `class ${i}`);
  const preprocessing: ResolvedPreprocessing = {
    layout,
    channels,
    height,
    width,
    channelOrder: card.input?.channelOrder ?? 'RGB',
    scale: card.input?.scale ?? 1 / 255,
    mean: perChannel(card.input?.mean, channels, 0, 'mean'),
    std: perChannel(card.input?.std, channels, 1, 'std'),
    colorToGray: card.input?.colorToGray ?? null,
    resize: card.input?.resize ?? 'stretch',
    // Absent without a card section: a DICOM input then shows the model the file's own window.
    ...(card.dicom ? { dicom: resolveDicomInput(card.dicom) } : {}),
  };
  if (preprocessing.std.some((s) => s === 0)) throw new ApiError('BAD_MODEL', 'The model card has a zero in input.std');
  const activation = card.output?.activation ?? (numClasses === 1 ? 'sigmoid' : 'softmax');
  return {
    id,
    path,
    name: card.name ?? basename(path, extname(path)),
    version: card.version ?? null,
    sha256: onnx.sha256,
    opset: onnx.opset,
    inputName: input.name,
    inputShape: input.shape,
    dynamicBatch: input.shape[0] <= 0,
    outputName: output.name,
    numClasses,
    labels,
    activation,
    preprocessing,
    targetLayer: card.explainer?.targetLayer ?? null,
    tokenLayout: card.explainer?.tokenLayout ?? null,
    cardSource: loaded.source,
    ...(card.demo ? { demo: true, disclaimer: card.disclaimer ?? 'Demonstration — not for clinical use.' } : {}),
    concepts: resolveConcepts(card, path, onnx, warnings),
    warnings,
  };
}

/** The model's input dims after the batch axis: [C, H, W] for NCHW, [H, W, C] for NHWC. */
export function modelInputDims(model: ModelInfo): number[] {
  const p = model.preprocessing;
  return p.layout === 'NCHW' ? [p.channels, p.height, p.width] : [p.height, p.width, p.channels];
}

/** The card's concept section checked against the graph; the label head's path made absolute. */
function resolveConcepts(card: ModelCard, path: string, onnx: OnnxModelInfo, warnings: string[]): ConceptModel | null {
  const section = card.concepts;
  if (!section) return null;
  if (!onnx.outputs.some((o) => o.name === section.output)) {
    warnings.push(`The model card's concepts.output "${section.output}" is not an output of the model (${onnx.outputs.map((o) => o.name).join(', ')}); concepts are not shown`);
    return null;
  }
  const head = section.labelHead;
  return {
    output: section.output,
    names: section.names,
    labelHead: head ? { path: resolve(dirname(path), head.path), input: head.input ?? 'concepts', output: head.output ?? 'logits' } : null,
  };
}

function guessLayout(shape: number[]): 'NCHW' | 'NHWC' {
  // Channels are few (1, 3, 4); spatial sizes are larger.
  const small = (d: number) => d > 0 && d <= 4;
  if (small(shape[3]) && !small(shape[1])) return 'NHWC';
  return 'NCHW';
}

function perChannel(values: number[] | undefined, channels: number, fill: number, key: string): number[] {
  if (!values) return Array.from({ length: channels }, () => fill);
  if (values.length === channels) return values;
  if (values.length === 1) return Array.from({ length: channels }, () => values[0]);
  throw new ApiError('BAD_MODEL', `The model card's input.${key} has ${values.length} values but the model takes ${channels} channel(s)`);
}
