// Sum and Mean of any number of inputs with numpy broadcasting: each input receives g (divided by
// the input count for Mean), summed down to its own shape.
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const sumRule: VjpRule = {
  opTypes: ['Sum', 'Mean'],
  attributes: [],
  differentiableInputs: 'all',
  backward(ctx, [g], needed) {
    const inputs = ctx.node.inputs;
    const share = ctx.node.opType === 'Mean' ? ctx.op('Mul', [g!, ctx.scalar(1 / inputs.length, ctx.elemType(inputs[0]))]) : g!;
    return reduceToInputs(ctx, needed.map((need) => (need ? share : null)));
  },
};
