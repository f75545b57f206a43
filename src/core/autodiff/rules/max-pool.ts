// MaxPool: the gradient goes to each window's maximum, the one onnxruntime's Indices output names
// (first maximum in row-major order, as torch). A second MaxPool node computes the Indices (the
// forward node stays as exported, so its fast kernel is kept); for each kernel offset j, a constant
// map holds the input position window o reads at offset j, so Equal(indices mod H·W, map) broadcast
// over all offsets is the routing mask [N·C, K, Ho…], and one ConvTranspose overlap-adds g through
// it. Only opset-11 ops (no ScatterElements reduction, opset 16), 1–3-D, pads, ceil_mode, dilations.
import type { VjpRule } from '../rule';
import { ElemType } from '../onnx/tensor';
import { product } from '../shapes/dims';
import { convGeometry, kernelOffsets, overlapAdd } from './shared/windows';
import { reshapeTo } from './shared/tensor-ops';

/** [K, Ho…]: the flat input position (within one H×W… plane) that window o reads at offset j, −1 outside. */
function windowPositions(spatial: number[], outSpatial: number[], kernel: number[], strides: number[], dilations: number[], padsBegin: number[]): number[] {
  const offsets = kernelOffsets(kernel);
  const outCount = product(outSpatial);
  const positions: number[] = [];
  for (const offset of offsets) {
    for (let o = 0; o < outCount; o++) {
      let rest = o;
      let flat = 0;
      let inside = true;
      for (let i = spatial.length - 1, scale = 1; i >= 0; i--) {
        const index = rest % outSpatial[i];
        rest = Math.floor(rest / outSpatial[i]);
        const p = index * strides[i] + offset[i] * dilations[i] - padsBegin[i];
        if (p < 0 || p >= spatial[i]) inside = false;
        flat += p * scale;
        scale *= spatial[i];
      }
      positions.push(inside ? flat : -1);
    }
  }
  return positions;
}

export const maxPoolRule: VjpRule = {
  opTypes: ['MaxPool'],
  attributes: ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'storage_order', 'strides'],
  differentiableInputs: [0],
  backward(ctx, grads) {
    if (grads[1]) ctx.unsupported('a gradient through the Indices output');
    if (ctx.node.attrs.int('storage_order', 0) !== 0) ctx.unsupported('storage_order=1');
    const x = ctx.node.inputs[0];
    const [xShape, yShape] = [ctx.shape(x), ctx.shape(ctx.node.outputs[0])];
    const geo = convGeometry(ctx);
    const n = geo.kernel.length;
    const spatial = xShape.slice(2);
    const outSpatial = yShape.slice(2);
    const rows = xShape[0] * xShape[1];
    const offsets = product(geo.kernel);
    const forwardAttributes = Object.fromEntries(
      ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'strides']
        .filter((a) => ctx.node.attrs.has(a))
        .map((a) => [a, a === 'auto_pad' ? ctx.node.attrs.string(a, 'NOTSET') : a === 'ceil_mode' ? ctx.node.attrs.int(a, 0) : ctx.node.attrs.ints(a)!]),
    );
    const [, indices] = ctx.ops('MaxPool', [x], 2, forwardAttributes);
    const plane = ctx.op('Mod', [indices, ctx.scalar(product(spatial), ElemType.INT64)]);
    const positions = ctx.constant(windowPositions(spatial, outSpatial, geo.kernel, geo.strides, geo.dilations, geo.pads.slice(0, n)), [1, offsets, ...outSpatial], ElemType.INT64);
    const chosen = ctx.op('Equal', [reshapeTo(ctx, plane, [rows, 1, ...outSpatial]), positions]);
    const routed = ctx.op('Where', [chosen, reshapeTo(ctx, grads[0]!, [rows, 1, ...outSpatial]), ctx.scalar(0, ctx.elemType(x))]);
    return [overlapAdd(ctx, routed, geo, xShape, yShape, false)];
  },
  source: windowPositions.toString(),
};
