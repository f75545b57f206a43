// Tanh: gx = g · (1 − y²), from the output alone.
import { elementwiseRule } from './shared/elementwise';

export const tanhRule = elementwiseRule(['Tanh'], [], ({ ctx, y, g, type }) => ctx.op('Mul', [g, ctx.op('Sub', [ctx.scalar(1, type), ctx.op('Mul', [y, y])])]));
