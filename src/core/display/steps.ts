// Display steps: how a raw attribution becomes the [H, W] map drawn over the image. The raw array
// is never changed; steps are recorded with the result so the view can be reproduced.
import type { ResolvedPreprocessing } from '../../api/schemas';
import type { Float32Tensor } from '../tensor/npy';
import type { DisplayStep } from '../explain/types';
import { layerMap } from './layer-map';

export function applyDisplaySteps(raw: Float32Tensor, steps: DisplayStep[], prep: ResolvedPreprocessing): Float32Tensor {
  let current = raw;
  for (const step of steps) {
    if (step.op === 'reduce-channels') current = reduceChannels(current, prep, step.args.how === 'sum' ? 'sum' : 'mean');
    else if (step.op === 'paint-segments') current = paintSegments(current, step.args);
    else if (step.op === 'layer-map') current = layerMap(current, step.args);
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

export function valueRange(data: Float32Array): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return data.length ? { min, max } : { min: 0, max: 0 };
}
