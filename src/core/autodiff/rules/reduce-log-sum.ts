// ReduceLogSum y = ln Σx: gx = g / Σx = g · e^(−y).
import { reductionRule } from './shared/reduce';

export const reduceLogSumRule = reductionRule(['ReduceLogSum'], (ctx, _x, y) => ctx.op('Exp', [ctx.op('Neg', [y])]));
