// Floor, Ceil, Round, Sign, Hardmax: piecewise constant, so the derivative is 0 almost everywhere (torch's
// choice too). Stated as a rule so that the zero is deliberate, not a missing op.
import type { VjpRule } from '../rule';

export const piecewiseConstantRule: VjpRule = {
  opTypes: ['Floor', 'Ceil', 'Round', 'Sign', 'Hardmax'],
  attributes: ['axis'],
  differentiableInputs: [0],
  backward: (ctx) => {
    const x = ctx.node.inputs[0];
    return [ctx.zeros(ctx.shape(x), ctx.elemType(x))];
  },
};
