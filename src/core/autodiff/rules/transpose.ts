// Transpose: gx = g transposed by the inverse permutation.
import type { VjpRule } from '../rule';

export const transposeRule: VjpRule = {
  opTypes: ['Transpose'],
  attributes: ['perm'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const rank = ctx.shape(ctx.node.inputs[0]).length;
    const perm = ctx.node.attrs.ints('perm') ?? [...Array(rank).keys()].reverse();
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ctx.op('Transpose', [g!], { perm: inverse })];
  },
};
