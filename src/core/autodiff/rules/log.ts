// Log: gx = g / x.
import { elementwiseRule } from './shared/elementwise';

export const logRule = elementwiseRule(['Log'], [], ({ ctx, x, g }) => ctx.op('Div', [g, x]));
