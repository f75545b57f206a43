// ReduceSumSquare y = Σx²: gx = 2x · g.
import { reductionRule } from './shared/reduce';

export const reduceSumSquareRule = reductionRule(['ReduceSumSquare'], (ctx, x) => ctx.op('Mul', [x, ctx.scalar(2, ctx.elemType(x))]));
