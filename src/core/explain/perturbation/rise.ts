// RISE (Petsiuk et al. 2018, reference code `generate_masks` / `explain`): N random binary s×s grids
// (each cell kept with probability p), upsampled bilinearly to (s+1)·⌈H/s⌉ (skimage resize, order 1,
// mode 'reflect') and cropped at a random shift; saliency = Σᵢ f(x ⊙ Mᵢ)·Mᵢ / (N·p). Hidden parts
// take the masker's replacement: x̃ = r + M·(x − r). Masks are regenerated from the seed rather than stored.
import { axisTaps } from '../../display/resample';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { ScoreEvaluator } from '../evaluate';
import { BATCH_PARAM, defaultSegmentation, samplesParam, SEED_PARAM, seededRng } from './features';
import { layoutOf, MASKER_PARAMS, maskerReplacement } from './maskers';

export interface RiseMasks {
  count: number;
  /** writes mask `index` ([H, W], values in [0, 1]) into `out` */
  render(index: number, out: Float32Array): void;
}

/** The N smooth random masks of RISE, drawn from `seed`: grids and shifts are stored, masks rendered on demand. */
export function riseMasks(width: number, height: number, count: number, cells: number, probability: number, rng: { uniform(): number; int(n: number): number }): RiseMasks {
  const cellH = Math.ceil(height / cells);
  const cellW = Math.ceil(width / cells);
  // half-pixel centres, mirrored borders (skimage resize, order 1, mode 'reflect')
  const rowsTaps = axisTaps(cells, (cells + 1) * cellH, 'bilinear', 'reflect101');
  const colsTaps = axisTaps(cells, (cells + 1) * cellW, 'bilinear', 'reflect101');
  const grids = new Uint8Array(count * cells * cells);
  const shifts = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < cells * cells; k++) grids[i * cells * cells + k] = rng.uniform() < probability ? 1 : 0;
    shifts[2 * i] = rng.int(cellH);
    shifts[2 * i + 1] = rng.int(cellW);
  }
  const rowBlend = new Float64Array(cells * width);
  return {
    count,
    render(index, out) {
      const grid = grids.subarray(index * cells * cells, (index + 1) * cells * cells);
      const [dy, dx] = [shifts[2 * index], shifts[2 * index + 1]];
      for (let r = 0; r < cells; r++) {
        for (let x = 0; x < width; x++) {
          const u = x + dx;
          const f = colsTaps.frac[u];
          rowBlend[r * width + x] = (1 - f) * grid[r * cells + colsTaps.i0[u]] + f * grid[r * cells + colsTaps.i1[u]];
        }
      }
      for (let y = 0; y < height; y++) {
        const u = y + dy;
        const f = rowsTaps.frac[u];
        const top = rowsTaps.i0[u] * width;
        const bottom = rowsTaps.i1[u] * width;
        for (let x = 0; x < width; x++) out[y * width + x] = (1 - f) * rowBlend[top + x] + f * rowBlend[bottom + x];
      }
    },
  };
}

export const rise: Explainer = {
  info: {
    id: 'rise',
    label: 'RISE',
    family: 'perturbation',
    needs: 'forward',
    output: {
      shape: '[H, W]',
      meaning: 'expected target logit over random smooth masks that keep the pixel, divided by p (Σ f(x⊙M)·M / (N·p))',
      signed: true,
      unit: 'logit',
    },
    reference: 'RISE (Petsiuk, Das & Saenko 2018) reference implementation: s×s grids, bilinear upsampling with random shifts',
    params: [
      samplesParam(2000, 'number of random masks (N)'),
      SEED_PARAM,
      { name: 'cells', kind: 'int', default: 7, min: 1, max: 256, description: 'grid cells per side before upsampling (s)' },
      { name: 'probability', kind: 'number', default: 0.5, min: 0.01, max: 1, description: 'probability that a grid cell is kept (p)' },
      ...MASKER_PARAMS,
      BATCH_PARAM,
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const { width, height } = ctx.model.preprocessing;
    const count = Number(ctx.params.samples);
    const probability = Number(ctx.params.probability);
    const rng = seededRng(ctx);
    const replacement = maskerReplacement(ctx, { segmentation: () => defaultSegmentation(ctx), rng: rng.fork(1) });
    const masks = riseMasks(width, height, count, Number(ctx.params.cells), probability, rng.fork(2));
    const layout = layoutOf(ctx.model.preprocessing);
    const input = ctx.input.data;
    const mask = new Float32Array(width * height);
    const evaluator = new ScoreEvaluator(ctx, { maxBatch: Number(ctx.params.batchSize ?? 32) });
    const scores = await evaluator.scores(count, (index, dst) => {
      masks.render(index, mask);
      const { channels, channelStride, pixelStride, plane } = layout;
      for (let c = 0; c < channels; c++) {
        for (let p = 0, i = c * channelStride; p < plane; p++, i += pixelStride) dst[i] = replacement[i] + mask[p] * (input[i] - replacement[i]);
      }
    });
    const saliency = new Float64Array(width * height);
    for (let i = 0; i < count; i++) {
      ctx.checkCancelled();
      masks.render(i, mask);
      for (let p = 0; p < saliency.length; p++) saliency[p] += scores[i] * mask[p];
    }
    const scale = 1 / (count * probability);
    return {
      attribution: { shape: [height, width], data: Float32Array.from(saliency, (v) => v * scale) },
      evaluations: count,
      display: [],
      stats: { seed: rng.seed, forwardMs: evaluator.forwardMs, largestBatch: evaluator.largestBatch },
    };
  },
};
