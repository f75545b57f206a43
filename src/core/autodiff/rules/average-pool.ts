// AveragePool: every input position receives g/divisor from each window that reads it. The divisor
// per output position (count_include_pad 0/1, ceil_mode overhang not counted) is a constant; the
// scatter is one ConvTranspose with an all-ones kernel. Dilated average pooling is refused.
import type { VjpRule } from '../rule';
import { product } from '../shapes/dims';
import { convGeometry, overlapAdd } from './shared/windows';
import { reshapeTo } from './shared/tensor-ops';

/** 1/divisor for every output position, onnxruntime's (and torch's) convention. */
function inverseDivisors(spatial: number[], outSpatial: number[], kernel: number[], strides: number[], pads: number[], includePad: boolean): Float64Array {
  const n = spatial.length;
  const perAxis = spatial.map((h, i) =>
    Array.from({ length: outSpatial[i] }, (_, o) => {
      const start = o * strides[i] - pads[i];
      const end = Math.min(start + kernel[i], h + pads[n + i]);
      return includePad ? end - start : Math.min(end, h) - Math.max(start, 0);
    }),
  );
  const total = product(outSpatial);
  const out = new Float64Array(total);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let divisor = 1;
    for (let i = n - 1; i >= 0; i--) {
      divisor *= perAxis[i][rest % outSpatial[i]];
      rest = Math.floor(rest / outSpatial[i]);
    }
    out[flat] = 1 / divisor;
  }
  return out;
}

export const averagePoolRule: VjpRule = {
  opTypes: ['AveragePool'],
  attributes: ['auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'kernel_shape', 'pads', 'strides'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const x = ctx.node.inputs[0];
    const [xShape, yShape] = [ctx.shape(x), ctx.shape(ctx.node.outputs[0])];
    const geo = convGeometry(ctx);
    if (geo.dilations.some((d) => d !== 1)) ctx.unsupported(`dilations=[${geo.dilations.join(', ')}]`);
    const outSpatial = yShape.slice(2);
    const inverse = inverseDivisors(xShape.slice(2), outSpatial, geo.kernel, geo.strides, geo.pads, ctx.node.attrs.int('count_include_pad', 0) === 1);
    const weighted = ctx.op('Mul', [g!, ctx.constant(inverse, outSpatial, ctx.elemType(x))]);
    const rows = reshapeTo(ctx, weighted, [xShape[0] * xShape[1], 1, ...outSpatial]);
    return [overlapAdd(ctx, rows, geo, xShape, yShape, true)];
  },
  source: inverseDivisors.toString(),
};
