// Elu, Selu and Celu, exponential for x ≤ 0: the negative-side slope is read from the output —
// Elu α·eˣ = y + α; Selu γα·eˣ = y + γα (γ on the positive side); Celu e^(x/α) = y/α + 1.
import { elementwiseRule } from './shared/elementwise';

export const eluRule = elementwiseRule(['Elu', 'Selu', 'Celu'], ['alpha', 'gamma'], ({ ctx, x, y, g, type }) => {
  const op = ctx.node.opType;
  const alpha = ctx.node.attrs.float('alpha', op === 'Selu' ? 1.67326319217681884765625 : 1);
  const gamma = op === 'Selu' ? ctx.node.attrs.float('gamma', 1.05070102214813232421875) : 1;
  const negativeSlope = op === 'Celu' ? ctx.op('Add', [ctx.op('Mul', [y, ctx.scalar(1 / alpha, type)]), ctx.scalar(1, type)]) : ctx.op('Add', [y, ctx.scalar(gamma * alpha, type)]);
  const positive = gamma === 1 ? g : ctx.op('Mul', [g, ctx.scalar(gamma, type)]);
  return ctx.op('Where', [ctx.op('Greater', [x, ctx.scalar(0, type)]), positive, ctx.op('Mul', [g, negativeSlope])]);
});
