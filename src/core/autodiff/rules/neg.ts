// Neg: gx = −g.
import { elementwiseRule } from './shared/elementwise';

export const negRule = elementwiseRule(['Neg'], [], ({ ctx, g }) => ctx.op('Neg', [g]));
