// Softplus y = ln(1 + eˣ): gx = g · sigmoid(x).
import { elementwiseRule } from './shared/elementwise';

export const softplusRule = elementwiseRule(['Softplus'], [], ({ ctx, x, g }) => ctx.op('Mul', [g, ctx.op('Sigmoid', [x])]));
