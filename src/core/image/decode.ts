// Decodes PNG and JPEG (8/16-bit; gray, gray+alpha, RGB, RGBA) with sharp into raw interleaved
// samples, keeping the stored bit depth. Alpha is dropped: the model sees the colour channels.
import sharp, { type Metadata } from 'sharp';
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
    let pipeline = sharp(bytes, { failOn: 'truncated' }).removeAlpha();
    pipeline = gray ? pipeline.toColourspace(sixteen ? 'grey16' : 'b-w') : pipeline.toColourspace(sixteen ? 'rgb16' : 'srgb');
    const { data, info } = await pipeline.raw({ depth: sixteen ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
    const channels = info.channels === 1 ? 1 : 3;
    if (info.channels !== channels) throw new Error(`unexpected ${info.channels} channels after decoding`);
    const samples = sixteen
      ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { width: info.width, height: info.height, channels, bitDepth: sixteen ? 16 : 8, format: meta.format, data: samples };
  } catch (error) {
    throw new ApiError('BAD_INPUT', `${name} is corrupt or truncated and cannot be decoded (${cleanSharpMessage(error)})`);
  }
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
