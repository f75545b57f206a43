// Clip (opset ≥ 11, bounds as optional inputs): gx = g strictly inside (min, max), else 0 — the
// semantics of torch's ReLU6/Hardtanh, which is what exports write as Clip. The mask is read from the
// output (y > min ⇔ x > min when min < max) so Conv+Clip can still fuse. Bounds get no gradient.
import { elementwiseRule, maskedGradient } from './shared/elementwise';

export const clipRule = elementwiseRule(['Clip'], [], (a) => {
  const { ctx, y, g } = a;
  const [, low, high] = ctx.node.inputs;
  const conditions: string[] = [];
  if (low) conditions.push(ctx.op('Greater', [y, low]));
  if (high) conditions.push(ctx.op('Less', [y, high]));
  if (conditions.length === 0) return ctx.op('Identity', [g]);
  const mask = conditions.length === 1 ? conditions[0] : ctx.op('And', conditions);
  return maskedGradient(a, mask);
});
