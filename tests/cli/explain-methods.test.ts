// Must show 4: every gradient, CAM and attention method works through `sightline explain` (a real
// child process) and its .npy is the raw result: CAMs the signed [h, w] layer map (= pytorch-grad-cam's
// raw, squeezenet1_1 and mobilenet_v3_small's Score-CAM), --layer picks the CAM tensor, integrated
// gradients takes steps/rule/baseline (resnet18 = Captum's 32-step Gauss-Legendre), SmoothGrad takes
// samples/stdev/seed and noise=FILE.npy (resnet18 = Captum with the fixture's noise), and
// --target topK writes one file per class.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/core/tensor/npy';
import { runCli, singleJson, type CliResult } from '../helpers/cli';
import { compareMaps, describeComparison, maxAbs } from '../helpers/compare';
import { fixture, imageNpy, makeTempDir, maxAbsDiff, modelPath, readNpyF32, reportFigure } from '../helpers/fixtures';

const tmp = makeTempDir('sightline-cli-methods-');
const env = { SIGHTLINE_CACHE_DIR: join(tmp.dir, 'cache'), SIGHTLINE_DATA_DIR: join(tmp.dir, 'data') };
afterAll(() => tmp.cleanup());

interface Summary {
  out: string;
  method: string;
  target: number;
  shape: number[];
  evaluations: number;
  stats?: Record<string, number | string>;
}

async function explain(model: string, method: string, target: string, extra: string[] = []): Promise<{ result: CliResult; summary: Summary; out: string }> {
  const out = join(tmp.dir, `${model}-${method}-${target}-${extra.join('_').replace(/[^\w.=-]+/g, '_').slice(0, 80)}.npy`);
  const result = await runCli(['explain', '--model', modelPath(model), '--input', imageNpy('chelsea'), '--method', method, '--target', target, ...extra, '--out', out, '--json', '--provider', 'cpu'], { env, timeoutMs: 240_000 });
  expect(result.code, result.stderr).toBe(0);
  return { result, summary: singleJson<Summary>(result.stdout), out };
}

/** Runs the commands two at a time (two cores). */
async function inPairs<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += 2) results.push(...(await Promise.all(jobs.slice(i, i + 2).map((job) => job()))));
  return results;
}

const sets = (params: Record<string, string | number>) => Object.entries(params).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

describe('CAMs: the .npy is the raw signed layer-resolution map', () => {
  it('squeezenet1_1 chelsea 8: grad-cam (automatic layer and --layer), grad-cam-plus-plus, hires-cam, xgrad-cam, layer-cam = pytorch-grad-cam raw; mobilenet_v3_small score-cam', async () => {
    const layer = '/features/features.12/Concat_output_0';
    const runs = [
      ['squeezenet1_1', 'grad-cam', '8', [], 'squeezenet1_1/cam/chelsea_c8/gradcam_raw.npy'],
      ['squeezenet1_1', 'grad-cam', '8', ['--layer', layer], 'squeezenet1_1/cam/chelsea_c8/gradcam_raw.npy'],
      ['squeezenet1_1', 'grad-cam-plus-plus', '8', ['--layer', layer], 'squeezenet1_1/cam/chelsea_c8/gradcampp_raw.npy'],
      ['squeezenet1_1', 'hires-cam', '8', [], 'squeezenet1_1/cam/chelsea_c8/hirescam_raw.npy'],
      ['squeezenet1_1', 'xgrad-cam', '8', [], 'squeezenet1_1/cam/chelsea_c8/xgradcam_raw.npy'],
      ['squeezenet1_1', 'layer-cam', '8', [], 'squeezenet1_1/cam/chelsea_c8/layercam_raw.npy'],
      ['mobilenet_v3_small', 'score-cam', '2', ['--set', 'batchSize=32'], 'mobilenet_v3_small/cam/chelsea_c2/scorecam_raw.npy'],
    ] as const;
    const results = await inPairs(runs.map(([model, method, target, extra]) => () => explain(model, method, target, [...extra])));
    results.forEach(({ summary, out }, i) => {
      const ref = readNpyF32(fixture(runs[i][4]));
      const got = readNpyF32(out);
      expect(got.shape).toEqual(ref.shape);
      expect(summary.stats?.layer).toBe(runs[i][0] === 'squeezenet1_1' ? layer : '/features/features.12/features.12.2/HardSwish_output_0');
      expect(summary.stats?.layerSource).toBe(runs[i][3][0] === '--layer' ? 'parameter' : 'model card');
      const error = maxAbsDiff(got.data, ref.data);
      reportFigure(`CLI ${runs[i][0]} ${runs[i][1]} raw max|diff|`, error);
      expect(error).toBeLessThanOrEqual(1e-3 * maxAbs(ref.data) + 1e-6);
    });
  });

  it('guided-grad-cam is input-shaped', async () => {
    const { summary, out } = await explain('squeezenet1_1', 'guided-grad-cam', '8', ['--set', 'interpolation=bilinear']);
    expect(summary.shape).toEqual([1, 3, 224, 224]);
    expect(maxAbs(readNpyF32(out).data)).toBeGreaterThan(0);
  });
});

