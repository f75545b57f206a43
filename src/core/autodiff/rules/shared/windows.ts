// Sliding-window geometry of Conv and the pools as the rules read it (an unknown auto_pad is
// refused), and the overlap-add that sends per-window values back to the input positions with one
// ConvTranspose — the scatter of the pools' backward in plain opset-13 ops.
import type { RuleContext } from '../../rule';
import { product, windowGeometry, type WindowGeometry } from '../../shapes/dims';
import { reshapeTo } from './tensor-ops';

/** The node's window attributes; `kernelFallback` serves Conv, whose kernel_shape may be omitted. */
export function convGeometry(ctx: RuleContext, kernelFallback?: number[]): WindowGeometry {
  const attrs = ctx.node.attrs;
  const spatial = ctx.shape(ctx.node.inputs[0]).slice(2);
  const kernel = attrs.ints('kernel_shape') ?? kernelFallback ?? ctx.unsupported('no kernel_shape');
  const autoPad = attrs.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'].includes(autoPad)) ctx.unsupported(`auto_pad=${autoPad}`);
  return windowGeometry(attrs, spatial, kernel);
}

/**
 * Overlap-adds `contributions` [N·C, K, Ho…] — one value per output position and window offset
 * (K = kernel size, row-major offsets), or [N·C, 1, Ho…] for the same value at every offset with
 * `sameForAllOffsets` — into the input positions the windows read, and reshapes to `inputShape`.
 */
export function overlapAdd(ctx: RuleContext, contributions: string, geo: WindowGeometry, inputShape: number[], outputShape: number[], sameForAllOffsets: boolean): string {
  const { kernel, strides, dilations, pads } = geo;
  const n = kernel.length;
  const offsets = product(kernel);
  const type = ctx.elemType(ctx.node.inputs[0]);
  let weights: Float64Array;
  if (sameForAllOffsets) weights = new Float64Array(offsets).fill(1);
  else {
    weights = new Float64Array(offsets * offsets);
    for (let j = 0; j < offsets; j++) weights[j * offsets + j] = 1; // offset j → its own kernel tap
  }
  const weightShape = [sameForAllOffsets ? 1 : offsets, 1, ...kernel];
  // ConvTranspose output = s(Ho−1) + o + d(k−1) + 1 − pb − pe must equal H: windows overhanging the
  // end (ceil_mode) are cropped with a larger end pad, a short tail is restored with output_padding.
  const endPads: number[] = [];
  const outputPadding: number[] = [];
  for (let i = 0; i < n; i++) {
    const full = strides[i] * (outputShape[2 + i] - 1) + dilations[i] * (kernel[i] - 1) + 1 - pads[i] - pads[n + i];
    const extra = inputShape[2 + i] - full;
    outputPadding.push(Math.max(0, extra));
    endPads.push(pads[n + i] + Math.max(0, -extra));
  }
  const scattered = ctx.op('ConvTranspose', [contributions, ctx.constant(weights, weightShape, type)], {
    strides,
    dilations,
    pads: [...pads.slice(0, n), ...endPads],
    output_padding: outputPadding,
    kernel_shape: kernel,
  });
  return reshapeTo(ctx, scattered, inputShape);
}

/** Row-major enumeration of every offset in a kernel. */
export function kernelOffsets(kernel: number[]): number[][] {
  let all: number[][] = [[]];
  for (const k of kernel) all = all.flatMap((prefix) => Array.from({ length: k }, (_, i) => [...prefix, i]));
  return all;
}
