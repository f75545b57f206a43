// PRelu (slope broadcast to x, a model constant): gx = g where x > 0, g·slope elsewhere.
import { elementwiseRule } from './shared/elementwise';

export const preluRule = elementwiseRule(['PRelu'], [], ({ ctx, x, g, type }) => {
  const slope = ctx.node.inputs[1];
  return ctx.op('Where', [ctx.op('Greater', [x, ctx.scalar(0, type)]), g, ctx.op('Mul', [g, slope])]);
});
