// Occlusion sensitivity with Captum's semantics (captum.attr.Occlusion): a window of
// `window` elements slides over the input (batch excluded) by `strides`; every element's
// attribution is the mean, over the windows that cover it, of f(x)[target] − f(x with the window
// set to the baseline)[target]. Window positions per dim = ceil((dim − window) / stride) + 1,
// windows past the edge are clipped. Elements no window covers get 0. Result: the input's shape.
import { ApiError } from '../../../api/contract';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { ScoreEvaluator } from '../evaluate';
import { baselineTensor, BASELINE_PARAM } from './baseline';
import { BATCH_PARAM } from './features';

export const occlusion: Explainer = {
  info: {
    id: 'occlusion',
    label: 'Occlusion',
    family: 'perturbation',
    needs: 'forward',
    output: {
      shape: 'input shape [1, C, H, W]',
      meaning: 'mean drop of the target logit when a window covering the element is set to the baseline',
      signed: true,
      unit: 'Δ logit',
    },
    reference: 'Captum Occlusion (sliding_window_shapes, strides, baselines)',
    params: [
      {
        name: 'window',
        kind: 'int-list',
        default: null,
        min: 1,
        description: 'window shape over the input dims without batch, e.g. 3,16,16 (NCHW); two numbers = spatial only, all channels. Default: all channels × 16 × 16',
      },
      {
        name: 'strides',
        kind: 'int-list',
        default: null,
        min: 1,
        description: 'step between windows, same form as window. Default: all channels × 8 × 8',
      },
      BASELINE_PARAM,
      BATCH_PARAM,
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const dims = ctx.input.shape.slice(1);
    const prep = ctx.model.preprocessing;
    const channelAxis = prep.layout === 'NCHW' ? 0 : dims.length - 1;
    const window = fullDims('window', ctx.params.window, dims, channelAxis, 16);
    const strides = fullDims('strides', ctx.params.strides, dims, channelAxis, 8);
    window.forEach((w, d) => {
      if (w > dims[d]) throw new ApiError('BAD_PARAMS', `occlusion: window [${window.join(', ')}] is larger than the input [${dims.join(', ')}]`);
    });
    const shifts = dims.map((dim, d) => Math.ceil((dim - window[d]) / strides[d]) + 1);
    const windowCount = shifts.reduce((a, b) => a * b, 1);
    const baseline = baselineTensor(ctx, ctx.params.baseline);
    const boxes = (index: number) => windowBox(index, shifts, strides, window, dims);

    const original = (await ctx.forward.run(ctx.input.data, 1))[ctx.target];
    const evaluator = new ScoreEvaluator(ctx, { maxBatch: Number(ctx.params.batchSize) });
    const scores = await evaluator.scores(windowCount, (index, dst) => {
      dst.set(ctx.input.data);
      forEachInBox(dims, boxes(index), (flat) => {
        dst[flat] = baseline[flat];
      });
    });

    const total = new Float64Array(ctx.input.data.length);
    const covered = new Uint32Array(ctx.input.data.length);
    for (let k = 0; k < windowCount; k++) {
      const delta = Math.fround(original - scores[k]);
      forEachInBox(dims, boxes(k), (flat) => {
        total[flat] += delta;
        covered[flat] += 1;
      });
    }
    const attribution = new Float32Array(total.length);
    for (let i = 0; i < total.length; i++) attribution[i] = covered[i] ? total[i] / covered[i] : 0;
    return {
      attribution: { shape: [...ctx.input.shape], data: attribution },
      evaluations: windowCount + 1,
      display: [{ op: 'reduce-channels', args: { how: 'mean', layout: prep.layout } }],
      stats: { forwardMs: evaluator.forwardMs, largestBatch: evaluator.largestBatch },
    };
  },
};

function fullDims(name: string, value: unknown, dims: number[], channelAxis: number, spatialDefault: number): number[] {
  if (value === undefined || value === null) {
    return dims.map((dim, d) => (d === channelAxis ? dim : Math.min(spatialDefault, dim)));
  }
  const list = value as number[];
  if (list.length === dims.length) return list;
  if (list.length === dims.length - 1) {
    const out = [...list];
    out.splice(channelAxis, 0, dims[channelAxis]);
    return out;
  }
  throw new ApiError('BAD_PARAMS', `occlusion: ${name} has ${list.length} numbers; the input without batch has ${dims.length} dims [${dims.join(', ')}]`);
}

interface Box {
  start: number[];
  end: number[];
}

function windowBox(index: number, shifts: number[], strides: number[], window: number[], dims: number[]): Box {
  const start = new Array<number>(dims.length);
  const end = new Array<number>(dims.length);
  let rest = index;
  for (let d = dims.length - 1; d >= 0; d--) {
    const position = rest % shifts[d];
    rest = Math.floor(rest / shifts[d]);
    start[d] = position * strides[d];
    end[d] = Math.min(start[d] + window[d], dims[d]);
  }
  return { start, end };
}

/** Calls `visit` with the flat (row-major) index of every element inside the box. */
function forEachInBox(dims: number[], box: Box, visit: (flat: number) => void): void {
  const rank = dims.length;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * dims[d + 1];
  const last = rank - 1;
  const walk = (d: number, offset: number) => {
    if (d === last) {
      for (let i = box.start[d]; i < box.end[d]; i++) visit(offset + i);
      return;
    }
    for (let i = box.start[d]; i < box.end[d]; i++) walk(d + 1, offset + i * strides[d]);
  };
  walk(0, 0);
}
