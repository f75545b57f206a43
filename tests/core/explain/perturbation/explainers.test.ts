// The perturbation explainers as a user meets them: registered with their parameters, seeded and
// reproducible, the records they keep (evaluations, seed, R²), output=features with its display
// step, maskers computed as stated (box blur = cv2.blur with reflect-101 borders), RISE's masks,
// cancellation, gray 16-bit images handled natively, and the CLI.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../../src/api/schemas';
import { boxBlur, gaussianBlur } from '../../../../src/core/explain/perturbation/maskers';
import { riseMasks } from '../../../../src/core/explain/perturbation/rise';
import { Prng } from '../../../../src/core/random/prng';
import { readNpyF32 } from '../../../helpers/fixtures';
import { runCli, singleJson } from '../../../helpers/cli';
import { attributionOf, explainHarness, heatmapOf, sum } from '../../../helpers/explain';
import { writeGray16Png, writePng } from '../../../helpers/images';
import { linearModel, randomFloats, regionMeanModel, writeModel } from '../../../helpers/onnx-builder';

const harness = explainHarness('sightline-perturbation-');
const SIZE = 12;
let modelId: string;
let inputId: string;

beforeAll(async () => {
  modelId = await harness.openModel('region', regionMeanModel({ channels: 3, height: SIZE, width: SIZE, region: { top: 0, left: 0, height: 8, width: 8 } }));
  inputId = await harness.openTensor('x', [1, 3, SIZE, SIZE], randomFloats(3 * SIZE * SIZE, 71, 0.2, 1.2));
});

const explain = (method: string, params: Record<string, string | number>, extra = {}) => harness.api.explain({ modelId, inputId, method, target: 0, params, ...extra });

describe('registry', () => {
  it('lists the five perturbation methods with the common parameters', async () => {
    const methods = await harness.api.methods({});
    const byId = new Map(methods.map((m) => [m.id, m]));
    for (const id of ['occlusion', 'rise', 'lime', 'kernel-shap', 'partition-shap']) expect(byId.has(id)).toBe(true);
    for (const id of ['rise', 'lime', 'kernel-shap', 'partition-shap']) {
      const names = byId.get(id)!.params.map((p) => p.name);
      for (const common of ['samples', 'seed', 'masker', 'batchSize']) expect(names).toContain(common);
      expect(byId.get(id)!.params.find((p) => p.name === 'masker')!.options).toEqual(['zero', 'black', 'mean', 'blur', 'gaussian', 'superpixel-mean', 'noise']);
    }
    expect(byId.get('lime')!.params.find((p) => p.name === 'samples')!.default).toBe(1000);
    expect(byId.get('lime')!.params.find((p) => p.name === 'fit')!.options).toEqual(['lasso', 'ridge']);
    expect(byId.get('partition-shap')!.params.find((p) => p.name === 'samples')!.default).toBe(500);
  });
});

describe('seeds, records and outputs', () => {
  it.each([
    ['rise', { samples: 40, cells: 3 }],
    ['lime', { samples: 60, segments: 'grid:3' }],
    ['kernel-shap', { samples: 60, segments: 'grid:4' }],
    ['partition-shap', { samples: 60, masker: 'noise' }],
  ] as const)('%s: the same seed gives the same result, another seed another one', async (method, params) => {
    const a = await explain(method, { ...params, seed: 7 });
    const b = await explain(method, { ...params, seed: 7 });
    const c = await explain(method, { ...params, seed: 8 });
    expect(attributionOf(a).data).toEqual(attributionOf(b).data);
    expect(attributionOf(a).data).not.toEqual(attributionOf(c).data);
    expect(a.stats?.seed).toBe(7);
    expect(a.params.seed).toBe(7);
    expect(a.evaluations).toBeLessThanOrEqual(60);
    expect(a.evaluations).toBeGreaterThan(0);
  });

  it('LIME records R², the fit, evaluations and time; output=features is [M] painted by its display step', async () => {
    const map = await explain('lime', { samples: 80, segments: 'grid:3' });
    const features = await explain('lime', { samples: 80, segments: 'grid:3', output: 'features' });
    expect(map.attribution.shape).toEqual([SIZE, SIZE]);
    expect(features.attribution.shape).toEqual([9]);
    expect(features.display).toEqual([{ op: 'paint-segments', args: { width: SIZE, height: SIZE, runs: expect.any(Array) } }]);
    expect(heatmapOf(features).data).toEqual(attributionOf(map).data);
    expect(map.evaluations).toBe(80);
    expect(map.durationMs).toBeGreaterThan(0);
    expect(map.stats).toMatchObject({ seed: 0, features: 9 });
    expect(Number(map.stats!.r2)).toBeGreaterThan(0.9);
    expect(Number(map.stats!.r2)).toBeLessThanOrEqual(1);
    // the region (top-left 8×8) is cells 0, 1, 3 and 4 of the 3×3 grid (4×4 pixels each)
    const phi = attributionOf(features).data;
    for (const f of [2, 5, 6, 7, 8]) expect(Math.abs(phi[f])).toBeLessThan(1e-3);
    for (const f of [0, 1, 3, 4]) expect(phi[f]).toBeGreaterThan(0.05);
  });

  it('every masker runs, and changes what the explainer sees', async () => {
    const results = new Map<string, Float32Array>();
    for (const masker of ['zero', 'black', 'mean', 'blur', 'gaussian', 'superpixel-mean', 'noise']) {
      const result = await explain('kernel-shap', { samples: 40, segments: 'grid:2', masker, blurSize: 3, blurSigma: 1, output: 'features' });
      results.set(masker, attributionOf(result).data);
    }
    expect(results.get('mean')).not.toEqual(results.get('zero'));
    expect(results.get('blur')).not.toEqual(results.get('gaussian'));
    // the default card has mean 0 and std 1: black pixels are 0 in model space, as zero
    expect(results.get('black')).toEqual(results.get('zero'));
  });

  it('bad parameters are BAD_PARAMS with the method named', async () => {
    await expect(explain('lime', { segments: 'voronoi' })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/lime: segments="voronoi" is not one of grid:K/) });
    await expect(explain('rise', { masker: 'purple' })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/masker="purple" is not one of zero, black/) });
    await expect(explain('kernel-shap', { samples: 0 })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
  });

  it('cancel stops LIME between batches', async () => {
    const controller = new AbortController();
    const progress: Progress[] = [];
    const error = await harness.api
      .explain(
        { modelId, inputId, method: 'lime', target: 0, params: { samples: 5000, segments: 'grid:3', batchSize: 8 } },
        {
          signal: controller.signal,
          onProgress: (p) => {
            progress.push(p);
            if (p.done > 0) controller.abort();
          },
        },
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED' });
    expect(progress.at(-1)!.done).toBeLessThan(5000);
    expect(progress.every((p) => p.total === 5000)).toBe(true);
  });
});

