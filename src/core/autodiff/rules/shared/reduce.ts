// The backward of a reduction over some axes: g (keepdims or not) reshaped with those axes as 1 and
// expanded back over them; the axes come from the `axes` input (ReduceSum ≥ 13, others ≥ 18) or
// attribute (older), with keepdims and noop_with_empty_axes honoured.
import type { RuleContext, VjpRule } from '../../rule';
import { normalizeAxis, reductionAxes } from '../../shapes/dims';
import { reshapeTo } from './tensor-ops';

export const REDUCE_ATTRIBUTES = ['axes', 'keepdims', 'noop_with_empty_axes'];

/** The reduced axes, normalised; an empty list means "none" only with noop_with_empty_axes. */
export function reducedAxes(ctx: RuleContext): number[] {
  const rank = ctx.shape(ctx.node.inputs[0]).length;
  const axesInput = ctx.node.inputs[1];
  const listed = axesInput ? ctx.value(axesInput).data : ctx.node.attrs.ints('axes');
  return reductionAxes(listed, rank, ctx.node.attrs.int('noop_with_empty_axes', 0) !== 0);
}

/** A reduction's output (or its gradient) with the reduced axes kept as 1s, broadcastable against x. */
function withKeptAxes(ctx: RuleContext, t: string, axes: number[]): string {
  const shape = ctx.shape(ctx.node.inputs[0]);
  return reshapeTo(ctx, t, shape.map((d, i) => (axes.includes(i) ? 1 : d)));
}

/** g spread back over the reduced axes: Expand(Reshape(g, shape with 1s), x.shape). */
export function spreadOverReduced(ctx: RuleContext, g: string, axes: number[]): string {
  return ctx.op('Expand', [withKeptAxes(ctx, g, axes), ctx.int64s(ctx.shape(ctx.node.inputs[0]))]);
}

/**
 * A reduction rule whose gradient is `factor(x, y) · g` per element, with y given with the reduced axes
 * kept (so it broadcasts against x) and g spread over them; the reduction's own file states only the factor.
 */
export function reductionRule(opTypes: string[], factor: (ctx: RuleContext, x: string, y: string, axes: number[]) => string): VjpRule {
  return {
    opTypes,
    attributes: REDUCE_ATTRIBUTES,
    differentiableInputs: [0],
    backward(ctx, [g]) {
      const x = ctx.node.inputs[0];
      const axes = reducedAxes(ctx);
      const y = withKeptAxes(ctx, ctx.node.outputs[0], axes);
      return [ctx.op('Mul', [factor(ctx, x, y, axes), spreadOverReduced(ctx, g!, axes)]), null];
    },
    source: factor.toString(),
  };
}

/** Softmax/LogSoftmax normalise over one axis from opset 13 (default −1), over axes [axis, rank) before (default 1). */
export function softmaxAxes(ctx: RuleContext): number[] {
  const rank = ctx.shape(ctx.node.inputs[0]).length;
  if (ctx.node.opset >= 13) return [normalizeAxis(ctx.node.attrs.int('axis', -1), rank)];
  const axis = normalizeAxis(ctx.node.attrs.int('axis', 1), rank);
  return [...Array(rank).keys()].filter((i) => i >= axis);
}
