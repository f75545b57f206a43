// Uncompressed (native) Pixel Data (PS3.5 §8.1.1, §8.2): words of Bits Allocated in the syntax's byte
// order, frames back to back; Bits Allocated 1 packed LSB first across rows and frames; planar
// configuration 1 stores each colour plane whole; YBR_FULL_422 stores Y0 Y1 Cb Cr per pixel pair.
import { interleavePlanes, swapBytes } from './layout';
import type { DecodedFrame, FrameLayout } from './types';

/**
 * Bytes one native frame occupies (YBR_FULL_422 keeps half the chroma); Bits Allocated 1 is packed
 * across frames, every sample kept, so its frame length may be fractional.
 */
export function nativeFrameLength(layout: FrameLayout): number {
  const values = layout.photometric === 'YBR_FULL_422' && layout.bitsAllocated !== 1 ? layout.rows * layout.columns * 2 : layout.rows * layout.columns * layout.samplesPerPixel;
  return (values * layout.bitsAllocated) / 8;
}

export interface NativePixelData {
  bytes: Uint8Array;
  littleEndian: boolean;
  /** OW data in big endian is byte-swapped in 16-bit words even when Bits Allocated is 8 */
  vr: string;
}

export function decodeNative(pixelData: NativePixelData, frame: number, layout: FrameLayout): DecodedFrame {
  const values = layout.rows * layout.columns * layout.samplesPerPixel;
  if (layout.bitsAllocated === 1) return { samples: unpackBits(pixelData.bytes, frame * values, values), convertedToRgb: false, shifted: true, decoder: 'native (1-bit packed)' };
  const length = nativeFrameLength(layout);
  const start = frame * length;
  let frameBytes = pixelData.bytes.subarray(start, start + length);
  let samples: Uint8Array | Uint16Array | Uint32Array;
  if (layout.bitsAllocated === 8) {
    if (!pixelData.littleEndian && pixelData.vr === 'OW') frameBytes = swapBytes(frameBytes, 2);
    samples = frameBytes.slice();
  } else {
    const size = layout.bitsAllocated / 8;
    const view = new DataView(frameBytes.buffer, frameBytes.byteOffset, frameBytes.byteLength);
    const count = length / size;
    samples = size === 2 ? new Uint16Array(count) : new Uint32Array(count);
    const read = size === 2 ? (o: number) => view.getUint16(o, pixelData.littleEndian) : (o: number) => view.getUint32(o, pixelData.littleEndian);
    for (let i = 0; i < count; i++) samples[i] = read(i * size);
  }
  if (layout.photometric === 'YBR_FULL_422') samples = expandYbr422(samples);
  else if (layout.samplesPerPixel > 1 && layout.planarConfiguration === 1) samples = interleavePlanes(samples, layout.samplesPerPixel);
  return { samples, convertedToRgb: false, shifted: true, decoder: layout.planarConfiguration === 1 ? 'native (planar configuration 1)' : 'native' };
}

function unpackBits(bytes: Uint8Array, firstBit: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = firstBit + i;
    out[i] = (bytes[bit >> 3] >> (bit & 7)) & 1;
  }
  return out;
}

/** Y0 Y1 Cb Cr → (Y0 Cb Cr)(Y1 Cb Cr): the pair's chroma serves both pixels (as pydicom does). */
function expandYbr422<T extends Uint8Array | Uint16Array | Uint32Array>(pairs: T): T {
  const out = new (pairs.constructor as new (n: number) => T)((pairs.length / 4) * 6);
  for (let i = 0, o = 0; i + 3 < pairs.length; i += 4, o += 6) {
    const cb = pairs[i + 2];
    const cr = pairs[i + 3];
    out[o] = pairs[i];
    out[o + 1] = cb;
    out[o + 2] = cr;
    out[o + 3] = pairs[i + 1];
    out[o + 4] = cb;
    out[o + 5] = cr;
  }
  return out;
}
