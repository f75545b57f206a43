// Slice (opset ≥ 10 inputs; starts/ends/axes/steps must be constants): per sliced axis the gradient
// is reversed for a negative step, zero-inserted for |step| > 1 and zero-padded back to the input's
// extent at the lowest index the slice touched.
import type { VjpRule } from '../rule';
import { resolveSlice } from '../shapes/dims';
import { padAxis, reverseAxis, zeroInsert } from './shared/placement';

export const sliceRule: VjpRule = {
  opTypes: ['Slice'],
  attributes: [],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const [x, startsName, endsName, axesName, stepsName] = ctx.node.inputs;
    const xShape = ctx.shape(x);
    const rank = xShape.length;
    const starts = ctx.value(startsName).data;
    const ends = ctx.value(endsName).data;
    const axes = axesName ? ctx.value(axesName).data : null;
    const steps = stepsName ? ctx.value(stepsName).data : null;
    const current = [...ctx.shape(ctx.node.outputs[0])];
    if (current.some((d) => d === 0)) return [ctx.zeros(xShape, ctx.elemType(x)), null, null, null, null];
    let t = g!;
    for (const s of resolveSlice(xShape, starts, ends, axes, steps)) {
      const axis = s.axis;
      let lowest = s.first;
      if (s.step < 0) {
        t = reverseAxis(ctx, t, axis);
        lowest = s.first + (s.count - 1) * s.step;
      }
      const step = Math.abs(s.step);
      t = zeroInsert(ctx, t, current, axis, step);
      const span = (s.count - 1) * step + 1;
      t = padAxis(ctx, t, rank, axis, lowest, xShape[axis] - lowest - span);
      current[axis] = xShape[axis];
    }
    return [t, null, null, null, null];
  },
};
