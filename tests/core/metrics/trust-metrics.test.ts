// Trust metrics on hand-computable cases: the pixel order, Spearman correlation (scipy's values),
// SSIM's invariances, relevance rank, noisy linear imputation (exact on a linear ramp without
// noise), deletion/insertion AUC and ROAD on a toy model whose score is the sum of one quadrant,
// and the randomisation cascade's verdicts.
import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../src/api/schemas';
import type { EvaluationContext } from '../../../src/core/explain/evaluate';
import { layoutOf } from '../../../src/core/explain/perturbation/maskers';
import { deletionCurve, insertionCurve, trapezoidAuc } from '../../../src/core/metrics/deletion-insertion';
import { localisation } from '../../../src/core/metrics/localisation';
import { noisyLinearImputation } from '../../../src/core/metrics/noisy-linear-imputation';
import { pixelsByRelevance } from '../../../src/core/metrics/pixel-order';
import { cascadingRandomisation } from '../../../src/core/metrics/randomisation';
import { averageRanks, spearman } from '../../../src/core/metrics/rank-correlation';
import { relevanceRankAccuracy } from '../../../src/core/metrics/relevance-rank';
import { road } from '../../../src/core/metrics/road';
import { ssim } from '../../../src/core/metrics/ssim';
import { Prng } from '../../../src/core/random/prng';

const SIDE = 8;

/** A 1-channel SIDE×SIDE model whose only logit is the sum of the top-left quadrant (activation none). */
function quadrantModel(input: Float32Array): EvaluationContext {
  const model = {
    numClasses: 1,
    activation: 'none',
    preprocessing: { layout: 'NCHW', channels: 1, height: SIDE, width: SIDE, channelOrder: 'RGB', scale: 1 / 255, mean: [0], std: [1], colorToGray: null, resize: 'stretch' },
  } as unknown as ModelInfo;
  const half = SIDE / 2;
  return {
    model,
    input: { shape: [1, 1, SIDE, SIDE], data: input },
    target: 0,
    forward: {
      provider: 'test',
      maxBatch: 64,
      async run(data, batch) {
        const out = new Float32Array(batch);
        for (let b = 0; b < batch; b++) for (let y = 0; y < half; y++) for (let x = 0; x < half; x++) out[b] += data[b * SIDE * SIDE + y * SIDE + x];
        return out;
      },
    },
    progress: () => undefined,
    checkCancelled: () => undefined,
  };
}

const quadrant = (value: number) => Float32Array.from({ length: SIDE * SIDE }, (_, p) => (Math.floor(p / SIDE) < SIDE / 2 && p % SIDE < SIDE / 2 ? value : 0));

describe('ranks and correlations', () => {
  it('orders cells by decreasing value, ties in index order, NaN last', () => {
    expect(Array.from(pixelsByRelevance([1, 3, 3, NaN, 2]))).toEqual([1, 2, 4, 0, 3]);
  });

  it('gives tied values their mean rank and matches scipy.stats.spearmanr', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic = 0.8207826816681233
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([1, 1, 1], [3, 2, 1])).toBe(0);
  });

  it('SSIM is 1 for the same map at any scale and negative for its inverse', () => {
    const rng = new Prng(3);
    const map = Float32Array.from({ length: 16 * 16 }, () => rng.uniform());
    expect(ssim(map, map, 16, 16)).toBeCloseTo(1, 12);
    expect(ssim(map, map.map((v) => 5 * v - 2), 16, 16)).toBeCloseTo(1, 5);
    expect(ssim(map, map.map((v) => -v), 16, 16)).toBeLessThan(0);
  });
});

describe('localisation', () => {
  it('relevance rank: the share of the K highest cells inside a K-cell region', () => {
    const mask = [1, 1, 0, 0, 0];
    expect(relevanceRankAccuracy([9, 1, 8, 0, 0], mask)).toBe(0.5);
    expect(relevanceRankAccuracy([9, 8, 1, 0, 0], mask)).toBe(1);
    expect(relevanceRankAccuracy([9, 8, 1, 0, 0], [0, 0, 0, 0, 0])).toBe(0);
  });

  it('reports all four metrics of one map against one mask', () => {
    expect(localisation([4, 3, 2, -1], [1, 0, 0, 1], 50)).toEqual({
      pointingHit: true,
      pointingIndex: 0,
      massInside: 4 / 9,
      relevanceRank: 0.5,
      topKIoU: 1 / 3,
      topKPercent: 50,
      regionCells: 2,
      mapCells: 4,
    });
  });
});

