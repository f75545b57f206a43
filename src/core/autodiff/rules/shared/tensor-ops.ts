// Emission helpers whose ONNX signature depends on the opset or on the data: ReduceSum takes its
// axes as an input from opset 13 (an attribute before), and a Reshape to a shape with a 0 dim
// needs allowzero (opset ≥ 14), since a 0 in the target shape otherwise means "copy that dim".
import type { RuleContext } from '../../rule';

export function reduceSum(ctx: RuleContext, t: string, axes: readonly number[], keepdims = 1): string {
  if (ctx.node.opset >= 13) return ctx.op('ReduceSum', [t, ctx.int64s([...axes])], { keepdims });
  return ctx.op('ReduceSum', [t], { axes: [...axes], keepdims });
}

export function reshapeTo(ctx: RuleContext, t: string, shape: readonly number[]): string {
  if (!shape.includes(0)) return ctx.op('Reshape', [t, ctx.int64s([...shape])]);
  if (ctx.node.opset < 14) ctx.unsupported(`an empty tensor [${shape.join(', ')}] needs Reshape with allowzero (opset ≥ 14)`);
  return ctx.op('Reshape', [t, ctx.int64s([...shape])], { allowzero: 1 });
}
