// Image → the exact model tensor, per the resolved model card: fit to the input size, fit the
// channel count, scale, normalise per channel, lay out as NCHW or NHWC. Each arithmetic step is
// rounded to float32 so the result equals float32 numpy (the fixtures' `images/*.npy`) bit for bit.
import sharp from 'sharp';
import { ApiError } from '../../api/contract';
import type { ResolvedPreprocessing } from '../../api/schemas';
import type { Float32Tensor } from '../tensor/npy';
import { rawSamples, type DecodedImage } from './decode';
import { modelCrop, type ModelRegion } from './model-region';

export interface Fitted {
  image: DecodedImage;
  /** the part of the original image the model sees, as fractions */
  region: ModelRegion;
}

/** Resizes (antialiased bilinear, libvips) or centre-crops the image to the model's input size. */
export async function fitImageSize(image: DecodedImage, prep: ResolvedPreprocessing): Promise<Fitted> {
  const crop = modelCrop(image.width, image.height, prep);
  if (image.width === prep.width && image.height === prep.height) return { image, region: crop.region };
  // A typed array, not a Buffer: sharp takes the sample depth of raw input from the array's type
  // (a Buffer of 16-bit samples would be read as twice as many 8-bit ones).
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
  if (prep.resize === 'center-crop') pipeline = pipeline.extract({ left: crop.left, top: crop.top, width: crop.width, height: crop.height });
  pipeline = pipeline.resize({ width: prep.width, height: prep.height, fit: 'fill', kernel: 'linear' });
  const { info, samples } = await rawSamples(pipeline, image.channels === 1, image.bitDepth === 16);
  if (info.channels !== image.channels) throw new Error(`resizing gave ${info.channels} channels, expected ${image.channels}`);
  return { image: { ...image, width: info.width, height: info.height, data: samples }, region: crop.region };
}

/**
 * Builds the [1, …] float32 model input from an image already at the model's size. `original` is
 * the image's size before fitting, for error messages (defaults to the fitted size).
 */
export function imageToTensor(image: DecodedImage, prep: ResolvedPreprocessing, name: string, original: { width: number; height: number } = image): Float32Tensor {
  const { width, height } = image;
  if (width !== prep.width || height !== prep.height) throw new Error('imageToTensor needs an image fitted to the model size');
  const channelSource = channelMapping(image, prep, name, original);
  const maxValue = image.bitDepth === 16 ? 65535 : 255;
  // scale is stated for 8-bit samples; 1/255 is applied as a float32 division by the full range.
  const unitScale = Math.abs(prep.scale * 255 - 1) < 1e-9;
  const factor = Math.fround((prep.scale * 255) / maxValue);
  const mean = prep.mean.map(Math.fround);
  const std = prep.std.map(Math.fround);
  const planeSize = width * height;
  const data = new Float32Array(prep.channels * planeSize);
  const samples = image.data;
  const stride = image.channels;
  for (let c = 0; c < prep.channels; c++) {
    const source = channelSource[prep.channelOrder === 'BGR' ? prep.channels - 1 - c : c];
    for (let p = 0; p < planeSize; p++) {
      const raw = source(samples, p * stride);
      const scaled = unitScale ? Math.fround(raw / maxValue) : Math.fround(raw * factor);
      const value = Math.fround(Math.fround(scaled - mean[c]) / std[c]);
      const index = prep.layout === 'NCHW' ? c * planeSize + p : p * prep.channels + c;
      data[index] = value;
    }
  }
  const shape = prep.layout === 'NCHW' ? [1, prep.channels, height, width] : [1, height, width, prep.channels];
  return { shape, data };
}

type SampleReader = (samples: Uint8Array | Uint16Array, offset: number) => number;

function channelMapping(image: DecodedImage, prep: ResolvedPreprocessing, name: string, original: { width: number; height: number }): SampleReader[] {
  const want = prep.channels;
  if (image.channels === want) return Array.from({ length: want }, (_, c) => (s, o) => s[o + c]);
  if (image.channels === 1) {
    // A grayscale image for a colour model: the same plane in every channel (as the fixtures do).
    return Array.from({ length: want }, () => (s, o) => s[o]);
  }
  if (want === 1) {
    switch (prep.colorToGray) {
      case 'luminance':
        // ITU-R BT.601 luma, as Pillow's convert('L') and OpenCV's RGB2GRAY
        return [(s, o) => 0.299 * s[o] + 0.587 * s[o + 1] + 0.114 * s[o + 2]];
      case 'average':
        return [(s, o) => (s[o] + s[o + 1] + s[o + 2]) / 3];
      case 'first-channel':
        return [(s, o) => s[o]];
      default:
        throw new ApiError(
          'BAD_INPUT',
          `The model expects 1 channel (input ${prep.layout === 'NCHW' ? `1×1×${prep.height}×${prep.width}` : `1×${prep.height}×${prep.width}×1`}) ` +
            `but ${name} has ${image.channels} channels (RGB, ${original.width}×${original.height}). ` +
            `Set "input": {"colorToGray": "luminance"} (or "average", "first-channel") in the model card to convert it.`,
        );
    }
  }
  throw new ApiError('BAD_INPUT', `The model expects ${want} channels but ${name} has ${image.channels}`);
}
