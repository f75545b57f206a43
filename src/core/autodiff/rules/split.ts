// Split (sizes from the `split` input ≥ 13, or `num_outputs` ≥ 18): gx = Concat of the outputs'
// gradients along the axis, zeros for outputs nothing downstream uses.
import type { VjpRule } from '../rule';
import { normalizeAxis } from '../shapes/dims';

export const splitRule: VjpRule = {
  opTypes: ['Split'],
  attributes: ['axis', 'num_outputs', 'split'],
  differentiableInputs: [0],
  backward(ctx, grads) {
    const x = ctx.node.inputs[0];
    const axis = normalizeAxis(ctx.node.attrs.int('axis', 0), ctx.shape(x).length);
    const parts = ctx.node.outputs.map((o, k) => grads[k] ?? ctx.zeros(ctx.shape(o), ctx.elemType(x)));
    return ctx.node.inputs.map((_, i) => (i === 0 ? (parts.length === 1 ? ctx.op('Identity', parts) : ctx.op('Concat', parts, { axis })) : null));
  },
};
