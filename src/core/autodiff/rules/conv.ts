// Conv, data gradient only (weights and bias are model constants). ConvTranspose(g, W) is the
// default (notes §2.3: much faster for strides > 1 and the stem, and W need not be constant). A
// flipped-weight Conv is used for stride-1 convs with kernels larger than 1×1, where
// bench/conv-gradient.bench.ts measured it faster in onnxruntime-node 1.30 (CPU, batch 1 and 8):
// ~25 % for dense 3×3 and 2–17× for depthwise/grouped kernels, whose ConvTranspose kernel is slow.
import { convRuleWith, type ConvGradientCase, type ConvGradientMethod } from './shared/conv-gradient';

export function defaultConvGradientMethod(c: ConvGradientCase): ConvGradientMethod {
  const unitStride = c.geometry.strides.every((s) => s === 1);
  const spatialKernel = c.geometry.kernel.some((k) => k > 1);
  return unitStride && spatialKernel ? 'flipped-conv' : 'conv-transpose';
}

export const convRule = convRuleWith(defaultConvGradientMethod);
