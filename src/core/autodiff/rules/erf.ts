// Erf: gx = g · (2/√π) · exp(−x²) (exact GELU in exports is Div → Erf → Add → Mul → Mul).
import { elementwiseRule } from './shared/elementwise';

export const erfRule = elementwiseRule(['Erf'], [], ({ ctx, x, g, type }) => {
  const gauss = ctx.op('Exp', [ctx.op('Neg', [ctx.op('Mul', [x, x])])]);
  return ctx.op('Mul', [g, ctx.op('Mul', [gauss, ctx.scalar(2 / Math.sqrt(Math.PI), type)])]);
});
