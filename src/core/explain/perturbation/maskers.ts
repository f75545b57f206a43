// Maskers: what a hidden pixel becomes. Each builds one replacement tensor in model-input space
// (same shape as the input); hiding = taking the replacement's values there. zero (Captum's
// baselines=0), black and mean come from baseline.ts; blur is a k×k box filter (shap's `blur(k,k)`,
// i.e. cv2.blur with reflect-101 borders) or a Gaussian; superpixel-mean is lime's default (hide_color
// None: each superpixel's mean colour); noise is seeded uniform pixel noise, preprocessed.
// Blurs and means are taken per channel in model space, equal to pixel space (normalisation is affine).
import { ApiError } from '../../../api/contract';
import { MaskerNameSchema, type MaskerName, type ParamSpec, type ResolvedPreprocessing } from '../../../api/schemas';
import { reflect101 } from '../../display/resample';
import type { Prng } from '../../random/prng';
import type { Segmentation } from '../../segmentation/types';
import type { ExplainContext } from '../types';
import { baselineTensor } from './baseline';

const MASKERS = MaskerNameSchema.options;

export const MASKER_PARAMS: ParamSpec[] = [
  {
    name: 'masker',
    kind: 'enum',
    default: 'zero',
    options: [...MASKERS],
    description:
      'what hidden pixels become: zero (0 after normalisation, as Captum), black, mean (image mean colour), blur (box), gaussian (blur), superpixel-mean (each superpixel\'s mean colour, as lime), noise (seeded uniform pixel noise)',
  },
  { name: 'blurSize', kind: 'int', default: 31, min: 1, max: 1024, description: 'box blur side in pixels (masker=blur)' },
  { name: 'blurSigma', kind: 'number', default: 8, min: 0.1, max: 512, description: 'Gaussian blur σ in pixels (masker=gaussian)' },
];

export interface TensorLayout {
  plane: number;
  channels: number;
  /** element index = c·channelStride + p·pixelStride (hot loops use the strides directly) */
  channelStride: number;
  pixelStride: number;
  index(c: number, p: number): number;
}

/** Element index of channel c, pixel p, for the card's layout. */
export function layoutOf(prep: ResolvedPreprocessing): TensorLayout {
  const plane = prep.width * prep.height;
  const channels = prep.channels;
  const [channelStride, pixelStride] = prep.layout === 'NCHW' ? [plane, 1] : [1, channels];
  return { plane, channels, channelStride, pixelStride, index: (c, p) => c * channelStride + p * pixelStride };
}

/** Copies every channel of the listed pixels from `source` into `dst`. */
export function copyPixels(layout: TensorLayout, pixels: ArrayLike<number>, source: Float32Array, dst: Float32Array): void {
  const { channels, channelStride, pixelStride } = layout;
  for (let c = 0; c < channels; c++) {
    const offset = c * channelStride;
    for (let k = 0; k < pixels.length; k++) {
      const i = offset + pixels[k] * pixelStride;
      dst[i] = source[i];
    }
  }
}

export interface MaskerDeps {
  /** the segmentation for superpixel-mean (computed only when asked for) */
  segmentation(): Segmentation;
  rng: Prng;
}

type MaskerContext = Pick<ExplainContext, 'model' | 'input' | 'params'>;

export function maskerReplacement(ctx: MaskerContext, deps: MaskerDeps): Float32Array {
  const masker = String(ctx.params.masker ?? 'zero') as MaskerName;
  const prep = ctx.model.preprocessing;
  switch (masker) {
    case 'zero':
    case 'black':
    case 'mean':
      return baselineTensor(ctx, masker);
    case 'blur':
      return perChannel(ctx, (plane) => boxBlur(plane, prep.width, prep.height, Number(ctx.params.blurSize ?? 31)));
    case 'gaussian':
      return perChannel(ctx, (plane) => gaussianBlur(plane, prep.width, prep.height, Number(ctx.params.blurSigma ?? 8)));
    case 'superpixel-mean':
      return superpixelMean(ctx, deps.segmentation());
    case 'noise':
      return uniformNoise(prep, ctx.input.data.length, deps.rng);
    default:
      throw new ApiError('BAD_PARAMS', `Unknown masker "${String(masker)}"; maskers are ${MASKERS.join(', ')}`);
  }
}

/** Applies `filter` to each channel plane of the input (in float64), stored as float32 in the input's layout. */
export function perChannel(ctx: MaskerContext, filter: (plane: Float64Array) => Float64Array): Float32Array {
  const layout = layoutOf(ctx.model.preprocessing);
  const out = new Float32Array(ctx.input.data.length);
  for (let c = 0; c < layout.channels; c++) {
    const plane = Float64Array.from({ length: layout.plane }, (_, p) => ctx.input.data[layout.index(c, p)]);
    const filtered = filter(plane);
    for (let p = 0; p < layout.plane; p++) out[layout.index(c, p)] = filtered[p];
  }
  return out;
}

/** Separable filter with the given 1-D taps (taps[k] applies to offset k − anchor). */
function separable(plane: Float64Array, width: number, height: number, taps: Float64Array, anchor: number): Float64Array {
  const rows = new Float64Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < taps.length; k++) sum += taps[k] * plane[y * width + reflect101(x + k - anchor, width)];
      rows[y * width + x] = sum;
    }
  }
  const out = new Float64Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < taps.length; k++) sum += taps[k] * rows[reflect101(y + k - anchor, height) * width + x];
      out[y * width + x] = sum;
    }
  }
  return out;
}

/** cv2.blur(k, k): the mean over a k×k window anchored at its centre (k/2 for even k). */
export function boxBlur(plane: Float64Array, width: number, height: number, size: number): Float64Array {
  return separable(plane, width, height, new Float64Array(size).fill(1 / size), Math.floor(size / 2));
}

/** Gaussian blur with σ in pixels, truncated at 4σ (scipy's default), normalised taps. */
export function gaussianBlur(plane: Float64Array, width: number, height: number, sigma: number): Float64Array {
  const radius = Math.max(1, Math.round(4 * sigma));
  const taps = Float64Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  for (let k = 0; k < taps.length; k++) taps[k] /= total;
  return separable(plane, width, height, taps, radius);
}

function superpixelMean(ctx: MaskerContext, segmentation: Segmentation): Float32Array {
  const layout = layoutOf(ctx.model.preprocessing);
  const out = new Float32Array(ctx.input.data.length);
  const sums = new Float64Array(segmentation.count);
  const counts = new Float64Array(segmentation.count);
  for (const label of segmentation.labels) counts[label]++;
  for (let c = 0; c < layout.channels; c++) {
    sums.fill(0);
    for (let p = 0; p < layout.plane; p++) sums[segmentation.labels[p]] += ctx.input.data[layout.index(c, p)];
    for (let p = 0; p < layout.plane; p++) out[layout.index(c, p)] = sums[segmentation.labels[p]] / counts[segmentation.labels[p]];
  }
  return out;
}

function uniformNoise(prep: ResolvedPreprocessing, length: number, rng: Prng): Float32Array {
  const layout = layoutOf(prep);
  const out = new Float32Array(length);
  const range = prep.scale * 255;
  for (let p = 0; p < layout.plane; p++) {
    for (let c = 0; c < layout.channels; c++) out[layout.index(c, p)] = (rng.uniform() * range - prep.mean[c]) / prep.std[c];
  }
  return out;
}
