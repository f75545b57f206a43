// KernelSHAP: LIME's surrogate pipeline with the Shapley kernel. Coalition sizes k are drawn with
// p_k ∝ (M−1) / (k(M−k)) (Captum's KernelShap sampler; the kernel enters through the sampling, weights 1),
// and with `constraint=exact` (default) each sample is paired with its complement and the fit imposes
// efficiency exactly (Σφ = f(x) − f(baseline), intercept f(baseline), as shap's KernelExplainer).
// When `samples` ≥ 2^M every coalition is enumerated with its Shapley kernel weight: exact Shapley values.
// `constraint=inf-weight` is Captum's KernelShap as is: rows 0 and 1 all ones and all zeros with weight
// 1e6, unpaired samples, plain weighted least squares (scikit-learn LinearRegression).
import type { Prng } from '../../random/prng';
import { cumulativeWeights } from '../../random/prng';
import type { Explainer } from '../types';
import { BATCH_PARAM, OUTPUT_PARAM, samplesParam, SEED_PARAM, segmentsParam } from './features';
import { runSurrogate, type Coalitions } from './lime';
import { constrainedLeastSquares, leastSquares, type Design } from './linear-fit';
import { MASKER_PARAMS } from './maskers';

const INF_WEIGHT = 1e6;

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** Shapley kernel weight of one coalition of size k among M features: (M−1) / (C(M,k)·k·(M−k)). */
function shapleyKernelWeight(features: number, size: number): number {
  return (features - 1) / (binomial(features, size) * size * (features - size));
}

/** Rows 0 and 1: all features kept, all hidden (f(x) and f(baseline)). */
function withEndpoints(features: number, rows: number): Uint8Array {
  const masks = new Uint8Array(features * rows);
  masks.fill(1, 0, features);
  return masks;
}

/** Captum's size distribution, then a uniformly random subset of that size. */
function randomCoalition(features: number, sizes: Float64Array, rng: Prng, row: Uint8Array): void {
  const size = rng.categorical(sizes) + 1;
  for (const f of rng.sample(features, size)) row[f] = 1;
}

function sizeDistribution(features: number): Float64Array {
  return cumulativeWeights(Array.from({ length: features - 1 }, (_, i) => (features - 1) / ((i + 1) * (features - i - 1))));
}

/** Every coalition (all 2^M rows, endpoints first) — used when the budget covers them all. */
function allCoalitions(features: number): Coalitions {
  const rows = 2 ** features;
  const masks = withEndpoints(features, rows);
  let row = 2;
  for (let bits = 1; bits < rows - 1; bits++) {
    for (let f = 0; f < features; f++) masks[row * features + f] = (bits >> f) & 1;
    row++;
  }
  return { rows, masks };
}

/** Endpoints, then complementary pairs (z, 1 − z) with sizes from the Shapley distribution. */
function pairedShapleyCoalitions(features: number, count: number, rng: Prng): Coalitions {
  const rows = features < 2 ? 2 : Math.max(2, count);
  const masks = withEndpoints(features, rows);
  const sizes = sizeDistribution(features);
  for (let row = 2; row < rows; row += 2) {
    const z = masks.subarray(row * features, (row + 1) * features);
    randomCoalition(features, sizes, rng, z);
    if (row + 1 < rows) for (let f = 0; f < features; f++) masks[(row + 1) * features + f] = 1 - z[f];
  }
  return { rows, masks };
}

/** Captum KernelShap's samples: endpoints, then independent coalitions with Shapley-distributed sizes. */
function captumShapleyCoalitions(features: number, count: number, rng: Prng): Coalitions {
  const rows = features < 2 ? 2 : Math.max(2, count);
  const masks = withEndpoints(features, rows);
  const sizes = sizeDistribution(features);
  for (let row = 2; row < rows; row++) randomCoalition(features, sizes, rng, masks.subarray(row * features, (row + 1) * features));
  return { rows, masks };
}

/** Features kept in coalition `row`. */
function coalitionSize({ masks }: Coalitions, features: number, row: number): number {
  let kept = 0;
  for (let f = 0; f < features; f++) kept += masks[row * features + f];
  return kept;
}

/** Captum's weights: 1e6 for rows with no or every feature, 1 otherwise. */
export function captumKernelShapWeights(coalitions: Coalitions, features: number): Float64Array {
  return Float64Array.from({ length: coalitions.rows }, (_, i) => {
    const kept = coalitionSize(coalitions, features, i);
    return kept === 0 || kept === features ? INF_WEIGHT : 1;
  });
}

/** The efficiency-constrained fit on every row but the two endpoints (which set its constraints). */
function efficientFit(design: Design, outputs: Float32Array, weights: Float64Array, exhaustive: boolean) {
  const features = design.cols;
  const fx = outputs[0];
  const fBase = outputs[1];
  const rest: Design = { rows: design.rows - 2, cols: features, data: (design.data as Uint8Array).subarray(2 * features) };
  const fit = features === 1 || rest.rows === 0
    ? { coef: Float64Array.from({ length: features }, () => (fx - fBase) / features), intercept: fBase, r2: 1 }
    : constrainedLeastSquares(rest, outputs.subarray(2), weights.subarray(2), fBase, fx - fBase);
  return { ...fit, exhaustive };
}

export const kernelShap: Explainer = {
  info: {
    id: 'kernel-shap',
    label: 'KernelSHAP',
    family: 'perturbation',
    needs: 'forward',
    output: {
      shape: '[H, W] (each pixel carries its superpixel\'s value), or [M] with output=features',
      meaning: 'Shapley value of each superpixel for the target logit; the values sum to f(x) − f(masked)',
      signed: true,
      unit: 'SHAP value (Δ logit)',
    },
    reference: 'Captum KernelShap (Shapley size sampling, LinearRegression); shap KernelExplainer (paired samples, efficiency constraint, full enumeration when affordable)',
    params: [
      samplesParam(1000, 'number of evaluated coalitions, f(x) and f(baseline) included (nsamples)'),
      SEED_PARAM,
      segmentsParam('quickshift'),
      ...MASKER_PARAMS,
      {
        name: 'constraint',
        kind: 'enum',
        default: 'exact',
        options: ['exact', 'inf-weight'],
        description: 'exact: paired samples and Σφ = f(x) − f(baseline) imposed (shap); inf-weight: Captum as is (weight 1e6 on the endpoints)',
      },
      OUTPUT_PARAM,
      BATCH_PARAM,
    ],
  },
  run(ctx) {
    const samples = Number(ctx.params.samples);
    const captum = ctx.params.constraint === 'inf-weight';
    // the budget covers every coalition of the M features
    const exhaustive = (features: number) => features < 31 && 2 ** features <= samples;
    return runSurrogate(ctx, 'kernel-shap', {
      sample: (features, rng) => {
        if (captum) return captumShapleyCoalitions(features, samples, rng);
        return exhaustive(features) ? allCoalitions(features) : pairedShapleyCoalitions(features, samples, rng);
      },
      weights: (coalitions) => {
        const features = coalitions.masks.length / coalitions.rows;
        if (captum) return captumKernelShapWeights(coalitions, features);
        if (!exhaustive(features)) return new Float64Array(coalitions.rows).fill(1);
        return Float64Array.from({ length: coalitions.rows }, (_, i) => {
          const kept = coalitionSize(coalitions, features, i);
          return kept === 0 || kept === features ? 0 : shapleyKernelWeight(features, kept);
        });
      },
      fit: (design, outputs, weights) => (captum ? leastSquares(design, outputs, weights) : efficientFit(design, outputs, weights, exhaustive(design.cols))),
    });
  },
};
