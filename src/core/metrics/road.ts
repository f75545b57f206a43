// ROAD — RemOve And Debias (Rong et al., ICML 2022): for each fraction p, the p most relevant
// (MoRF) or least relevant (LeRF) pixels are removed and filled by noisy linear imputation, and the
// target's probability is recorded. A faithful map makes the MoRF curve drop fast (low mean) and the
// LeRF curve stay high; the gap LeRF − MoRF summarises both. Noise σ is 0.01 in [0, 1] pixel units
// (the paper's), converted to model-input units through the card's scale and std.
import type { RoadResult } from '../../api/metrics-schemas';
import { ScoreEvaluator, type EvaluationContext } from '../explain/evaluate';
import { layoutOf } from '../explain/perturbation/maskers';
import { targetScore } from '../model/activation';
import { Prng } from '../random/prng';
import { noisyLinearImputation } from './noisy-linear-imputation';
import { pixelsByRelevance, topCells } from './pixel-order';

const ROAD_FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const PIXEL_NOISE = 0.01;

export interface RoadOptions {
  fractions?: readonly number[];
  seed?: number;
}

export async function road(ctx: EvaluationContext, map: ArrayLike<number>, options: RoadOptions = {}): Promise<RoadResult> {
  const prep = ctx.model.preprocessing;
  const layout = layoutOf(prep);
  if (map.length !== layout.plane) throw new Error(`ROAD: the map has ${map.length} cells, the model input ${layout.plane} pixels`);
  const fractions = [...(options.fractions ?? ROAD_FRACTIONS)];
  const mostFirst = pixelsByRelevance(map);
  const leastFirst = mostFirst.slice().reverse();
  const rng = new Prng(options.seed ?? 0);
  // 0.01 of the pixel range [0, 1]: one 8-bit level is `scale`, so the range is 255·scale in raw units
  const noiseStd = prep.std.map((s) => (PIXEL_NOISE * 255 * prep.scale) / s);
  const imputed: Float32Array[] = [];
  for (const order of [mostFirst, leastFirst]) {
    for (const fraction of fractions) {
      ctx.checkCancelled();
      const removed = topCells(order, Math.round(fraction * layout.plane));
      imputed.push(noisyLinearImputation(ctx.input.data, layout, removed, { width: prep.width, height: prep.height, noiseStd, rng }));
    }
  }
  const evaluator = new ScoreEvaluator(ctx, { score: (logits) => targetScore(logits, ctx.target, ctx.model.activation) });
  const scores = Array.from(await evaluator.scores(imputed.length, (index, dst) => dst.set(imputed[index])));
  const morf = scores.slice(0, fractions.length);
  const lerf = scores.slice(fractions.length);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { fractions, morf, lerf, morfMean: mean(morf), lerfMean: mean(lerf), gap: mean(lerf) - mean(morf), noiseStd: noiseStd[0] };
}
