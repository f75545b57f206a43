// Identity, and Dropout in inference mode (no training_mode input set to true): gx = g.
import type { VjpRule } from '../rule';

export const identityRule: VjpRule = {
  opTypes: ['Identity', 'Dropout'],
  attributes: ['seed'],
  differentiableInputs: [0],
  backward(ctx, grads) {
    const training = ctx.node.inputs[2];
    if (ctx.node.opType === 'Dropout' && training && ctx.value(training).data[0] !== 0) ctx.unsupported('training_mode=true (random masks)');
    if (grads[1]) ctx.unsupported('a gradient through the mask output');
    return ctx.node.inputs.map((_, i) => (i === 0 ? ctx.op('Identity', [grads[0]!]) : null));
  },
};
