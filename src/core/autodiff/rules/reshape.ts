// Reshape, Flatten, Squeeze, Unsqueeze: the elements are unchanged, so gx = g reshaped to x's shape.
import type { VjpRule } from '../rule';
import { reshapeTo } from './shared/tensor-ops';

export const reshapeRule: VjpRule = {
  opTypes: ['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze'],
  attributes: ['allowzero', 'axis', 'axes'],
  differentiableInputs: [0],
  backward: (ctx, [g]) => ctx.node.inputs.map((x, i) => (i === 0 ? reshapeTo(ctx, g!, ctx.shape(x)) : null)),
};
