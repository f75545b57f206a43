// Reciprocal: y = 1/x, gx = −g · y².
import { elementwiseRule } from './shared/elementwise';

export const reciprocalRule = elementwiseRule(['Reciprocal'], [], ({ ctx, y, g }) => ctx.op('Neg', [ctx.op('Mul', [g, ctx.op('Mul', [y, y])])]));
