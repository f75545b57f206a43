// Mul with numpy broadcasting: gA = unbroadcast(g·B), gB = unbroadcast(g·A).
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const mulRule: VjpRule = {
  opTypes: ['Mul'],
  attributes: [],
  differentiableInputs: [0, 1],
  backward(ctx, [g], [needA, needB]) {
    const [a, b] = ctx.node.inputs;
    return reduceToInputs(ctx, [needA ? ctx.op('Mul', [g!, b]) : null, needB ? ctx.op('Mul', [g!, a]) : null]);
  },
};
