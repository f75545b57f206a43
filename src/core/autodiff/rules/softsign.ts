// Softsign y = x / (1 + |x|): gx = g / (1 + |x|)².
import { elementwiseRule } from './shared/elementwise';

export const softsignRule = elementwiseRule(['Softsign'], [], ({ ctx, x, g, type }) => {
  const denominator = ctx.op('Add', [ctx.op('Abs', [x]), ctx.scalar(1, type)]);
  return ctx.op('Div', [g, ctx.op('Mul', [denominator, denominator])]);
});
