// ReduceSum: every reduced element receives the gradient of its sum.
import type { VjpRule } from '../rule';
import { REDUCE_ATTRIBUTES, reducedAxes, spreadOverReduced } from './shared/reduce';

export const reduceSumRule: VjpRule = {
  opTypes: ['ReduceSum'],
  attributes: REDUCE_ATTRIBUTES,
  differentiableInputs: [0],
  backward: (ctx, [g]) => [spreadOverReduced(ctx, g!, reducedAxes(ctx)), null],
};