describe('gradient methods with their parameters', () => {
  it('resnet18: integrated-gradients --set steps=32 rule=gauss-legendre baseline=zero = Captum; smoothgrad --set noise=FILE.npy = Captum’s NoiseTunnel with the fixture’s noise', async () => {
    const sigma = Math.fround(0.5342923402786255); // the manifest's σ for chelsea
    const unit = readNpyF32(fixture('resnet18', 'ref', 'smoothgrad_unit_noise.npy'));
    const noise = join(tmp.dir, 'noise.npy');
    writeFileSync(noise, encodeNpy({ shape: unit.shape, data: unit.data.map((e) => Math.fround(sigma * e)) }));
    const [ig, sg] = await inPairs([
      () => explain('resnet18', 'integrated-gradients', '117', sets({ steps: 32, rule: 'gauss-legendre', baseline: 'zero' })),
      () => explain('resnet18', 'smoothgrad', '117', sets({ noise, variant: 'smoothgrad' })),
    ]);
    for (const [what, run, file] of [['IG', ig, 'chelsea.t117.ig_gausslegendre32.npy'], ['SmoothGrad', sg, 'chelsea.t117.smoothgrad.npy']] as const) {
      const m = compareMaps(readNpyF32(run.out).data, readNpyF32(fixture('resnet18', 'ref', file)).data);
      reportFigure(`CLI resnet18 ${what}: ${describeComparison(m)}`, m.relL2);
      expect(m.cosine).toBeGreaterThanOrEqual(0.9999);
      expect(m.relL2).toBeLessThanOrEqual(1e-2);
    }
    expect(ig.summary.stats).toMatchObject({ rule: 'gauss-legendre', steps: 32 });
    expect(Math.abs(Number(ig.summary.stats!.convergenceDelta) - 0.08255743980407715)).toBeLessThanOrEqual(1e-2);
    expect(sg.summary).toMatchObject({ evaluations: 8, stats: { samples: 8, noise: 'file' } });
  });

  it('squeezenet1_1: every rule and baseline; smoothgrad variants with samples/stdev/seed; saliency, input-x-gradient, guided-backprop, deconvolution, gradient', async () => {
    const igRuns = [
      { steps: 4, rule: 'riemann-left', baseline: 'black' },
      { steps: 4, rule: 'riemann-right', baseline: 'blur' },
      { steps: 4, rule: 'riemann-middle', baseline: 'zero' },
      { steps: 4, rule: 'riemann-trapezoid', baseline: 'zero' },
      { steps: 3, rule: 'gauss-legendre', baseline: 'black' },
    ];
    const other = [
      ['smoothgrad', sets({ variant: 'smoothgrad-sq', samples: 2, stdev: 0.1, seed: 7 })],
      ['smoothgrad', sets({ variant: 'vargrad', samples: 2, stdev: 0.1, seed: 7 })],
      ['saliency', []],
      ['input-x-gradient', []],
      ['guided-backprop', []],
      ['deconvolution', []],
      ['gradient', []],
    ] as const;
    const results = await inPairs([
      ...igRuns.map((p) => () => explain('squeezenet1_1', 'integrated-gradients', '8', sets(p))),
      ...other.map(([method, extra]) => () => explain('squeezenet1_1', method, '8', [...extra])),
    ]);
    results.forEach(({ summary, out }) => {
      expect(summary.shape).toEqual([1, 3, 224, 224]);
      expect(readNpyF32(out).shape).toEqual([1, 3, 224, 224]);
    });
    // completeness: Captum's delta is what the record says it is, and the Riemann sums are rough at 4 steps
    results.slice(0, igRuns.length).forEach(({ summary, out }, i) => {
      expect(summary.stats).toMatchObject({ rule: igRuns[i].rule, steps: igRuns[i].steps });
      const sum = readNpyF32(out).data.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(Number(summary.stats!.attributionSum), 2);
      expect(Number(summary.stats!.convergenceDelta)).toBeCloseTo(sum - (Number(summary.stats!.scoreInput) - Number(summary.stats!.scoreBaseline)), 2);
    });
    // saliency = |gradient|, input-x-gradient = x · gradient, vargrad ≥ 0, smoothgrad-sq ≥ vargrad
    const byMethod = (method: string, k = 0) => readNpyF32(results.filter((r) => r.summary.method === method)[k].out).data;
    const gradient = byMethod('gradient');
    const x = readNpyF32(imageNpy('chelsea')).data;
    expect(maxAbsDiff(byMethod('saliency'), gradient.map(Math.abs))).toBeLessThanOrEqual(1e-6 * maxAbs(gradient));
    expect(maxAbsDiff(byMethod('input-x-gradient'), gradient.map((g, i) => g * x[i]))).toBeLessThanOrEqual(1e-5 * maxAbs(gradient));
    const [square, variance] = [byMethod('smoothgrad', 0), byMethod('smoothgrad', 1)];
    expect(variance.every((v, i) => v >= -1e-12 && v <= square[i] + 1e-12)).toBe(true);
  });
});

