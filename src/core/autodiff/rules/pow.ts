// Pow with numpy broadcasting: gA = unbroadcast(g · B · A^(B−1)), gB = unbroadcast(g · y · ln A)
// (the exponent's gradient needs A > 0; decomposed LayerNorm uses Pow(x, 2) with a constant B).
import type { VjpRule } from '../rule';
import { reduceToInputs } from './shared/broadcast';

export const powRule: VjpRule = {
  opTypes: ['Pow'],
  attributes: [],
  differentiableInputs: [0, 1],
  backward(ctx, [g], [needA, needB]) {
    const [a, b] = ctx.node.inputs;
    const y = ctx.node.outputs[0];
    const typeA = ctx.elemType(a);
    // An integer exponent is allowed by Pow; it is cast to the base's type for the arithmetic.
    const exponent = ctx.elemType(b) === typeA ? b : ctx.op('Cast', [b], { to: typeA });
    const ga = needA ? ctx.op('Mul', [ctx.op('Mul', [g!, exponent]), ctx.op('Pow', [a, ctx.op('Sub', [exponent, ctx.scalar(1, typeA)])])]) : null;
    const gb = needB ? ctx.op('Mul', [ctx.op('Mul', [g!, y]), ctx.op('Log', [a])]) : null;
    return reduceToInputs(ctx, [ga, gb]);
  },
};
