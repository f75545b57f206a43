// Exp: gx = g · y.
import { elementwiseRule } from './shared/elementwise';

export const expRule = elementwiseRule(['Exp'], [], ({ ctx, y, g }) => ctx.op('Mul', [g, y]));
