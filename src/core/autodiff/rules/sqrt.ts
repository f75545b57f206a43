// Sqrt: gx = g / (2y).
import { elementwiseRule } from './shared/elementwise';

export const sqrtRule = elementwiseRule(['Sqrt'], [], ({ ctx, y, g, type }) => ctx.op('Div', [g, ctx.op('Mul', [y, ctx.scalar(2, type)])]));
