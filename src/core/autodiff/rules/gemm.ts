// Gemm: y = α·op(A)·op(B) + β·C. gA and gB are Gemms of g with the other operand (transposes
// chosen so no Transpose node is needed); gC = β·g summed down to C's broadcast shape.
import type { VjpRule } from '../rule';
import { unbroadcast } from './shared/broadcast';

export const gemmRule: VjpRule = {
  opTypes: ['Gemm'],
  attributes: ['alpha', 'beta', 'transA', 'transB'],
  differentiableInputs: [0, 1, 2],
  backward(ctx, [g], needed) {
    const [a, b, c] = ctx.node.inputs;
    const attrs = ctx.node.attrs;
    const alpha = { float: attrs.float('alpha', 1) };
    const beta = attrs.float('beta', 1);
    const [tA, tB] = [attrs.int('transA', 0), attrs.int('transB', 0)];
    const out: (string | null)[] = ctx.node.inputs.map(() => null);
    if (needed[0]) out[0] = tA ? ctx.op('Gemm', [b, g!], { alpha, transA: tB, transB: 1 }) : ctx.op('Gemm', [g!, b], { alpha, transB: 1 - tB });
    if (needed[1]) out[1] = tB ? ctx.op('Gemm', [g!, a], { alpha, transA: 1, transB: tA }) : ctx.op('Gemm', [a, g!], { alpha, transA: 1 - tA });
    if (needed[2]) {
      const scaled = beta === 1 ? g! : ctx.op('Mul', [g!, ctx.scalar(beta, ctx.elemType(c))]);
      out[2] = unbroadcast(ctx, scaled, ctx.shape(ctx.node.outputs[0]), ctx.shape(c));
    }
    return out;
  },
};
