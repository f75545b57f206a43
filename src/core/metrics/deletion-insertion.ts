// Deletion and insertion curves (Petsiuk et al., "RISE", BMVC 2018): pixels are removed from the
// image (deletion) or added to a baseline (insertion) from the most to the least relevant cell of
// the map, in `steps` equal steps, and the target's probability is recorded; the area under each
// curve (trapezoid rule over the removed fraction) summarises it. A faithful map gives a low
// deletion AUC and a high insertion AUC. All inputs of a curve go through the batched ScoreEvaluator.
import type { CurveBaseline, CurveResult } from '../../api/metrics-schemas';
import { ScoreEvaluator, type EvaluationContext } from '../explain/evaluate';
import { copyPixels, layoutOf, maskerReplacement } from '../explain/perturbation/maskers';
import { targetScore } from '../model/activation';
import { Prng } from '../random/prng';
import { pixelsByRelevance } from './pixel-order';

export interface CurveOptions {
  baseline: CurveBaseline;
  steps: number;
  /** Gaussian σ in pixels (baseline gaussian) and box side (baseline blur) */
  blurSigma?: number;
  blurSize?: number;
  /** seed of the noise baseline */
  seed?: number;
}

/** The baseline tensor (model-input space) that removed pixels take. */
function baselineInput(ctx: EvaluationContext, options: Pick<CurveOptions, 'baseline' | 'blurSigma' | 'blurSize' | 'seed'>): Float32Array {
  const params = { masker: options.baseline, blurSigma: options.blurSigma ?? 8, blurSize: options.blurSize ?? 31 };
  return maskerReplacement(
    { model: ctx.model, input: ctx.input, params },
    {
      rng: new Prng(options.seed ?? 0),
      segmentation: () => {
        throw new Error('no superpixel baseline for curves');
      },
    },
  );
}

export function trapezoidAuc(xs: readonly number[], ys: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return area;
}

/** Scores of `from` with the map's top pixels taken from `to`, for every step's pixel count. */
async function curve(ctx: EvaluationContext, map: ArrayLike<number>, from: Float32Array, to: Float32Array, options: CurveOptions): Promise<CurveResult> {
  const layout = layoutOf(ctx.model.preprocessing);
  if (map.length !== layout.plane) throw new Error(`curve: the map has ${map.length} cells, the model input ${layout.plane} pixels`);
  const order = pixelsByRelevance(map);
  const counts = Array.from({ length: options.steps + 1 }, (_, k) => Math.round((k * layout.plane) / options.steps));
  const evaluator = new ScoreEvaluator(ctx, { score: (logits) => targetScore(logits, ctx.target, ctx.model.activation) });
  const scores = await evaluator.scores(counts.length, (index, dst) => {
    dst.set(from);
    copyPixels(layout, order.subarray(0, counts[index]), to, dst);
  });
  const fractions = counts.map((c) => c / layout.plane);
  const values = Array.from(scores);
  return { baseline: options.baseline, fractions, scores: values, auc: trapezoidAuc(fractions, values) };
}

export function deletionCurve(ctx: EvaluationContext, map: ArrayLike<number>, options: CurveOptions): Promise<CurveResult> {
  return curve(ctx, map, ctx.input.data, baselineInput(ctx, options), options);
}

export function insertionCurve(ctx: EvaluationContext, map: ArrayLike<number>, options: CurveOptions): Promise<CurveResult> {
  return curve(ctx, map, baselineInput(ctx, options), ctx.input.data, options);
}
