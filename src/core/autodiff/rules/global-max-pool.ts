// GlobalMaxPool: the gradient of each channel goes to its first maximum in row-major order (torch's
// adaptive max pooling to 1 and onnxruntime's MaxPool Indices): ArgMax over the flattened plane, then
// a one-hot spread of g.
import type { VjpRule } from '../rule';
import { product } from '../shapes/dims';
import { reshapeTo } from './shared/tensor-ops';

export const globalMaxPoolRule: VjpRule = {
  opTypes: ['GlobalMaxPool'],
  attributes: [],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const x = ctx.node.inputs[0];
    const shape = ctx.shape(x);
    const plane = product(shape.slice(2));
    const rows = [shape[0], shape[1]];
    const first = ctx.op('ArgMax', [reshapeTo(ctx, x, [...rows, plane])], { axis: 2, keepdims: 1, select_last_index: 0 });
    const choice = ctx.op('OneHot', [first, ctx.int64s([plane]), ctx.constant([0, 1], [2], ctx.elemType(x))], { axis: -1 });
    const spread = ctx.op('Mul', [reshapeTo(ctx, choice, [...rows, plane]), reshapeTo(ctx, g!, [...rows, 1])]);
    return [reshapeTo(ctx, spread, shape)];
  },
};
