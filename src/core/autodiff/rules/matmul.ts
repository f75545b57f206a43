// MatMul (numpy semantics, batch broadcasting, 1-D operands): gA = g @ Bᵀ, gB = Aᵀ @ g, each summed
// over the batch axes its operand was broadcast along. 1-D operands are viewed as [1,K] / [K,1].
import type { RuleContext, VjpRule } from '../rule';
import { unbroadcast } from './shared/broadcast';
import { reshapeTo } from './shared/tensor-ops';

function swapLastTwo(ctx: RuleContext, t: string, rank: number): string {
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return ctx.op('Transpose', [t], { perm });
}

/** A name for `t` viewed with the given shape (no node when it already has it). */
function viewAs(ctx: RuleContext, t: string, from: readonly number[], to: readonly number[]): string {
  return from.length === to.length && from.every((d, i) => d === to[i]) ? t : reshapeTo(ctx, t, to);
}

export const matmulRule: VjpRule = {
  opTypes: ['MatMul'],
  attributes: [],
  differentiableInputs: [0, 1],
  backward(ctx, [g], [needA, needB]) {
    const [a, b] = ctx.node.inputs;
    const [aShape, bShape, yShape] = [ctx.shape(a), ctx.shape(b), ctx.shape(ctx.node.outputs[0])];
    const a2 = aShape.length === 1 ? [1, aShape[0]] : aShape;
    const b2 = bShape.length === 1 ? [bShape[0], 1] : bShape;
    // the output with the dims of 1-D operands put back: [..., M, N]
    const y2 = [...yShape.slice(0, yShape.length - (aShape.length > 1 ? 1 : 0) - (bShape.length > 1 ? 1 : 0)), a2[a2.length - 2], b2[b2.length - 1]];
    const g2 = viewAs(ctx, g!, yShape, y2);
    const batch = y2.slice(0, -2);
    let ga: string | null = null;
    let gb: string | null = null;
    if (needA) {
      const full = ctx.op('MatMul', [g2, swapLastTwo(ctx, viewAs(ctx, b, bShape, b2), b2.length)]);
      ga = viewAs(ctx, unbroadcast(ctx, full, [...batch, ...a2.slice(-2)], a2), a2, aShape);
    }
    if (needB) {
      const full = ctx.op('MatMul', [swapLastTwo(ctx, viewAs(ctx, a, aShape, a2), a2.length), g2]);
      gb = viewAs(ctx, unbroadcast(ctx, full, [...batch, ...b2.slice(-2)], b2), b2, bShape);
    }
    return [ga, gb];
  },
  source: [swapLastTwo, viewAs].map(String).join('\n'),
};
