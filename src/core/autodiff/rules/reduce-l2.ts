// ReduceL2 y = √Σx²: gx = x / y · g (undefined where y = 0).
import { reductionRule } from './shared/reduce';

export const reduceL2Rule = reductionRule(['ReduceL2'], (ctx, x, y) => ctx.op('Div', [x, y]));
