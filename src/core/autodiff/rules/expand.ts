// Expand: numpy broadcasting to a shape, so gx = g summed over the broadcast axes.
import type { VjpRule } from '../rule';
import { toInput } from './shared/broadcast';

export const expandRule: VjpRule = {
  opTypes: ['Expand'],
  attributes: [],
  differentiableInputs: [0],
  backward: (ctx, [g]) => [toInput(ctx, g!, 0), null],
};
