// HardSigmoid: y = clamp(αx + β, 0, 1); gx = α·g where 0 < αx + β < 1 (strict, as torch at the
// corners), read from the output: 0 < y < 1 ⇔ 0 < αx + β < 1.
import { elementwiseRule, maskedGradient } from './shared/elementwise';

export const hardSigmoidRule = elementwiseRule(['HardSigmoid'], ['alpha', 'beta'], (a) => {
  const { ctx, y, type } = a;
  const alpha = ctx.node.attrs.float('alpha', 0.2);
  const inside = ctx.op('And', [ctx.op('Greater', [y, ctx.scalar(0, type)]), ctx.op('Less', [y, ctx.scalar(1, type)])]);
  return ctx.op('Mul', [maskedGradient(a, inside), ctx.scalar(alpha, type)]);
});
