// Seeded pseudo-random numbers for the perturbation explainers: xoshiro128** (Blackman & Vigna)
// seeded through splitmix32, so every sample set is reproducible from one integer seed.
// Not a port of any library's stream: Sightline's own, stable across versions.

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private readonly normals = new PolarNormals(() => this.uniform());

  constructor(readonly seed: number) {
    let x = seed >>> 0;
    // splitmix32 spreads one 32-bit seed over the 128-bit state (never all zero)
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    return this.normals.next();
  }

  /** Index i drawn with probability proportional to weight i, given the cumulative weights (cumulativeWeights; last > 0). */
  categorical(cumulative: Float64Array): number {
    const u = this.uniform() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** `k` distinct indices of [0, n), in random order (partial Fisher–Yates). */
  sample(n: number, k: number): Int32Array {
    const pool = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return pool.subarray(0, k);
  }

  /** A derived generator for an independent stream (e.g. a masker's noise next to the sampler). */
  fork(stream: number): Prng {
    return new Prng((Math.imul(this.seed ^ 0x5bd1e995, 0x27d4eb2d) + stream * 0x9e3779b9) >>> 0);
  }
}

/**
 * Standard normals from uniforms in [0, 1) by Marsaglia's polar method, in numpy's legacy_gauss
 * order: each pair (x1, x2) in the unit disc gives f·x2 first and keeps f·x1 for the next call.
 */
export class PolarNormals {
  private spare: number | null = null;
  constructor(private readonly uniform: () => number) {}

  next(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.uniform() - 1;
      x2 = 2 * this.uniform() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spare = f * x1;
    return f * x2;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Cumulative sums of `weights`, for Prng.categorical. */
export function cumulativeWeights(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i];
  return out;
}
