// Where(c, A, B): A receives g where c holds, B where it does not; each summed to its broadcast shape.
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const whereRule: VjpRule = {
  opTypes: ['Where'],
  attributes: [],
  differentiableInputs: [1, 2],
  backward(ctx, [g], [, needA, needB]) {
    const [condition, a] = ctx.node.inputs;
    const zero = ctx.scalar(0, ctx.elemType(a));
    return reduceToInputs(ctx, [null, needA ? ctx.op('Where', [condition, g!, zero]) : null, needB ? ctx.op('Where', [condition, zero, g!]) : null]);
  },
};
