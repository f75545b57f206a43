// The gradient runner an explainer gets: for a batch of inputs and per-image seeds it returns the
// logits, the input gradient and the requested layers' activations and gradients, from one run of
// a transformed model. Gradient sessions are separate from the forward-only one and created lazily,
// one per (batch, layers, rule set, score), from the on-disk cache of transformed models.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../api/contract';
import type { ModelInfo, ProviderPreference } from '../../api/schemas';
import type { GradientRequest, GradientResult, GradientRunner } from '../explain/types';
import { modelInputDims } from '../model/card';
import type { SessionCache } from '../model/session';
import { gradientModel, gradientModelKey, type GradientModel, type GradientModelSpec } from './model-cache';

export interface GradientRunnerOptions {
  model: ModelInfo;
  sessions: SessionCache;
  preference: ProviderPreference;
  /** folder of the transformed-model cache (default: the platform cache folder) */
  cacheDir?: string;
  /** largest batch per run (memory grows with it; the forward's activations are kept for the backward) */
  maxBatch?: number;
}

interface Prepared {
  spec: GradientModelSpec;
  gradientModel: GradientModel;
  session: ort.InferenceSession;
  provider: string;
}

export function createGradientRunner(options: GradientRunnerOptions): GradientRunner {
  const { model, sessions, preference } = options;
  const dims = modelInputDims(model);
  const perInput = dims.reduce((a, b) => a * b, 1);
  const maxBatch = model.dynamicBatch ? (options.maxBatch ?? 32) : 1;
  const prepared = new Map<string, Promise<Prepared>>();
  let lastProvider: string | null = null;

  const prepare = (request: GradientRequest): Promise<Prepared> => {
    const layers = [...new Set(request.layers ?? [])].sort();
    const wantInput = request.inputGradient ?? true;
    const spec: GradientModelSpec = {
      modelPath: model.path,
      sha256: model.sha256,
      wrt: [...(wantInput ? [model.inputName] : []), ...layers],
      batch: request.batch,
      scores: [model.outputName],
      scoreActivation: request.scoreActivation ?? 'none',
      ruleSet: request.ruleSet,
    };
    if (spec.wrt.length === 0) throw new ApiError('BAD_PARAMS', 'A gradient request needs the input gradient or at least one layer');
    const key = gradientModelKey(spec);
    let entry = prepared.get(key);
    if (!entry) {
      entry = (async () => {
        const built = await gradientModel(spec, options.cacheDir);
        const external = built.externalDataDir
          ? await Promise.all(built.externalDataFiles.map(async (file) => ({ path: file, data: await readFile(join(built.externalDataDir!, file)) })))
          : undefined;
        const open = await sessions.get(built.path, `gradient:${key}`, preference, external);
        return { spec, gradientModel: built, session: open.session, provider: open.provider };
      })();
      prepared.set(key, entry);
      entry.catch(() => prepared.delete(key));
    }
    return entry;
  };

  return {
    maxBatch,
    get provider() {
      return lastProvider ?? 'not started';
    },
    async run(request: GradientRequest): Promise<GradientResult> {
      const { batch } = request;
      if (!(Number.isInteger(batch) && batch >= 1 && batch <= maxBatch)) throw new ApiError('BAD_PARAMS', `Gradient batch ${batch} is outside 1–${maxBatch}`);
      if (request.inputs.length !== batch * perInput) throw new ApiError('BAD_PARAMS', `Gradient inputs hold ${request.inputs.length} values, not ${batch} × ${perInput}`);
      if (request.seeds.length !== batch * model.numClasses) throw new ApiError('BAD_PARAMS', `Gradient seeds hold ${request.seeds.length} values, not ${batch} × ${model.numClasses}`);
      const p = await prepare(request);
      const built = p.gradientModel;
      const feeds = {
        [model.inputName]: new ort.Tensor('float32', request.inputs, [batch, ...dims]),
        [built.seeds[model.outputName]]: new ort.Tensor('float32', request.seeds, [batch, model.numClasses]),
      };
      const layers = p.spec.wrt.filter((w) => w !== model.inputName);
      const fetches = [...new Set([model.outputName, ...p.spec.wrt.map((w) => built.gradients[w]), ...layers])];
      let out: ort.InferenceSession.ReturnType;
      try {
        out = await p.session.run(feeds, fetches);
      } catch (error) {
        throw new ApiError('BAD_MODEL', `The gradient model failed to run: ${(error as Error).message.split('\n')[0]}`);
      }
      lastProvider = p.provider;
      const tensor = (name: string) => {
        const t = out[name];
        if (t.type !== 'float32') throw new ApiError('BAD_MODEL', `Gradients are computed for float32 tensors; "${name}" is ${t.type}`);
        return { shape: [...t.dims], data: t.data as Float32Array };
      };
      const inputGradient = p.spec.wrt.includes(model.inputName) ? tensor(built.gradients[model.inputName]) : null;
      return {
        logits: tensor(model.outputName).data,
        inputGradient,
        layers: Object.fromEntries(layers.map((l) => [l, { activation: tensor(l), gradient: tensor(built.gradients[l]) }])),
        provider: p.provider,
      };
    },
  };
}
