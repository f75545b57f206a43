// ReduceMean: every reduced element receives the gradient of its mean divided by the group size.
import type { VjpRule } from '../rule';
import { REDUCE_ATTRIBUTES, reducedAxes, spreadOverReduced } from './shared/reduce';

export const reduceMeanRule: VjpRule = {
  opTypes: ['ReduceMean'],
  attributes: REDUCE_ATTRIBUTES,
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const x = ctx.node.inputs[0];
    const axes = reducedAxes(ctx);
    const shape = ctx.shape(x);
    const count = axes.reduce((n, a) => n * shape[a], 1);
    return [ctx.op('Mul', [spreadOverReduced(ctx, g!, axes), ctx.scalar(1 / count, ctx.elemType(x))]), null];
  },
};
