// Display steps: how a raw attribution becomes the [H, W] map drawn over the image. The raw array
// is never changed; steps are recorded with the result so the view can be reproduced.
import type { ResolvedPreprocessing } from '../../api/schemas';
import type { Float32Tensor } from '../tensor/npy';
import type { DisplayStep } from '../explain/types';
import { layerMap } from './layer-map';
import { divideByMax, minMaxScale, resizeMap, type ResizeMode } from './resample';

export function applyDisplaySteps(raw: Float32Tensor, steps: DisplayStep[], prep: ResolvedPreprocessing): Float32Tensor {
  let current = raw;
  for (const step of steps) {
    if (step.op === 'reduce-channels') current = reduceChannels(current, prep, step.args.how === 'sum' ? 'sum' : 'mean');
    else if (step.op === 'paint-segments') current = paintSegments(current, step.args);
    else if (step.op === 'layer-map') current = layerMap(current, step.args);
    else if (step.op === 'relu') current = { shape: current.shape, data: current.data.map((v) => Math.max(v, 0)) };
    else if (step.op === 'normalise') current = { shape: current.shape, data: step.args.how === 'max' ? divideByMax(current.data) : minMaxScale(current.data, Number(step.args.eps ?? 0)) };
    else if (step.op === 'resize') current = resize(current, step.args);
    else if (step.op === 'select') current = select(current, step.args);
    else throw new Error(`Unknown display step ${step.op}`);
  }
  if (current.shape.length !== 2) throw new Error(`Display steps left a map of shape [${current.shape.join(', ')}], not [H, W]`);
  return current;
}

function reduceChannels(tensor: Float32Tensor, prep: ResolvedPreprocessing, how: 'sum' | 'mean'): Float32Tensor {
  const { height, width, channels, layout } = prep;
  const plane = height * width;
  const out = new Float32Array(plane);
  for (let p = 0; p < plane; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += tensor.data[layout === 'NCHW' ? c * plane + p : p * channels + c];
    out[p] = how === 'mean' ? sum / channels : sum;
  }
  return { shape: [height, width], data: out };
}

/** Per-feature values [M] → [H, W]: each pixel takes its segment's value (segments run-length encoded as [label, length, …]). */
function paintSegments(values: Float32Tensor, args: Record<string, unknown>): Float32Tensor {
  const width = Number(args.width);
  const height = Number(args.height);
  const runs = args.runs as number[];
  const out = new Float32Array(width * height);
  let p = 0;
  for (let i = 0; i < runs.length; i += 2) {
    out.fill(values.data[runs[i]], p, p + runs[i + 1]);
    p += runs[i + 1];
  }
  if (p !== out.length) throw new Error(`paint-segments: the runs cover ${p} pixels, not ${width}×${height}`);
  return { shape: [height, width], data: out };
}

/** An [h, w] map resampled to [height, width] (CAM upsampling: bilinear as cv2.resize). */
function resize(map: Float32Tensor, args: Record<string, unknown>): Float32Tensor {
  if (map.shape.length !== 2) throw new Error(`resize: expects an [h, w] map, got [${map.shape.join(', ')}]`);
  const [height, width] = [Number(args.height), Number(args.width)];
  return { shape: [height, width], data: resizeMap(map.data, map.shape[0], map.shape[1], height, width, (args.mode ?? 'bilinear') as ResizeMode) };
}

/**
 * One slice of a stacked result along its leading axes (e.g. layer l of per-layer, per-head maps
 * [L, H, h, w]); 'mean' in `index` averages that axis instead.
 */
function select(tensor: Float32Tensor, args: Record<string, unknown>): Float32Tensor {
  let { shape, data } = tensor;
  for (const index of args.index as (number | 'mean')[]) {
    const [count, rest] = [shape[0], shape.slice(1)];
    const size = data.length / count;
    if (index === 'mean') {
      const out = new Float32Array(size);
      for (let k = 0; k < count; k++) for (let i = 0; i < size; i++) out[i] += data[k * size + i] / count;
      data = out;
    } else {
      if (!(index >= 0 && index < count)) throw new Error(`select: index ${index} outside 0–${count - 1}`);
      data = data.subarray(index * size, (index + 1) * size);
    }
    shape = rest;
  }
  return { shape, data };
}

export function valueRange(data: Float32Array): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return data.length ? { min, max } : { min: 0, max: 0 };
}

/** One display step in words, for the colour bar ("ReLU", "min–max (+1e-7)", "bilinear → 224×224" …). */
export function describeDisplayStep(step: DisplayStep): string {
  const a = step.args;
  switch (step.op) {
    case 'reduce-channels':
      return `${a.how === 'mean' ? 'mean' : 'sum'} over channels`;
    case 'layer-map':
      return a.layout === 'tokens' ? `tokens → ${(a.grid as number[]).join('×')} grid, channel sum` : 'channel sum';
    case 'paint-segments':
      return 'segment values painted';
    case 'relu':
      return 'ReLU';
    case 'normalise':
      return a.how === 'max' ? '÷ max' : `min–max (v − min) / (max + ${a.eps ?? 0})`;
    case 'resize':
      return `${a.mode ?? 'bilinear'} → ${a.height}×${a.width}`;
    case 'select':
      return `select ${(a.index as (number | string)[]).map((i, k) => `${['layer', 'head'][k] ?? 'axis'} ${i}`).join(', ')}`;
    default:
      return step.op;
  }
}
