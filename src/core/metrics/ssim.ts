// Structural similarity (Wang et al. 2004) of two maps, as scikit-image's structural_similarity
// computes it by default: 7×7 uniform windows, sample covariances, K1 = 0.01, K2 = 0.03, the mean
// over windows that fit inside the image. Each map is first min–max scaled to [0, 1]
// (data_range 1), as Adebayo et al. 2018 compare normalised explanation maps.

const WINDOW = 7;

function minMaxScaled(values: ArrayLike<number>): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const span = max - min;
  const out = new Float64Array(values.length);
  if (span > 0) for (let i = 0; i < values.length; i++) out[i] = (values[i] - min) / span;
  return out;
}

/** SSIM of two [height, width] maps after min–max scaling each. */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number): number {
  if (a.length !== width * height || b.length !== width * height) throw new Error(`SSIM: maps of ${a.length} and ${b.length} cells, expected ${width}×${height}`);
  if (width < WINDOW || height < WINDOW) throw new Error(`SSIM needs maps of at least ${WINDOW}×${WINDOW} cells`);
  const x = minMaxScaled(a);
  const y = minMaxScaled(b);
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  const n = WINDOW * WINDOW;
  const sampleCorrection = n / (n - 1);
  let total = 0;
  let count = 0;
  for (let top = 0; top + WINDOW <= height; top++) {
    for (let left = 0; left + WINDOW <= width; left++) {
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let r = top; r < top + WINDOW; r++) {
        for (let c = left; c < left + WINDOW; c++) {
          const vx = x[r * width + c];
          const vy = y[r * width + c];
          sx += vx;
          sy += vy;
          sxx += vx * vx;
          syy += vy * vy;
          sxy += vx * vy;
        }
      }
      const mx = sx / n;
      const my = sy / n;
      const vx = (sxx / n - mx * mx) * sampleCorrection;
      const vy = (syy / n - my * my) * sampleCorrection;
      const cov = (sxy / n - mx * my) * sampleCorrection;
      total += ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      count++;
    }
  }
  return total / count;
}
