// HardSwish: y = x · clamp(x/6 + 1/2, 0, 1); dy/dx = 0 for x < −3, x/3 + 1/2 for −3 ≤ x < 3, 1 for
// x ≥ 3 (torch's vectorised CPU path; exact ±3 are kinks, kept out of reference data).
import { elementwiseRule } from './shared/elementwise';

export const hardSwishRule = elementwiseRule(['HardSwish'], [], ({ ctx, x, g, type }) => {
  const ramp = ctx.op('Add', [ctx.op('Div', [x, ctx.scalar(3, type)]), ctx.scalar(0.5, type)]);
  const upper = ctx.op('Where', [ctx.op('Less', [x, ctx.scalar(3, type)]), ramp, ctx.scalar(1, type)]);
  const slope = ctx.op('Where', [ctx.op('Less', [x, ctx.scalar(-3, type)]), ctx.scalar(0, type), upper]);
  return ctx.op('Mul', [g, slope]);
});
