// ReduceMax and ReduceMin: the gradient goes to the elements equal to the result, shared equally
// among ties (torch.amax/amin's rule; exported max/min reductions without indices come from them).
import { reductionRule } from './shared/reduce';
import { reduceSum } from './shared/tensor-ops';

export const reduceMaxRule = reductionRule(['ReduceMax', 'ReduceMin'], (ctx, x, y, axes) => {
  const hit = ctx.op('Cast', [ctx.op('Equal', [x, y])], { to: ctx.elemType(x) });
  return ctx.op('Div', [hit, reduceSum(ctx, hit, axes)]);
});
