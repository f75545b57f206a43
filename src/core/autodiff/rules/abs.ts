// Abs: gx = g · sign(x) (0 at x = 0, as torch).
import { elementwiseRule } from './shared/elementwise';

export const absRule = elementwiseRule(['Abs'], [], ({ ctx, x, g }) => ctx.op('Mul', [g, ctx.op('Sign', [x])]));
