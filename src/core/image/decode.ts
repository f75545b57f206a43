// Decodes PNG and JPEG (8/16-bit; gray, gray+alpha, RGB, RGBA) with sharp into raw interleaved
// samples, keeping the stored bit depth. Alpha is dropped: the model sees the colour channels.
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { ApiError } from '../../api/contract';

export interface DecodedImage {
  width: number;
  height: number;
  /** colour channels after alpha removal: 1 (gray) or 3 (RGB) */
  channels: 1 | 3;
  bitDepth: 8 | 16;
  format: string;
  /** interleaved samples, row-major */
  data: Uint8Array | Uint16Array;
}

export async function decodeImage(bytes: Uint8Array, name: string): Promise<DecodedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'truncated' }).metadata();
  } catch (error) {
    throw new ApiError('BAD_INPUT', `${name} is not a readable image: ${cleanSharpMessage(error)}`);
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg') {
    throw new ApiError('BAD_INPUT', `${name} is a ${meta.format} image; Sightline opens PNG, JPEG, DICOM and .npy tensors`);
  }
  const sixteen = meta.depth === 'ushort';
  const gray = (meta.channels ?? 3) <= 2 || meta.space === 'b-w' || meta.space === 'grey16';
  try {
    const { info, samples } = await rawSamples(sharp(bytes, { failOn: 'truncated' }).removeAlpha(), gray, sixteen);
    const channels = info.channels === 1 ? 1 : 3;
    if (info.channels !== channels) throw new Error(`unexpected ${info.channels} channels after decoding`);
    return { width: info.width, height: info.height, channels, bitDepth: sixteen ? 16 : 8, format: meta.format, data: samples };
  } catch (error) {
    throw new ApiError('BAD_INPUT', `${name} is corrupt or truncated and cannot be decoded (${cleanSharpMessage(error)})`);
  }
}

/**
 * A pipeline's output as raw gray or RGB samples of 8 or 16 bits. libvips writes raw output as
 * 8-bit sRGB unless told the colour space, so it is named: gray stays gray and 16-bit 16-bit.
 */
export async function rawSamples(pipeline: Sharp, gray: boolean, sixteen: boolean): Promise<{ info: OutputInfo; samples: Uint8Array | Uint16Array }> {
  const { data, info } = await pipeline
    .toColourspace(gray ? (sixteen ? 'grey16' : 'b-w') : sixteen ? 'rgb16' : 'srgb')
    .raw({ depth: sixteen ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true });
  // 16-bit samples are copied: the Buffer may start at an odd byte offset.
  const samples = sixteen
    ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { info, samples };
}

/** An 8-bit PNG of the image for display, downscaled to at most `maxSide` pixels. */
export async function previewPng(bytes: Uint8Array, maxSide = 2048): Promise<Buffer> {
  return sharp(bytes)
    .removeAlpha()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .png()
    .toBuffer();
}

function cleanSharpMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').filter((l) => l.trim()).slice(0, 2).join(' — ');
}