describe('maskers', () => {
  it('box blur is the k×k mean with reflect-101 borders (cv2.blur); Gaussian keeps constants', () => {
    const [w, h] = [7, 5];
    const plane = Float64Array.from(randomFloats(w * h, 81));
    const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    for (const k of [3, 4]) {
      const blurred = boxBlur(plane, w, h, k);
      const anchor = Math.floor(k / 2);
      for (const [y, x] of [[0, 0], [2, 3], [4, 6]]) {
        let total = 0;
        for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) total += plane[reflect(y + dy - anchor, h) * w + reflect(x + dx - anchor, w)];
        expect(blurred[y * w + x]).toBeCloseTo(total / (k * k), 12);
      }
    }
    const constant = gaussianBlur(new Float64Array(w * h).fill(0.3), w, h, 1.5);
    for (const v of constant) expect(v).toBeCloseTo(0.3, 12);
  });
});

describe('RISE masks', () => {
  it('values in [0, 1], mean ≈ p, random shifts; the same seed draws the same masks', () => {
    const draw = (seed: number) => riseMasks(20, 16, 200, 4, 0.3, new Prng(seed));
    const masks = draw(1);
    const again = draw(1);
    const out = new Float32Array(20 * 16);
    const copy = new Float32Array(20 * 16);
    let total = 0;
    for (let i = 0; i < masks.count; i++) {
      masks.render(i, out);
      again.render(i, copy);
      expect(copy).toEqual(out);
      for (const v of out) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      total += sum(out);
    }
    expect(total / (200 * 320)).toBeGreaterThan(0.25);
    expect(total / (200 * 320)).toBeLessThan(0.35);
  });
});

describe('gray 16-bit images', () => {
  it('LIME with quickshift on a 16-bit gray PNG equals the 8-bit run (native gray, no RGB faked)', async () => {
    // four flat quadrants: quickshift (lime's defaults) finds one mode in each
    const side = 64;
    const levels = [30, 200, 120, 60];
    const gray8 = Array.from({ length: side * side }, (_, p) => levels[(Math.floor(p / side) < 32 ? 0 : 2) + (p % side < 32 ? 0 : 1)]);
    const png8 = await writePng(join(harness.dir, 'gray8.png'), side, side, 1, gray8);
    const png16 = await writeGray16Png(join(harness.dir, 'gray16.png'), side, side, gray8.map((v) => v * 257));
    const grayModel = (await harness.api.openModel({ path: writeModel(join(harness.dir, 'gray'), 'gray', linearModel({ dims: [1, side, side], classes: 2, seed: 91 }).bytes) })).id;
    const run = async (path: string) => {
      const input = await harness.api.openInput({ path });
      return harness.api.explain({ modelId: grayModel, inputId: input.id, method: 'lime', target: 1, params: { samples: 60 } });
    };
    const [eight, sixteen] = [await run(png8), await run(png16)];
    expect(Number(eight.stats!.features)).toBeGreaterThan(1);
    expect(attributionOf(sixteen).data).toEqual(attributionOf(eight).data);
  });
});

describe('CLI', () => {
  it('sightline explain --method kernel-shap --set … writes the per-feature values (.npy)', async () => {
    const modelPath = writeModel(join(harness.dir, 'cli'), 'region', regionMeanModel({ channels: 3, height: SIZE, width: SIZE, region: { top: 0, left: 0, height: 6, width: 6 } }));
    const out = join(harness.dir, 'ks.npy');
    const inputPath = join(harness.dir, 'x.npy');
    const run = await runCli(['explain', '--model', modelPath, '--input', inputPath, '--method', 'kernel-shap', '--target', '0', '--set', 'segments=grid:2', '--set', 'output=features', '--set', 'seed=3', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = singleJson<{ method: string; shape: number[]; evaluations: number }>(run.stdout);
    expect(summary).toMatchObject({ method: 'kernel-shap', shape: [4], evaluations: 16 });
    const written = readNpyF32(out);
    expect(written.shape).toEqual([4]);
    // only the top-left quarter matters: its Shapley value is the whole change, the others 0
    expect(Math.abs(written.data[1]) + Math.abs(written.data[2]) + Math.abs(written.data[3])).toBeLessThan(1e-6);
    expect(written.data[0]).toBeGreaterThan(0.2);
  });
});
