// Display values → 8 bits, shared by the PNG export and the model input. Pure (no Node imports), so
// the renderer may import it too.
import type { StageResult } from './dicom-image';

/** Display values → 0 … 255: grayscale by its VOI output range, colour by its sample range (8 or 16 bit). */
export function toEightBit(display: Pick<StageResult, 'data' | 'outputRange'>): Uint8Array {
  const out = new Uint8Array(display.data.length);
  let [lo, hi] = display.outputRange ?? [0, 255];
  if (!display.outputRange) {
    let max = 0;
    for (const v of display.data) if (v > max) max = v;
    hi = max > 255 ? 65535 : 255;
    lo = 0;
  }
  const scale = 255 / (hi - lo || 1);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round((display.data[i] - lo) * scale)));
  return out;
}
