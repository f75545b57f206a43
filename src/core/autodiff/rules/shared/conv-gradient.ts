// Two ways to compute a Conv's data gradient in plain ops, and the rule built on a choice between
// them: (A) ConvTranspose(g, W) with the forward geometry; (B) a Conv of g (zero-inserted for
// strides > 1) with W flipped spatially and its groups' in/out axes swapped, padded d(k−1) − p.
// The flip runs in the graph on the weights alone, so onnxruntime folds it at session creation.
import type { RuleContext, VjpRule } from '../../rule';
import type { WindowGeometry } from '../../shapes/dims';
import { convGeometry } from './windows';
import { reverseAxis, zeroInsert } from './placement';
import { reshapeTo } from './tensor-ops';

export type ConvGradientMethod = 'conv-transpose' | 'flipped-conv';

export interface ConvGradientCase {
  geometry: WindowGeometry;
  group: number;
  /** x [N, C, …] and W [O, C/G, k…] */
  inputShape: number[];
  weightShape: number[];
}

/** Rows the strided forward dropped at the end of each axis: restored by output_padding / end pad. */
function droppedTail(c: ConvGradientCase): number[] {
  const { kernel, strides, dilations, pads } = c.geometry;
  const spatial = c.inputShape.slice(2);
  return spatial.map((h, i) => (h + pads[i] + pads[spatial.length + i] - dilations[i] * (kernel[i] - 1) - 1) % strides[i]);
}

function byConvTranspose(ctx: RuleContext, g: string, w: string, c: ConvGradientCase): string {
  const { kernel, strides, dilations, pads } = c.geometry;
  return ctx.op('ConvTranspose', [g, w], { strides, pads, dilations, group: c.group, kernel_shape: kernel, output_padding: droppedTail(c) });
}

/** The flipped-conv pads d(k−1) − p_begin and d(k−1) − p_end + tail; null when one would be negative. */
function flippedConvPads(c: ConvGradientCase): number[] | null {
  const { kernel, dilations, pads } = c.geometry;
  const n = kernel.length;
  const tail = droppedTail(c);
  const begin = kernel.map((k, i) => dilations[i] * (k - 1) - pads[i]);
  const end = kernel.map((k, i) => dilations[i] * (k - 1) - pads[n + i] + tail[i]);
  return [...begin, ...end].some((p) => p < 0) ? null : [...begin, ...end];
}

function byFlippedConv(ctx: RuleContext, g: string, w: string, c: ConvGradientCase, pads: number[]): string {
  const { kernel, strides, dilations } = c.geometry;
  const [out, inPerGroup] = c.weightShape;
  const n = kernel.length;
  let flipped = w;
  for (let i = 0; i < n; i++) flipped = reverseAxis(ctx, flipped, 2 + i);
  if (out / c.group > 1 || inPerGroup > 1) {
    // (G, O/G, C/G, k…) → (G, C/G, O/G, k…) → (C, O/G, k…)
    const grouped = reshapeTo(ctx, flipped, [c.group, out / c.group, inPerGroup, ...kernel]);
    const swapped = ctx.op('Transpose', [grouped], { perm: [0, 2, 1, ...kernel.map((_, i) => 3 + i)] });
    flipped = reshapeTo(ctx, swapped, [c.group * inPerGroup, out / c.group, ...kernel]);
  }
  let spread = g;
  const shape = [...ctx.shape(ctx.node.outputs[0])];
  for (let i = 0; i < n; i++) {
    spread = zeroInsert(ctx, spread, shape, 2 + i, strides[i]);
    shape[2 + i] = (shape[2 + i] - 1) * strides[i] + 1;
  }
  return ctx.op('Conv', [spread, flipped], { pads, dilations, group: c.group, kernel_shape: kernel });
}

/** A Conv rule (data gradient only: weights and bias are model constants) using `choose` per node. */
export function convRuleWith(choose: (c: ConvGradientCase) => ConvGradientMethod): VjpRule {
  return {
    opTypes: ['Conv'],
    attributes: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'],
    differentiableInputs: [0],
    backward(ctx, [g]) {
      const [x, w] = ctx.node.inputs;
      const weightShape = ctx.shape(w);
      const c: ConvGradientCase = { geometry: convGeometry(ctx, weightShape.slice(2)), group: ctx.node.attrs.int('group', 1), inputShape: ctx.shape(x), weightShape };
      const pads = choose(c) === 'flipped-conv' ? flippedConvPads(c) : null;
      const gx = pads ? byFlippedConv(ctx, g!, w, c, pads) : byConvTranspose(ctx, g!, w, c);
      return ctx.node.inputs.map((_, i) => (i === 0 ? gx : null));
    },
    source: choose.toString(),
  };
}
