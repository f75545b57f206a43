// The display step `layer-map`: an intermediate tensor of one image (batch 1) becomes an [h, w] map
// by summing over its channels — [1, C, h, w] (channels-first), [1, h, w, C] (channels-last), or ViT
// tokens [1, T, D] with the prefix (class/distillation) tokens dropped and the rest laid on the
// patch grid. Any other shape is shown as its [rows, last dim] matrix.
import type { TokenLayout } from '../explain/tokens';
import type { DisplayStep } from '../explain/types';
import type { Float32Tensor } from '../tensor/npy';

export type LayerLayout = 'channels-first' | 'channels-last' | 'tokens' | 'matrix';

/** How to map a layer tensor of this shape; `tokens`: the patch grid of a [1, T, D] token tensor (explain/tokens.ts), if it has one. */
export function layerMapStep(shape: readonly number[], imageLayout: 'NCHW' | 'NHWC', tokens: TokenLayout | null): DisplayStep {
  if (shape.length === 4 && shape[0] === 1) return { op: 'layer-map', args: { layout: imageLayout === 'NCHW' ? 'channels-first' : 'channels-last' } };
  if (shape.length === 3 && shape[0] === 1 && tokens) return { op: 'layer-map', args: { layout: 'tokens', prefixTokens: tokens.prefixTokens, grid: tokens.grid } };
  return { op: 'layer-map', args: { layout: 'matrix' } };
}

export function layerMap(tensor: Float32Tensor, args: Record<string, unknown>): Float32Tensor {
  const { shape, data } = tensor;
  const layout = args.layout as LayerLayout;
  if (layout === 'matrix') {
    const last = shape.at(-1) ?? 1;
    return { shape: [data.length / last, last], data };
  }
  const [channels, height, width, channelStride, pixelStride, offset] = (() => {
    if (layout === 'channels-first') return [shape[1], shape[2], shape[3], shape[2] * shape[3], 1, 0];
    if (layout === 'channels-last') return [shape[3], shape[1], shape[2], 1, shape[3], 0];
    const [gh, gw] = args.grid as [number, number];
    const prefix = Number(args.prefixTokens);
    if (shape[1] !== prefix + gh * gw) throw new Error(`layer-map: ${shape[1]} tokens do not make ${prefix} prefix tokens and a ${gh}×${gw} grid`);
    return [shape[2], gh, gw, 1, shape[2], prefix * shape[2]];
  })();
  const out = new Float32Array(height * width);
  for (let p = 0; p < out.length; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += data[offset + p * pixelStride + c * channelStride];
    out[p] = sum;
  }
  return { shape: [height, width], data: out };
}
