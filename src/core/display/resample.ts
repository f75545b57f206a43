// Resampling and scaling of [h, w] maps as the reference libraries do it: bilinear with half-pixel
// centres and replicated borders (cv2.resize INTER_LINEAR, pytorch-grad-cam's final upsampling),
// bilinear with aligned corners (torch UpsamplingBilinear2d, Score-CAM's masks), nearest (torch
// F.interpolate 'nearest', Captum's GuidedGradCam), pytorch-grad-cam's min–max scaling and
// vit-explain's division by the maximum.

export type ResizeMode = 'bilinear' | 'bilinear-align-corners' | 'nearest';

/** Source cells and weight of each output coordinate: out[d] = (1 − frac[d])·in[i0[d]] + frac[d]·in[i1[d]]. */
export interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  frac: Float64Array;
}

/** How half-pixel bilinear taps past the edge are taken: the edge value (cv2, torch) or mirrored (skimage mode 'reflect'). */
export type ResizeBorder = 'replicate' | 'reflect101';

/** Reflect-101 border index (cv2.BORDER_REFLECT_101: d c b | a b c d | c b a). */
export function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

/** The taps resampling `size` cells to `out`; `border` applies to mode 'bilinear' (half-pixel centres). */
export function axisTaps(size: number, out: number, mode: ResizeMode, border: ResizeBorder = 'replicate'): AxisTaps {
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const frac = new Float64Array(out);
  for (let d = 0; d < out; d++) {
    let lo: number;
    let f: number;
    if (mode === 'nearest') {
      lo = Math.min(Math.floor((d * size) / out), size - 1);
      f = 0;
    } else if (mode === 'bilinear-align-corners') {
      const src = out > 1 ? (d * (size - 1)) / (out - 1) : 0;
      lo = Math.min(Math.floor(src), size - 1);
      f = src - lo;
    } else {
      const src = ((d + 0.5) * size) / out - 0.5;
      lo = Math.floor(src);
      f = src - lo;
      if (border === 'reflect101') {
        i0[d] = reflect101(lo, size);
        i1[d] = reflect101(lo + 1, size);
        frac[d] = f;
        continue;
      }
      if (lo < 0) [lo, f] = [0, 0];
      if (lo >= size - 1) [lo, f] = [size - 1, 0];
    }
    i0[d] = lo;
    i1[d] = Math.min(lo + 1, size - 1);
    frac[d] = f;
  }
  return { i0, i1, frac };
}

/** Resamples a row-major [h, w] map to [outH, outW] (computed in float64, stored as float32). */
export function resizeMap(data: ArrayLike<number>, h: number, w: number, outH: number, outW: number, mode: ResizeMode): Float32Array {
  const rows = axisTaps(h, outH, mode);
  const cols = axisTaps(w, outW, mode);
  const out = new Float32Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const [r0, r1, fy] = [rows.i0[y] * w, rows.i1[y] * w, rows.frac[y]];
    for (let x = 0; x < outW; x++) {
      const [c0, c1, fx] = [cols.i0[x], cols.i1[x], cols.frac[x]];
      const top = (1 - fx) * data[r0 + c0] + fx * data[r0 + c1];
      const bottom = (1 - fx) * data[r1 + c0] + fx * data[r1 + c1];
      out[y * outW + x] = (1 - fy) * top + fy * bottom;
    }
  }
  return out;
}

/** pytorch-grad-cam's scale_cam_image scaling: v − min, then ÷ (eps + max), in float32. */
export function minMaxScale(data: Float32Array, eps: number): Float32Array {
  let min = Number.POSITIVE_INFINITY;
  for (const v of data) min = Math.min(min, v);
  const shifted = Float32Array.from(data, (v) => v - min);
  let max = Number.NEGATIVE_INFINITY;
  for (const v of shifted) max = Math.max(max, v);
  const denominator = Math.fround(Math.fround(eps) + max);
  return Float32Array.from(shifted, (v) => v / denominator);
}

/** v / max(v) (vit-explain's mask scaling); an all-zero map stays zero. */
export function divideByMax(data: Float32Array): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of data) max = Math.max(max, v);
  return max > 0 ? Float32Array.from(data, (v) => v / max) : data.slice();
}
