// LogSoftmax: gx = g − exp(y) · Σ g, the sum over the normalised axes (one axis from opset 13).
import type { VjpRule } from '../rule';
import { softmaxAxes } from './shared/reduce';
import { reduceSum } from './shared/tensor-ops';

export const logSoftmaxRule: VjpRule = {
  opTypes: ['LogSoftmax'],
  attributes: ['axis'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const y = ctx.node.outputs[0];
    return [ctx.op('Sub', [g!, ctx.op('Mul', [ctx.op('Exp', [y]), reduceSum(ctx, g!, softmaxAxes(ctx))])])];
  },
};
