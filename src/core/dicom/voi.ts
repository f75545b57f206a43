// The VOI LUT (PS3.3 C.11.2): modality values → values of interest, by a window (centre/width with VOI
// LUT Function LINEAR, LINEAR_EXACT or SIGMOID; C.11.2.1.2–3) or by an explicit VOI LUT, onto the
// output range [ymin, ymax]. Pure arithmetic, shared by the engine and the renderer's live windowing.
import { applyLookupTable } from './lookup';

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface WindowSpec {
  center: number;
  width: number;
  fn: VoiFunction;
}

/** A VOI LUT as numbers (from the VOI LUT Sequence): y = data[clamp(floor(x) − firstMapped, 0, n − 1)]. */
export interface VoiLutSpec {
  firstMapped: number;
  bits: number;
  data: ArrayLike<number>;
}

/** "linear_exact", " SIGMOID ", ["SIGMOID"] → the function; anything unknown → LINEAR (cornerstone3D PR #2856). */
export function parseVoiFunction(raw: unknown): VoiFunction {
  const text = (Array.isArray(raw) ? raw[0] : raw)?.toString().trim().toUpperCase() ?? '';
  return text === 'LINEAR_EXACT' || text === 'SIGMOID' ? text : 'LINEAR';
}

/** One value through a window; formulas of C.11.2.1.2.1 (LINEAR), C.11.2.1.3.2 (LINEAR_EXACT), C.11.2.1.3.1 (SIGMOID). */
export function windowValue(x: number, window: WindowSpec, ymin: number, ymax: number): number {
  const { center: c, width: w } = window;
  const span = ymax - ymin;
  switch (window.fn) {
    case 'SIGMOID':
      return span / (1 + Math.exp((-4 * (x - c)) / w)) + ymin;
    case 'LINEAR_EXACT':
      if (x <= c - w / 2) return ymin;
      if (x > c + w / 2) return ymax;
      return ((x - c) / w + 0.5) * span + ymin;
    default: {
      if (w <= 1) return x <= c - 0.5 ? ymin : ymax; // a width of 1 is a threshold at c − 0.5
      if (x <= c - 0.5 - (w - 1) / 2) return ymin;
      if (x > c - 0.5 + (w - 1) / 2) return ymax;
      return ((x - (c - 0.5)) / (w - 1) + 0.5) * span + ymin;
    }
  }
}

export function applyWindow(input: ArrayLike<number>, window: WindowSpec, ymin: number, ymax: number): Float64Array {
  const out = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = windowValue(input[i], window, ymin, ymax);
  return out;
}

export function applyVoiLut(input: ArrayLike<number>, lut: VoiLutSpec): Float64Array {
  return applyLookupTable(input, lut);
}

/** The output range of a VOI LUT: [0, 2^bits − 1]. */
export function voiLutRange(lut: VoiLutSpec): [number, number] {
  return [0, 2 ** lut.bits - 1];
}

/**
 * With no window and no VOI LUT: the full range of the modality values present, x1 … x2, as a LINEAR
 * window c = (x1 + x2 + 1) / 2, w = x2 − x1 + 1 (C.11.2.1.2.1 note), so x1 → ymin and x2 → ymax.
 */
export function minMaxWindow(values: ArrayLike<number>): WindowSpec {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return { center: 0.5, width: 1, fn: 'LINEAR' };
  return { center: (lo + hi + 1) / 2, width: Math.max(1, hi - lo + 1), fn: 'LINEAR' };
}
