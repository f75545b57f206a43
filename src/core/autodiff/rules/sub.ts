// Sub with numpy broadcasting: gA = unbroadcast(g), gB = unbroadcast(−g).
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const subRule: VjpRule = {
  opTypes: ['Sub'],
  attributes: [],
  differentiableInputs: [0, 1],
  backward: (ctx, [g], [needA, needB]) => reduceToInputs(ctx, [needA ? g! : null, needB ? ctx.op('Neg', [g!]) : null]),
};
