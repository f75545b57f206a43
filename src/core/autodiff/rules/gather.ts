// Gather along an axis: gx = OneHot(indices)ᵀ @ g, reshaped — repeated indices are summed by the
// MatMul and negative indices are handled by OneHot (opset ≥ 11). Indices get no gradient.
import type { VjpRule } from '../rule';
import { normalizeAxis, product } from '../shapes/dims';
import { reshapeTo } from './shared/tensor-ops';

export const gatherRule: VjpRule = {
  opTypes: ['Gather'],
  attributes: ['axis'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const [x, indices] = ctx.node.inputs;
    const xShape = ctx.shape(x);
    const type = ctx.elemType(x);
    const axis = normalizeAxis(ctx.node.attrs.int('axis', 0), xShape.length);
    const count = product(ctx.shape(indices));
    const [before, after] = [product(xShape.slice(0, axis)), product(xShape.slice(axis + 1))];
    const flatIndices = reshapeTo(ctx, indices, [count]);
    const oneHot = ctx.op('OneHot', [flatIndices, ctx.int64s([xShape[axis]]), ctx.constant([0, 1], [2], type)], { axis: -1 });
    const rows = reshapeTo(ctx, g!, [before, count, after]);
    const summed = ctx.op('MatMul', [ctx.op('Transpose', [oneHot], { perm: [1, 0] }), rows]);
    return [reshapeTo(ctx, summed, xShape), null];
  },
};
