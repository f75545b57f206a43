// LIME as Captum's `Lime(model)` runs it for images: superpixel features, samples z ~ Bernoulli(0.5)^M
// (no forced all-ones row), weights exp(−d² / (2·width²)) with d = 1 − cos(x, x_pert) over the
// flattened model inputs (kernel width 1), and scikit-learn's Lasso(alpha=0.01) fitted with those
// weights (linear-fit.ts); `fit=ridge` is lime's Ridge(alpha=1). Also the surrogate pipeline that
// KernelSHAP reuses: sample coalitions → evaluate them in batches → fit a weighted linear model.
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { ScoreEvaluator } from '../evaluate';
import type { Prng } from '../../random/prng';
import { BATCH_PARAM, featureResult, featureSpace, OUTPUT_PARAM, samplesParam, SEED_PARAM, seededRng, segmentsParam, type FeatureSpace } from './features';
import { lasso, ridge, type Design, type LinearFit } from './linear-fit';
import { MASKER_PARAMS } from './maskers';

/** Binary coalitions, one row of M per sample (1 = feature kept). */
export interface Coalitions {
  rows: number;
  masks: Uint8Array;
}

/** Captum Lime's sampler: every feature kept with probability 1/2, independently. */
function bernoulliCoalitions(features: number, count: number, rng: Prng): Coalitions {
  const masks = new Uint8Array(features * count);
  for (let i = 0; i < masks.length; i++) masks[i] = rng.uniform() < 0.5 ? 1 : 0;
  return { rows: count, masks };
}

/** Captum's exp-kernel similarity: exp(−d² / (2 width²)), d = 1 − cosine (eps 1e-8) or the Euclidean distance. */
export function similarityKernel(original: Float32Array, distance: 'cosine' | 'euclidean', kernelWidth: number): (perturbed: Float32Array) => number {
  let originalNorm2 = 0;
  for (const v of original) originalNorm2 += v * v;
  return (perturbed) => {
    let d: number;
    if (distance === 'cosine') {
      let dotProduct = 0;
      let norm2 = 0;
      for (let i = 0; i < perturbed.length; i++) {
        dotProduct += original[i] * perturbed[i];
        norm2 += perturbed[i] * perturbed[i];
      }
      d = 1 - dotProduct / Math.max(Math.sqrt(originalNorm2 * norm2), 1e-8);
    } else {
      let sum = 0;
      for (let i = 0; i < perturbed.length; i++) sum += (original[i] - perturbed[i]) ** 2;
      d = Math.sqrt(sum);
    }
    return Math.exp(-(d * d) / (2 * kernelWidth * kernelWidth));
  };
}

/** A fit plus what is worth recording about it. */
export type SurrogateFit = LinearFit & { iterations?: number; exhaustive?: boolean };

export interface SurrogatePlan {
  /** the coalitions to evaluate */
  sample(features: number, rng: Prng): Coalitions;
  /** sample weights; given the similarity of each perturbed input when the plan has `similarity` */
  weights(coalitions: Coalitions, similarity: Float64Array | null): Float64Array;
  /** the similarity of a perturbed input to the input, measured on every evaluated input when given */
  similarity?: (perturbed: Float32Array) => number;
  fit(design: Design, outputs: Float32Array, weights: Float64Array): SurrogateFit;
}

/** Sample → evaluate (batched, with progress and cancel) → fit; the result is per feature. */
export async function runSurrogate(ctx: ExplainContext, method: string, plan: SurrogatePlan): Promise<ExplainOutput> {
  const rng = seededRng(ctx);
  const space: FeatureSpace = featureSpace(ctx, method, rng);
  const features = space.segmentation.count;
  const coalitions = plan.sample(features, rng.fork(2));
  const kernel = plan.similarity;
  const similarity = kernel ? new Float64Array(coalitions.rows) : null;
  const evaluator = new ScoreEvaluator(ctx, { maxBatch: Number(ctx.params.batchSize ?? 32) });
  const outputs = await evaluator.scores(coalitions.rows, (index, dst) => {
    space.fill(coalitions.masks.subarray(index * features, (index + 1) * features), dst);
    if (kernel && similarity) similarity[index] = kernel(dst);
  });
  const fitStarted = performance.now();
  const design: Design = { rows: coalitions.rows, cols: features, data: coalitions.masks };
  const fit = plan.fit(design, outputs, plan.weights(coalitions, similarity));
  const fitMs = performance.now() - fitStarted;
  return {
    ...featureResult(ctx, space.segmentation, fit.coef),
    evaluations: coalitions.rows,
    stats: {
      seed: rng.seed,
      features,
      r2: fit.r2,
      intercept: fit.intercept,
      fitMs,
      forwardMs: evaluator.forwardMs,
      largestBatch: evaluator.largestBatch,
      ...(fit.iterations === undefined ? {} : { fitIterations: fit.iterations }),
      ...(fit.exhaustive === undefined ? {} : { exhaustive: fit.exhaustive }),
    },
  };
}

export const lime: Explainer = {
  info: {
    id: 'lime',
    label: 'LIME',
    family: 'perturbation',
    needs: 'forward',
    output: {
      shape: '[H, W] (each pixel carries its superpixel\'s coefficient), or [M] with output=features',
      meaning: 'coefficient of a weighted sparse linear model of the target logit over superpixels kept (1) or masked (0)',
      signed: true,
      unit: 'Δ logit per feature',
    },
    reference: 'Captum Lime (Bernoulli(0.5) samples, cosine exp kernel width 1, scikit-learn Lasso alpha 0.01); lime_image quickshift segments',
    params: [
      samplesParam(1000, 'number of perturbed samples (num_samples)'),
      SEED_PARAM,
      segmentsParam('quickshift'),
      ...MASKER_PARAMS,
      { name: 'fit', kind: 'enum', default: 'lasso', options: ['lasso', 'ridge'], description: 'interpretable model: lasso (Captum: Lasso, alpha 0.01) or ridge (lime: Ridge, alpha 1)' },
      { name: 'alpha', kind: 'number', default: null, min: 0, description: 'regularisation strength; default 0.01 for lasso, 1 for ridge' },
      { name: 'kernelWidth', kind: 'number', default: 1, min: 1e-6, description: 'width of the exponential similarity kernel' },
      { name: 'distance', kind: 'enum', default: 'cosine', options: ['cosine', 'euclidean'], description: 'distance between the input and a perturbed input (model space, flattened)' },
      OUTPUT_PARAM,
      BATCH_PARAM,
    ],
  },
  run(ctx) {
    const samples = Number(ctx.params.samples);
    const useRidge = ctx.params.fit === 'ridge';
    const alpha = ctx.params.alpha === undefined || ctx.params.alpha === null ? (useRidge ? 1 : 0.01) : Number(ctx.params.alpha);
    return runSurrogate(ctx, 'lime', {
      sample: (features, rng) => bernoulliCoalitions(features, samples, rng),
      similarity: similarityKernel(ctx.input.data, ctx.params.distance === 'euclidean' ? 'euclidean' : 'cosine', Number(ctx.params.kernelWidth ?? 1)),
      weights: (_coalitions, similarity) => similarity!,
      fit: (design, outputs, weights) => (useRidge ? ridge(design, outputs, weights, alpha) : lasso(design, outputs, weights, alpha)),
    });
  },
};
