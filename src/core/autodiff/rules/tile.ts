// Tile (repeats a model constant): every copy sends its gradient back, so gx = g viewed as
// [r0, d0, r1, d1, …] summed over the repeat axes.
import type { VjpRule } from '../rule';
import { reduceSum, reshapeTo } from './shared/tensor-ops';

export const tileRule: VjpRule = {
  opTypes: ['Tile'],
  attributes: [],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const [x, repeatsName] = ctx.node.inputs;
    const shape = ctx.shape(x);
    const repeats = ctx.value(repeatsName).data;
    const split = shape.flatMap((d, i) => [repeats[i], d]);
    const summed = reduceSum(ctx, reshapeTo(ctx, g!, split), shape.map((_, i) => 2 * i), 0);
    return [reshapeTo(ctx, summed, shape), null];
  },
};