describe('transformer attention', () => {
  it('vit: attention [4 layers, 4 heads, 14, 14], attention-rollout and attention-gradient-rollout [14, 14]', async () => {
    const results = await inPairs([
      () => explain('vit', 'attention', '1', sets({ layer: -1, head: 2 })),
      () => explain('vit', 'attention-rollout', '1', sets({ fusion: 'max', discardRatio: 0.9 })),
      () => explain('vit', 'attention-gradient-rollout', '1'),
    ]);
    expect(results.map((r) => r.summary.shape)).toEqual([[4, 4, 14, 14], [14, 14], [14, 14]]);
    const rollout = readNpyF32(results[1].out).data;
    const scaled = rollout.map((v) => v / Math.max(...rollout));
    expect(maxAbsDiff(scaled, readNpyF32(fixture('vit', 'attention', 'rollout_max_discard0p9_scaled.npy')).data)).toBeLessThanOrEqual(1e-4);
  });
});

describe('--target topK', () => {
  it('grad-cam --target top2 writes the two highest-scoring classes, rank and class in the name', async () => {
    const logits = readNpyF32(fixture('squeezenet1_1', 'ref', 'chelsea.logits.npy')).data;
    const order = [...logits.keys()].sort((a, b) => logits[b] - logits[a]);
    const out = join(tmp.dir, 'top.npy');
    const result = await runCli(['explain', '--model', modelPath('squeezenet1_1'), '--input', imageNpy('chelsea'), '--method', 'grad-cam', '--target', 'top2', '--out', out, '--json', '--provider', 'cpu'], { env });
    expect(result.code, result.stderr).toBe(0);
    const { results } = singleJson<{ results: Summary[] }>(result.stdout);
    expect(results.map((r) => r.target)).toEqual(order.slice(0, 2));
    expect(results.map((r) => r.out)).toEqual(order.slice(0, 2).map((c, rank) => join(tmp.dir, `top.top${rank + 1}-c${c}.npy`)));
    const second = readNpyF32(results[1].out);
    expect(second.shape).toEqual([13, 13]);
  });
});
