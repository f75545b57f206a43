// Stored pixel values (PS3.5 §8.1.1, PS3.3 C.7.6.3.1): keep Bits Stored bits ending at High Bit and
// sign-extend them when Pixel Representation is 1. Unused high bits may hold garbage (overlays,
// vendor flags), so they are always masked off, for codec output too.
import type { DecodedFrame } from './codecs/types';
import type { PixelModule } from './pixel-module';

export type StoredValues = Int32Array | Uint32Array;

export interface StoredFrame {
  values: StoredValues;
  /** what was applied, for the recorded steps */
  step: { op: 'stored-values'; args: Record<string, unknown> };
}

export function storedValues(decoded: DecodedFrame, pixel: PixelModule): StoredFrame {
  const { bitsStored, bitsAllocated, highBit, pixelRepresentation } = pixel;
  const shift = decoded.shifted ? highBit + 1 - bitsStored : 0;
  const signed = pixelRepresentation === 1;
  const wordBits = Math.max(bitsAllocated, 8);
  const source = decoded.samples;
  const values: StoredValues = signed || bitsStored < 32 ? new Int32Array(source.length) : new Uint32Array(source.length);
  const span = 2 ** bitsStored;
  const half = span / 2;
  const wordSpan = 2 ** wordBits;
  for (let i = 0; i < source.length; i++) {
    let word = source[i];
    if (word < 0) word += wordSpan; // a codec's signed sample → its bit pattern
    let v = Math.floor(word / 2 ** shift) % span;
    if (signed && v >= half) v -= span;
    values[i] = v;
  }
  return {
    values,
    step: { op: 'stored-values', args: { bitsAllocated, bitsStored, highBit, pixelRepresentation, decoder: decoded.decoder } },
  };
}
