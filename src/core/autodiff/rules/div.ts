// Div with numpy broadcasting: gA = unbroadcast(g / B), gB = unbroadcast(−g · y / B).
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const divRule: VjpRule = {
  opTypes: ['Div'],
  attributes: [],
  differentiableInputs: [0, 1],
  backward(ctx, [g], [needA, needB]) {
    const [, b] = ctx.node.inputs;
    const y = ctx.node.outputs[0];
    const gb = needB ? ctx.op('Neg', [ctx.op('Div', [ctx.op('Mul', [g!, y]), b])]) : null;
    return reduceToInputs(ctx, [needA ? ctx.op('Div', [g!, b]) : null, gb]);
  },
};
