// Sample layout helpers (PS3.3 C.7.6.3.1.3 Planar Configuration): planes → interleaved samples.
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
