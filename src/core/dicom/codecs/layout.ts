// Sample layout helpers (PS3.3 C.7.6.3.1.3 Planar Configuration): planes → interleaved samples;
// byte order: big-endian words → little-endian.
import type { SampleArray } from './types';

/** All of component 0, then all of 1, … → c0 c1 c2 per pixel. */
export function interleavePlanes<T extends SampleArray>(planar: T, components: number): T {
  const pixels = planar.length / components;
  const out = new (planar.constructor as new (n: number) => T)(planar.length);
  for (let c = 0; c < components; c++) {
    const plane = c * pixels;
    for (let p = 0; p < pixels; p++) out[p * components + c] = planar[plane + p];
  }
  return out;
}

/** Reverses the bytes of every `size`-byte word (a trailing partial word stays 0). */
export function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + size <= bytes.length; i += size) for (let b = 0; b < size; b++) out[i + b] = bytes[i + size - 1 - b];
  return out;
}
