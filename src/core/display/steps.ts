// Display steps: how a raw attribution becomes the [H, W] map drawn over the image. The raw array
// is never changed; steps are recorded with the result so the view can be reproduced.
import type { ResolvedPreprocessing } from '../../api/schemas';
import type { Float32Tensor } from '../tensor/npy';
import type { DisplayStep } from '../explain/types';

export function applyDisplaySteps(raw: Float32Tensor, steps: DisplayStep[], prep: ResolvedPreprocessing): Float32Tensor {
  let current = raw;
  for (const step of steps) {
    if (step.op === 'reduce-channels') current = reduceChannels(current, prep, step.args.how === 'sum' ? 'sum' : 'mean');
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

export function valueRange(data: Float32Array): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return data.length ? { min, max } : { min: 0, max: 0 };
}
