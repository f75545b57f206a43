// ReduceL1 y = Σ|x|: gx = sign(x) · g (0 at x = 0, as torch).
import { reductionRule } from './shared/reduce';

export const reduceL1Rule = reductionRule(['ReduceL1'], (ctx, x) => ctx.op('Sign', [x]));
