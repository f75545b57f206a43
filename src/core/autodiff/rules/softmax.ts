// Softmax: gx = y · (g − Σ g·y), the sum over the normalised axes (one axis from opset 13).
import type { VjpRule } from '../rule';
import { softmaxAxes } from './shared/reduce';
import { reduceSum } from './shared/tensor-ops';

export const softmaxRule: VjpRule = {
  opTypes: ['Softmax'],
  attributes: ['axis'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const y = ctx.node.outputs[0];
    const dot = reduceSum(ctx, ctx.op('Mul', [g!, y]), softmaxAxes(ctx));
    return [ctx.op('Mul', [y, ctx.op('Sub', [g!, dot])])];
  },
};
