// Gradients of broadcasting ops: an input that numpy broadcasting stretched receives the sum of
// the upstream gradient over the stretched axes (ReduceSum with axes as an input, opset ≥ 13).
import type { RuleContext } from '../../rule';
import { reduceSum, reshapeTo } from './tensor-ops';

/** Sums g (shape gShape) down to xShape, then reshapes to exactly xShape. */
export function unbroadcast(ctx: RuleContext, g: string, gShape: readonly number[], xShape: readonly number[]): string {
  if (gShape.length === xShape.length && gShape.every((d, i) => d === xShape[i])) return g;
  const lead = gShape.length - xShape.length;
  const axes: number[] = [];
  for (let i = 0; i < lead; i++) axes.push(i);
  xShape.forEach((d, i) => {
    if (d === 1 && gShape[lead + i] !== 1) axes.push(lead + i);
  });
  const summed = axes.length ? reduceSum(ctx, g, axes) : g;
  return reshapeTo(ctx, summed, xShape);
}

/** unbroadcast() of a gradient shaped like the node's first output, for input `index`. */
export function toInput(ctx: RuleContext, g: string, index: number): string {
  return unbroadcast(ctx, g, ctx.shape(ctx.node.outputs[0]), ctx.shape(ctx.node.inputs[index]));
}

/** The gradient of a broadcasting elementwise op: `raw[i]` is the unreduced gradient for input i. */
export function reduceToInputs(ctx: RuleContext, raw: readonly (string | null)[]): (string | null)[] {
  return raw.map((g, i) => (g === null ? null : toInput(ctx, g, i)));
}