describe('noisy linear imputation', () => {
  const prep = quadrantModel(new Float32Array(SIDE * SIDE)).model.preprocessing;
  const layout = layoutOf(prep);

  it('fills an interior hole of a linear ramp exactly when the noise is 0', () => {
    const ramp = Float32Array.from({ length: SIDE * SIDE }, (_, p) => 0.5 * Math.floor(p / SIDE) - 0.25 * (p % SIDE));
    const removed = new Uint8Array(SIDE * SIDE);
    for (const p of [18, 19, 20, 26, 27, 28, 35, 36]) removed[p] = 1;
    const filled = noisyLinearImputation(ramp.map((v, p) => (removed[p] ? 100 : v)), layout, removed, { width: SIDE, height: SIDE, noiseStd: [0], rng: new Prng(1) });
    for (let p = 0; p < ramp.length; p++) expect(filled[p]).toBeCloseTo(ramp[p], 5);
  });

  it('adds seeded Gaussian noise of the given spread to imputed pixels only', () => {
    const flat = new Float32Array(SIDE * SIDE).fill(2);
    const removed = Uint8Array.from({ length: SIDE * SIDE }, (_, p) => (p % 2 === 0 ? 1 : 0));
    const a = noisyLinearImputation(flat, layout, removed, { width: SIDE, height: SIDE, noiseStd: [0.1], rng: new Prng(7) });
    const b = noisyLinearImputation(flat, layout, removed, { width: SIDE, height: SIDE, noiseStd: [0.1], rng: new Prng(7) });
    expect(Array.from(a)).toEqual(Array.from(b));
    const deviations = Array.from(a).filter((_, p) => removed[p]).map((v) => v - 2);
    expect(Array.from(a).filter((_, p) => !removed[p]).every((v) => v === 2)).toBe(true);
    const rms = Math.sqrt(deviations.reduce((s, d) => s + d * d, 0) / deviations.length);
    expect(rms).toBeGreaterThan(0.05);
    expect(rms).toBeLessThan(0.15);
  });
});

describe('deletion, insertion and ROAD on a model of one quadrant', () => {
  // 16 quadrant pixels of value 1: the score is 16; a map ranking the quadrant first is faithful.
  const ctx = quadrantModel(quadrant(1));
  const faithful = quadrant(1).map((v, p) => v * (100 - p));

  it('deletion drops to 0 once the quadrant (a quarter of the pixels) is gone; insertion mirrors it', async () => {
    const deletion = await deletionCurve(ctx, faithful, { baseline: 'zero', steps: 4 });
    expect(deletion.fractions).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(deletion.scores).toEqual([16, 0, 0, 0, 0]);
    expect(deletion.auc).toBe(16 * 0.25 * 0.5);
    const insertion = await insertionCurve(ctx, faithful, { baseline: 'zero', steps: 4 });
    expect(insertion.scores).toEqual([0, 16, 16, 16, 16]);
    expect(insertion.auc).toBe(16 * 0.875);
  });

  it('a map that ranks the quadrant last deletes it last', async () => {
    const unfaithful = faithful.map((v) => -v);
    const deletion = await deletionCurve(ctx, unfaithful, { baseline: 'zero', steps: 4 });
    expect(deletion.scores).toEqual([16, 16, 16, 16, 0]);
    expect(deletion.auc).toBe(trapezoidAuc(deletion.fractions, deletion.scores));
  });

  it('ROAD: removing the most relevant pixels costs the score, removing the least relevant does not', async () => {
    const result = await road(ctx, faithful, { fractions: [0.25, 0.5, 0.75], seed: 1 });
    // up to 75 % least relevant removed, the quadrant is untouched: the score stays 16 exactly
    expect(result.lerf).toEqual([16, 16, 16]);
    // the quadrant imputed from the zeros around it (plus σ = 0.01·255·scale/std noise) is near 0
    for (const score of result.morf) expect(Math.abs(score)).toBeLessThan(0.2);
    expect(result.noiseStd).toBeCloseTo(0.01, 12);
    expect(result.gap).toBeCloseTo(result.lerfMean - result.morfMean, 12);
  });
});

describe('cascading randomisation', () => {
  const layers = ['conv1', 'conv2', 'fc'].map((name) => ({ name, opType: 'Conv', initializers: [`${name}.weight`] }));
  const rng = new Prng(5);
  const original = Float32Array.from({ length: 10 * 10 }, () => rng.uniform());
  const noise = Float32Array.from({ length: 10 * 10 }, () => rng.uniform());

  async function run(mapOf: (step: number) => ArrayLike<number>) {
    const steps: string[][] = [];
    const result = await cascadingRandomisation({
      original,
      width: 10,
      height: 10,
      layers,
      seed: 0,
      mapWith: async (randomised, step) => {
        steps.push(randomised.map((l) => l.name));
        return mapOf(step);
      },
      checkCancelled: () => undefined,
    });
    return { result, steps };
  }

  it('randomises from the top, one more layer per step', async () => {
    const { steps, result } = await run(() => noise);
    expect(steps).toEqual([['fc'], ['fc', 'conv2'], ['fc', 'conv2', 'conv1']]);
    expect(result.steps.map((s) => s.randomised)).toEqual(steps);
    expect(result.steps[0].spearman).toBeCloseTo(spearman(original, noise), 12);
  });

  it('says whether the map separates within the top layers, only at other steps, or never', async () => {
    expect((await run(() => noise)).result).toMatchObject({ verdict: 'separates', separatesAt: 1 });
    expect((await run((step) => (step < 3 ? original : noise))).result).toMatchObject({ verdict: 'partial', separatesAt: 3 });
    expect((await run(() => original)).result).toMatchObject({ verdict: 'insensitive', separatesAt: null });
    expect((await run(() => original)).result.steps.every((s) => s.spearman === 1 && Math.abs(s.ssim - 1) < 1e-12)).toBe(true);
  });
});
