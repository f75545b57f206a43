// The unit-range pixel image behind a model tensor, for superpixels and pixel-space maskers: from
// the decoded image (8- or 16-bit samples / full range) or, for tensor inputs, by inverting the
// card's normalisation (x·std + mean) / (scale·255), clamped to [0, 1]. Channels come back in RGB order.
import type { ResolvedPreprocessing } from '../../api/schemas';
import type { PixelImage } from '../segmentation/types';
import type { Float32Tensor } from '../tensor/npy';
import type { DecodedImage } from './decode';

export function pixelImageFromDecoded(image: DecodedImage): PixelImage {
  const maxValue = image.bitDepth === 16 ? 65535 : 255;
  return { width: image.width, height: image.height, channels: image.channels, data: Float64Array.from(image.data, (v) => v / maxValue) };
}

export function pixelImageFromTensor(tensor: Float32Tensor, prep: ResolvedPreprocessing): PixelImage {
  const { width, height, channels, layout } = prep;
  const plane = width * height;
  const range = prep.scale * 255;
  const data = new Float64Array(plane * channels);
  for (let c = 0; c < channels; c++) {
    const source = prep.channelOrder === 'BGR' ? channels - 1 - c : c;
    for (let p = 0; p < plane; p++) {
      const v = tensor.data[layout === 'NCHW' ? source * plane + p : p * channels + source];
      data[p * channels + c] = Math.min(1, Math.max(0, (v * prep.std[source] + prep.mean[source]) / range));
    }
  }
  return { width, height, channels, data };
}
