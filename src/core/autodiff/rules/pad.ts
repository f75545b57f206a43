// Pad (opset ≥ 11: pads as an input, optional axes ≥ 18), modes constant, reflect and edge. Per
// axis: the middle part of g is x's own; reflect adds the mirrored border gradients back at the
// rows they copied, edge adds each border's sum to the first/last row. Negative pads (crops) are
// undone by zero-padding.
import type { RuleContext, VjpRule } from '../rule';
import { expandPads } from '../shapes/dims';
import { padAxis, reverseAxis, sliceAxis } from './shared/placement';
import { reduceSum } from './shared/tensor-ops';

function fullPads(ctx: RuleContext, rank: number): number[] {
  const [, padsName, , axesName] = ctx.node.inputs;
  const pads = ctx.value(padsName).data;
  if (!axesName) return pads;
  return expandPads(pads, ctx.value(axesName).data, rank);
}

export const padRule: VjpRule = {
  opTypes: ['Pad'],
  attributes: ['mode'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const x = ctx.node.inputs[0];
    const xShape = ctx.shape(x);
    const rank = xShape.length;
    const mode = ctx.node.attrs.string('mode', 'constant');
    if (!['constant', 'reflect', 'edge'].includes(mode)) ctx.unsupported(`mode=${mode}`);
    const pads = fullPads(ctx, rank);
    let t = g!;
    for (let axis = 0; axis < rank; axis++) {
      const [before, after, size] = [pads[axis], pads[rank + axis], xShape[axis]];
      if (before === 0 && after === 0) continue;
      if (mode !== 'constant' && (before < 0 || after < 0)) ctx.unsupported(`negative pads with mode=${mode}`);
      // the part of g that lies over x (crops leave parts of x without gradient: zero-pad them)
      const start = Math.max(before, 0);
      const kept = Math.min(size + Math.min(before, 0) + Math.min(after, 0), size);
      let middle = padAxis(ctx, sliceAxis(ctx, t, axis, start, start + kept), rank, axis, Math.max(-before, 0), Math.max(-after, 0));
      if (mode === 'reflect' && before > 0) {
        // padded row i < before copies x[before − i]: rows before−1 … 0 of g land on x[1 … before]
        const left = reverseAxis(ctx, sliceAxis(ctx, t, axis, 0, before), axis);
        middle = ctx.op('Add', [middle, padAxis(ctx, left, rank, axis, 1, size - 1 - before)]);
      }
      if (mode === 'reflect' && after > 0) {
        // padded row before+size+j copies x[size−2−j]: land on x[size−1−after … size−2], reversed
        const right = reverseAxis(ctx, sliceAxis(ctx, t, axis, before + size, before + size + after), axis);
        middle = ctx.op('Add', [middle, padAxis(ctx, right, rank, axis, size - 1 - after, 1)]);
      }
      if (mode === 'edge' && before > 0) {
        const left = reduceSum(ctx, sliceAxis(ctx, t, axis, 0, before), [axis]);
        middle = ctx.op('Add', [middle, padAxis(ctx, left, rank, axis, 0, size - 1)]);
      }
      if (mode === 'edge' && after > 0) {
        const right = reduceSum(ctx, sliceAxis(ctx, t, axis, before + size, before + size + after), [axis]);
        middle = ctx.op('Add', [middle, padAxis(ctx, right, rank, axis, size - 1, 0)]);
      }
      t = middle;
    }
    return ctx.node.inputs.map((_, i) => (i === 0 ? t : null));
  },
  source: fullPads.toString(),
};
