// GlobalAveragePool: y = mean over the spatial axes, so gx = expand(g) / (H·W…).
import type { VjpRule } from '../rule';
import { product } from '../shapes/dims';

export const globalAveragePoolRule: VjpRule = {
  opTypes: ['GlobalAveragePool'],
  attributes: [],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const x = ctx.node.inputs[0];
    const shape = ctx.shape(x);
    const count = product(shape.slice(2));
    return [ctx.op('Mul', [ctx.op('Expand', [g!, ctx.int64s(shape)]), ctx.scalar(1 / count, ctx.elemType(x))])];
  },
};
