// ReduceLogSumExp y = ln Σeˣ: gx = e^(x − y) · g (the softmax over the reduced axes).
import { reductionRule } from './shared/reduce';

export const reduceLogSumExpRule = reductionRule(['ReduceLogSumExp'], (ctx, x, y) => ctx.op('Exp', [ctx.op('Sub', [x, y])]));
