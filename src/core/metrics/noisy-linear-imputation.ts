// Noisy linear imputation (Rong et al., "A Consistent and Efficient Evaluation Strategy for
// Attribution Methods" — ROAD, ICML 2022): each removed pixel becomes the weighted mean of its 8
// neighbours (weight 1/6 for the 4 direct, 1/12 for the 4 diagonal ones, as the paper's code),
// solved jointly for all removed pixels of a channel (conjugate gradients on the symmetric positive
// definite system), plus Gaussian noise so that the imputed region carries no sharp trace of the mask.
import type { TensorLayout } from '../explain/perturbation/maskers';
import type { Prng } from '../random/prng';

const NEIGHBOURS: readonly [number, number, number][] = [
  [-1, 0, 1 / 6],
  [1, 0, 1 / 6],
  [0, -1, 1 / 6],
  [0, 1, 1 / 6],
  [-1, -1, 1 / 12],
  [-1, 1, 1 / 12],
  [1, -1, 1 / 12],
  [1, 1, 1 / 12],
];
const MAX_ITERATIONS = 1000;
const TOLERANCE = 1e-6;

export interface ImputationOptions {
  width: number;
  height: number;
  /** standard deviation of the added noise per channel, in model-input units */
  noiseStd: readonly number[];
  rng: Prng;
}

/** A copy of `tensor` with the pixels where `removed` is 1 imputed in every channel. */
export function noisyLinearImputation(tensor: Float32Array, layout: TensorLayout, removed: Uint8Array, options: ImputationOptions): Float32Array {
  const { width, height } = options;
  const out = Float32Array.from(tensor);
  const unknown: number[] = [];
  const slot = new Int32Array(width * height).fill(-1);
  for (let p = 0; p < removed.length; p++) {
    if (removed[p] === 1) {
      slot[p] = unknown.length;
      unknown.push(p);
    }
  }
  const n = unknown.length;
  if (n === 0) return out;
  // Per unknown pixel: its valid neighbours (pixel, weight) and the weights' sum (the diagonal).
  const neighbourPixels: Int32Array[] = [];
  const neighbourWeights: Float64Array[] = [];
  const diagonal = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const y = Math.floor(unknown[k] / width);
    const x = unknown[k] % width;
    const pixels: number[] = [];
    const weights: number[] = [];
    for (const [dy, dx, w] of NEIGHBOURS) {
      const ny = y + dy;
      const nx = x + dx;
      if (ny < 0 || ny >= height || nx < 0 || nx >= width) continue;
      pixels.push(ny * width + nx);
      weights.push(w);
      diagonal[k] += w;
    }
    neighbourPixels.push(Int32Array.from(pixels));
    neighbourWeights.push(Float64Array.from(weights));
  }
  const multiply = (v: Float64Array, result: Float64Array) => {
    for (let k = 0; k < n; k++) {
      let sum = diagonal[k] * v[k];
      const pixels = neighbourPixels[k];
      for (let j = 0; j < pixels.length; j++) {
        const s = slot[pixels[j]];
        if (s >= 0) sum -= neighbourWeights[k][j] * v[s];
      }
      result[k] = sum;
    }
  };
  for (let c = 0; c < layout.channels; c++) {
    const value = (p: number) => tensor[layout.index(c, p)];
    // right-hand side: the known neighbours' weighted values
    const b = new Float64Array(n);
    let knownMean = 0;
    let knownCount = 0;
    for (let k = 0; k < n; k++) {
      const pixels = neighbourPixels[k];
      for (let j = 0; j < pixels.length; j++) if (slot[pixels[j]] < 0) b[k] += neighbourWeights[k][j] * value(pixels[j]);
    }
    for (let p = 0; p < removed.length; p++) {
      if (removed[p] === 0) {
        knownMean += value(p);
        knownCount++;
      }
    }
    const solution = new Float64Array(n).fill(knownCount > 0 ? knownMean / knownCount : 0);
    if (knownCount > 0) conjugateGradient(multiply, b, solution);
    for (let k = 0; k < n; k++) out[layout.index(c, unknown[k])] = solution[k] + options.noiseStd[c] * options.rng.normal();
  }
  return out;
}

/** Solves A x = b in place from the starting x (A symmetric positive definite, given as a product). */
function conjugateGradient(multiply: (v: Float64Array, out: Float64Array) => void, b: Float64Array, x: Float64Array): void {
  const n = b.length;
  const r = new Float64Array(n);
  const ap = new Float64Array(n);
  multiply(x, ap);
  let bNorm = 0;
  for (let i = 0; i < n; i++) {
    r[i] = b[i] - ap[i];
    bNorm += b[i] * b[i];
  }
  const p = Float64Array.from(r);
  let rr = r.reduce((s, v) => s + v * v, 0);
  const stop = TOLERANCE * TOLERANCE * Math.max(bNorm, 1e-30);
  for (let iteration = 0; iteration < MAX_ITERATIONS && rr > stop; iteration++) {
    multiply(p, ap);
    let pap = 0;
    for (let i = 0; i < n; i++) pap += p[i] * ap[i];
    const alpha = rr / pap;
    let next = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * ap[i];
      next += r[i] * r[i];
    }
    const beta = next / rr;
    rr = next;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
  }
}
