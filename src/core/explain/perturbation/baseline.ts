// Baselines for perturbation methods, in the model-input space: a number (0 = Captum's
// baselines=0, after normalisation), 'zero', 'black' (black pixels, preprocessed) or 'mean'
// (each channel's mean over the input).
import { ApiError } from '../../../api/contract';
import type { ParamSpec, ParamValue } from '../../../api/schemas';
import type { ExplainContext } from '../types';

export const BASELINE_PARAM: ParamSpec = {
  name: 'baseline',
  kind: 'number-or-enum',
  default: 0,
  options: ['zero', 'black', 'mean'],
  description: 'value an occluded element takes: a number in model-input space (0 = zero after normalisation), black (black pixels, preprocessed) or mean (channel mean)',
};

export function baselineTensor(ctx: Pick<ExplainContext, 'input' | 'model'>, value: ParamValue | undefined): Float32Array {
  const { input, model } = ctx;
  const prep = model.preprocessing;
  const out = new Float32Array(input.data.length);
  if (value === undefined || value === 'zero') return out;
  if (typeof value === 'number') return out.fill(value);
  const channels = prep.channels;
  const plane = input.data.length / channels;
  const channelOf = (i: number) => (prep.layout === 'NCHW' ? Math.floor(i / plane) : i % channels);
  if (value === 'black') {
    const perChannel = prep.mean.map((m, c) => Math.fround(Math.fround(0 - Math.fround(m)) / Math.fround(prep.std[c])));
    for (let i = 0; i < out.length; i++) out[i] = perChannel[channelOf(i)];
    return out;
  }
  if (value === 'mean') {
    const sums = new Float64Array(channels);
    for (let i = 0; i < out.length; i++) sums[channelOf(i)] += input.data[i];
    for (let i = 0; i < out.length; i++) out[i] = sums[channelOf(i)] / plane;
    return out;
  }
  throw new ApiError('BAD_PARAMS', `Unknown baseline "${String(value)}"`);
}
