// Sigmoid: gx = g · y · (1 − y), from the output alone.
import { elementwiseRule } from './shared/elementwise';

export const sigmoidRule = elementwiseRule(['Sigmoid'], [], ({ ctx, y, g, type }) =>
  ctx.op('Mul', [g, ctx.op('Mul', [y, ctx.op('Sub', [ctx.scalar(1, type), y])])]),
);
