// LeakyRelu: gx = g where x > 0, α·g elsewhere (torch gives α at x = 0).
import { elementwiseRule } from './shared/elementwise';

export const leakyReluRule = elementwiseRule(['LeakyRelu'], ['alpha'], ({ ctx, x, g, type }) => {
  const alpha = ctx.node.attrs.float('alpha', 0.01);
  return ctx.op('Where', [ctx.op('Greater', [x, ctx.scalar(0, type)]), g, ctx.op('Mul', [g, ctx.scalar(alpha, type)])]);
});
