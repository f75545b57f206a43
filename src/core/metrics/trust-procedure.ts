// The engine's side of the trust metrics: builds the evaluation context for one model and input,
// finds the ground-truth region (a mask in the request, else the demo sample's lesion mask) and, for
// the randomisation check, writes each re-initialised copy of the model (and its gradient models) to
// a scratch folder of this run and recomputes the explanation on it with sessions of its own; the
// sessions and the folder are released at the end, so repeated checks do not fill the disk.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError, cancellation, type CallContext, type ProcOutput, type ProcParsedInput } from '../../api/contract';
import type { ModelInfo, ProviderPreference } from '../../api/schemas';
import type { ForwardRunner } from '../explain/types';
import { probeMaskCells } from '../explain/perturbation/probe';
import { decodeModel, parametrisedLayers, randomisedModel, type ParametrisedLayer } from '../model/randomise-weights';
import type { ModelProto } from 'onnx-buf';
import { SessionCache, type SessionOptions } from '../model/session';
import { defaultCacheDir } from '../paths';
import type { Float32Tensor } from '../tensor/npy';
import { fromWire } from '../tensor/wire';
import { computeTrustMetrics } from './trust-metrics';

export interface TrustProcedureDeps {
  model: ModelInfo;
  tensor: Float32Tensor;
  forward: ForwardRunner;
  preference: ProviderPreference;
  sessionOptions: SessionOptions;
  /** the demo sample's lesion mask for this input, or null */
  groundTruth(): Promise<Uint8Array | null>;
  /** the explanation's display map on a model variant, run through `sessions`; gradient models go to `scratchDir` */
  explainMap(variant: ModelInfo, sessions: SessionCache, scratchDir: string): Promise<Float32Array>;
}

export class TrustProcedure {
  constructor(private readonly deps: TrustProcedureDeps) {}

  async run(request: ProcParsedInput<'trustMetrics'>, call: CallContext): Promise<ProcOutput<'trustMetrics'>> {
    const { model, tensor, forward } = this.deps;
    const prep = model.preprocessing;
    const heatmap = request.explanation.heatmap;
    const [height, width] = heatmap.shape.slice(-2);
    if (width !== prep.width || height !== prep.height || heatmap.shape.slice(0, -2).some((d) => d !== 1)) {
      throw new ApiError('BAD_PARAMS', `The explanation's heatmap is [${heatmap.shape.join(', ')}]; trust metrics need the display map at the model input's ${prep.height}×${prep.width}`);
    }
    const map = fromWire(heatmap).data;
    const checkCancelled = cancellation(call, 'The trust metrics were cancelled');
    const sessions = new SessionCache(this.deps.sessionOptions);
    let scratchDir: string | null = null;
    try {
      return await computeTrustMetrics({
        ctx: {
          model,
          input: tensor,
          target: request.explanation.target,
          forward,
          progress: (done, total, message) => call.onProgress?.({ done, total, message }),
          checkCancelled,
        },
        request,
        map,
        width,
        height,
        groundTruth: async () => {
          if (request.mask) return { cells: probeMaskCells(request.mask, prep), source: 'mask' };
          const cells = await this.deps.groundTruth();
          return cells && cells.length === width * height ? { cells, source: 'demo ground truth' } : null;
        },
        randomisation: async () => {
          // Decoded once for the whole cascade: each step randomises a copy of its initializers.
          const decoded = decodeModel(new Uint8Array(await readFile(model.path)));
          const layers = parametrisedLayers(decoded);
          const root = join(defaultCacheDir(), 'randomised');
          await mkdir(root, { recursive: true });
          const folder = (scratchDir = await mkdtemp(join(root, 'check-')));
          return { layers, mapWith: (randomised, step) => this.randomisedMap(decoded, randomised, step, request.seed, { sessions, folder }, call) };
        },
      });
    } finally {
      await sessions.dispose();
      if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
    }
  }

  private async randomisedMap(
    decoded: ModelProto,
    randomised: readonly ParametrisedLayer[],
    step: number,
    seed: number,
    { sessions, folder }: { sessions: SessionCache; folder: string },
    call: CallContext,
  ): Promise<Float32Array> {
    const { model } = this.deps;
    call.onProgress?.({ done: step - 1, total: Math.max(step, 1), message: `randomised ${randomised.at(-1)?.name ?? ''}` });
    const variantBytes = randomisedModel(decoded, randomised, seed);
    const sha256 = createHash('sha256').update(variantBytes).digest('hex');
    const path = join(folder, `${sha256}.onnx`);
    await writeFile(path, variantBytes);
    const variant: ModelInfo = { ...model, id: sha256, sha256, path, name: `${model.name} (top ${step} layer(s) randomised)` };
    return this.deps.explainMap(variant, sessions, folder);
  }
}
