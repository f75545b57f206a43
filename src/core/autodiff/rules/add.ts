// Add with numpy broadcasting: each input receives g summed over the axes it was broadcast along.
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const addRule: VjpRule = {
  opTypes: ['Add'],
  attributes: [],
  differentiableInputs: [0, 1],
  backward: (ctx, [g], needed) => reduceToInputs(ctx, needed.map((n) => (n ? g! : null))),
};
