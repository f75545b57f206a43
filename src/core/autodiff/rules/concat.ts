// Concat: input i receives its own slab of g along the axis.
import type { VjpRule } from '../rule';
import { normalizeAxis } from '../shapes/dims';
import { sliceAxis } from './shared/placement';

export const concatRule: VjpRule = {
  opTypes: ['Concat'],
  attributes: ['axis'],
  differentiableInputs: 'all',
  backward(ctx, [g], needed) {
    const rank = ctx.shape(ctx.node.outputs[0]).length;
    const axis = normalizeAxis(ctx.node.attrs.int('axis', 0), rank);
    let offset = 0;
    return ctx.node.inputs.map((input, i) => {
      const size = ctx.shape(input)[axis];
      const start = offset;
      offset += size;
      return needed[i] ? sliceAxis(ctx, g!, axis, start, start + size) : null;
    });
  },
};
