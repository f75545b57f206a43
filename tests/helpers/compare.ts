// How attributions are compared with reference arrays: cosine and relative L2 (the tolerance of
// gradient-like maps), the share of elements beyond 1e-3·max|ref| (reported, not bounded: float32
// kinks move gradient between pixels) and max |diff| relative to max |ref|.
import { maxAbsDiff } from './fixtures';

export interface MapComparison {
  cosine: number;
  relL2: number;
  /** share of elements whose |diff| exceeds 1e-3·max|ref| */
  beyond: number;
  /** max |diff| / max |ref| */
  maxRel: number;
}

export function compareMaps(got: ArrayLike<number>, ref: ArrayLike<number>): MapComparison {
  if (got.length !== ref.length) throw new Error(`length mismatch: ${got.length} vs ${ref.length}`);
  let [dot, gg, rr, diff2, maxRef] = [0, 0, 0, 0, 0];
  for (let i = 0; i < ref.length; i++) {
    dot += got[i] * ref[i];
    gg += got[i] * got[i];
    rr += ref[i] * ref[i];
    diff2 += (got[i] - ref[i]) ** 2;
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  let beyond = 0;
  for (let i = 0; i < ref.length; i++) if (Math.abs(got[i] - ref[i]) > 1e-3 * maxRef) beyond++;
  return { cosine: dot / Math.sqrt(gg * rr), relL2: Math.sqrt(diff2 / rr), beyond: beyond / ref.length, maxRel: maxAbsDiff(got, ref) / maxRef };
}

export function describeComparison(m: MapComparison): string {
  return `cosine ${m.cosine.toFixed(7)}, rel L2 ${m.relL2.toExponential(2)}, beyond 1e-3·max ${(100 * m.beyond).toFixed(3)} %, max|diff|/max|ref| ${m.maxRel.toExponential(2)}`;
}

export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}
