// Occlusion. Must show 3: resnet18 vs Captum (chelsea in-process, coffee through the CLI), max abs
// ≤ 2e-4. Plus exactness on tiny linear models, where occlusion is computable by hand: for
// f(x) = Σ w·x, setting a window to the baseline b changes f by Σ_window w·(x − b).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type SightlineApi } from '../../../src/api/contract';
import type { Explanation, Progress } from '../../../src/api/schemas';
import { Engine } from '../../../src/core/engine';
import { encodeNpy } from '../../../src/core/tensor/npy';
import { fromWire } from '../../../src/core/tensor/wire';
import { engineApi } from '../../helpers/engine';
import { runCli, singleJson } from '../../helpers/cli';
import { fixture, imageNpy, makeTempDir, maxAbsDiff, modelPath, readNpyF32, reportFigure, sha256File } from '../../helpers/fixtures';
import { linearModel, randomFloats, regionMeanModel, writeModel, type BuiltLinearModel } from '../../helpers/onnx-builder';

const OCCLUSION_TOLERANCE = 2e-4;
const tmp = makeTempDir('sightline-occlusion-');
let engine: Engine;
let api: SightlineApi;

beforeAll(() => {
  engine = new Engine({ intraOpThreads: 0, defaultProvider: 'cpu' });
  api = engineApi(engine);
});
afterAll(async () => {
  await engine.dispose();
  tmp.cleanup();
});

/**
 * The expected occlusion of a model that is linear in its input, f_t(x) = Σ_i v[i]·x[i] + const,
 * computed independently of the implementation: window starts per dim are 0, s, 2s, … up to the
 * first start whose window reaches the end (that last window is clipped at the edge); every
 * element gets the mean of the deltas of the windows covering it, 0 when none does.
 */
function expectedLinearOcclusion(dims: number[], window: number[], strides: number[], x: ArrayLike<number>, v: ArrayLike<number>, baseline: (i: number) => number) {
  const [D0, D1, D2] = dims;
  const starts = dims.map((dim, d) => {
    const list: number[] = [];
    for (let p = 0; ; p += strides[d]) {
      list.push(p);
      if (p + window[d] >= dim) break;
    }
    return list;
  });
  const sum = new Float64Array(D0 * D1 * D2);
  const count = new Uint32Array(D0 * D1 * D2);
  let windows = 0;
  for (const a of starts[0])
    for (const b of starts[1])
      for (const c of starts[2]) {
        windows++;
        const cells: number[] = [];
        for (let i = a; i < Math.min(a + window[0], D0); i++)
          for (let j = b; j < Math.min(b + window[1], D1); j++) for (let k = c; k < Math.min(c + window[2], D2); k++) cells.push((i * D1 + j) * D2 + k);
        let delta = 0;
        for (const i of cells) delta += v[i] * (x[i] - baseline(i));
        for (const i of cells) {
          sum[i] += delta;
          count[i]++;
        }
      }
  const values = Array.from(sum, (s, i) => (count[i] ? s / count[i] : 0));
  return { values, count, windows };
}

/** The weights of class `target` of a linear model, per input element. */
function column(model: BuiltLinearModel, target: number): Float64Array {
  return Float64Array.from({ length: model.numel }, (_, i) => model.weights[i * model.classes + target]);
}

function attributionOf(result: Explanation) {
  return fromWire(result.attribution);
}

describe('occlusion on tiny linear models (expected values computed by hand)', () => {
  const dims = [2, 7, 9];
  const numel = 2 * 7 * 9;
  const model = linearModel({ dims, classes: 3, seed: 21, bias: new Float32Array([0.3, -0.7, 1.1]) });
  const x = randomFloats(numel, 22, -1.5, 1.5);
  let modelId: string;
  let inputId: string;
  beforeAll(async () => {
    modelId = (await api.openModel({ path: writeModel(join(tmp.dir, 'linear'), 'linear', model.bytes) })).id;
    const npy = join(tmp.dir, 'x.npy');
    writeFileSync(npy, encodeNpy({ shape: [1, ...dims], data: x }));
    inputId = (await api.openInput({ path: npy })).id;
  });

  it('non-divisible window/stride: clipped edge windows, exact values, evaluations, heatmap', async () => {
    const progress: Progress[] = [];
    const result = await api.explain(
      { modelId, inputId, method: 'occlusion', target: 1, params: { window: '2,3,4', strides: '1,3,3', baseline: 0 } },
      { onProgress: (p) => progress.push(p) },
    );
    const expected = expectedLinearOcclusion(dims, [2, 3, 4], [1, 3, 3], x, column(model, 1), () => 0);
    expect(expected.windows).toBe(9); // rows 0,3,6 (the last clipped to 1 row) × cols 0,3,6 (the last clipped to 3)
    const attribution = attributionOf(result);
    expect(attribution.shape).toEqual([1, ...dims]);
    expect(maxAbsDiff(attribution.data, expected.values)).toBeLessThan(1e-5);
    expect(result.evaluations).toBe(expected.windows + 1);
    expect(result.params).toEqual({ window: [2, 3, 4], strides: [1, 3, 3], baseline: 0, batchSize: 32 });
    expect(result.target).toBe(1);
    expect(result.method).toBe('occlusion');
    expect(result.signed).toBe(true);
    expect(progress.at(-1)).toEqual({ done: 9, total: 9 });
    // display: the mean over channels, at model resolution
    const heatmap = fromWire(result.heatmap);
    expect(heatmap.shape).toEqual([7, 9]);
    for (let p = 0; p < 63; p++) expect(heatmap.data[p]).toBeCloseTo((attribution.data[p] + attribution.data[63 + p]) / 2, 6);
  });

  it('stride larger than the window: elements no window covers get exactly 0', async () => {
    const result = await api.explain({ modelId, inputId, method: 'occlusion', target: 2, params: { window: [1, 2, 2], strides: [1, 3, 4] } });
    const expected = expectedLinearOcclusion(dims, [1, 2, 2], [1, 3, 4], x, column(model, 2), () => 0);
    const attribution = attributionOf(result);
    expect(maxAbsDiff(attribution.data, expected.values)).toBeLessThan(1e-5);
    let uncovered = 0;
    for (let i = 0; i < numel; i++) {
      if (expected.count[i] === 0) {
        uncovered++;
        expect(attribution.data[i]).toBe(0);
      } else expect(attribution.data[i]).not.toBe(0);
    }
    // rows 2 and 5 and columns 2, 3, 6, 7 are skipped: 2 × (7·9 − 5·5) elements
    expect(uncovered).toBe(2 * (63 - 25));
    expect(result.evaluations).toBe(2 * 3 * 3 + 1);
  });

  it('two numbers = spatial window over all channels; a numeric baseline', async () => {
    const result = await api.explain({ modelId, inputId, method: 'occlusion', target: 0, params: { window: [3, 3], strides: [2, 2], baseline: 0.5 } });
    const expected = expectedLinearOcclusion(dims, [2, 3, 3], [2, 2, 2], x, column(model, 0), () => 0.5);
    expect(result.params.window).toEqual([3, 3]);
    expect(maxAbsDiff(attributionOf(result).data, expected.values)).toBeLessThan(1e-5);
    expect(result.evaluations).toBe(expected.windows + 1);
  });

  it("baseline 'black' is the preprocessed black pixel per channel", async () => {
    const card = { input: { mean: [0.5, 0.25], std: [0.5, 0.5] } };
    const carded = await api.openModel({ path: writeModel(join(tmp.dir, 'carded'), 'linear', linearModel({ dims, classes: 3, seed: 23 }).bytes, card) });
    const built = linearModel({ dims, classes: 3, seed: 23 });
    const result = await api.explain({ modelId: carded.id, inputId, method: 'occlusion', target: 1, params: { window: [1, 4, 4], strides: [1, 4, 4], baseline: 'black' } });
    const black = [-1, -0.5]; // (0 − mean) / std
    const expected = expectedLinearOcclusion(dims, [1, 4, 4], [1, 4, 4], x, column(built, 1), (i) => black[Math.floor(i / 63)]);
    expect(maxAbsDiff(attributionOf(result).data, expected.values)).toBeLessThan(1e-5);
  });

  it('NHWC model: the channel axis is last', async () => {
    const nhwcDims = [5, 6, 2];
    const nhwc = linearModel({ dims: nhwcDims, classes: 2, seed: 24 });
    const info = await api.openModel({ path: writeModel(join(tmp.dir, 'nhwc'), 'nhwc', nhwc.bytes, { input: { layout: 'NHWC' } }) });
    const xn = randomFloats(60, 25, -1, 1);
    const npy = join(tmp.dir, 'xn.npy');
    writeFileSync(npy, encodeNpy({ shape: [1, ...nhwcDims], data: xn }));
    const input = await api.openInput({ path: npy });
    const result = await api.explain({ modelId: info.id, inputId: input.id, method: 'occlusion', target: 1, params: { window: [2, 4], strides: [2, 3] } });
    const expected = expectedLinearOcclusion(nhwcDims, [2, 4, 2], [2, 3, 2], xn, column(nhwc, 1), () => 0);
    expect(maxAbsDiff(attributionOf(result).data, expected.values)).toBeLessThan(1e-5);
    expect(fromWire(result.heatmap).shape).toEqual([5, 6]);
  });

  it('region-mean model: attribution only where windows touch the region', async () => {
    const region = { top: 2, left: 4, height: 3, width: 2 };
    const bytes = regionMeanModel({ channels: 1, height: 8, width: 8, region });
    const info = await api.openModel({ path: writeModel(join(tmp.dir, 'region'), 'region', bytes) });
    expect(info.numClasses).toBe(2);
    const ones = new Float32Array(64).fill(1);
    const npy = join(tmp.dir, 'ones.npy');
    writeFileSync(npy, encodeNpy({ shape: [1, 1, 8, 8], data: ones }));
    const input = await api.openInput({ path: npy });
    const result = await api.explain({ modelId: info.id, inputId: input.id, method: 'occlusion', target: 0, params: { window: [1, 2, 2], strides: [1, 2, 2] } });
    const v = Float64Array.from({ length: 64 }, (_, i) => {
      const y = Math.floor(i / 8);
      const xx = i % 8;
      return y >= region.top && y < region.top + region.height && xx >= region.left && xx < region.left + region.width ? 1 / 6 : 0;
    });
    const expected = expectedLinearOcclusion([1, 8, 8], [1, 2, 2], [1, 2, 2], ones, v, () => 0);
    const got = attributionOf(result).data;
    expect(maxAbsDiff(got, expected.values)).toBeLessThan(1e-6);
    // tiles (rows 2–3, cols 4–5) hold 4 region pixels → 4/6; tiles (rows 4–5, cols 4–5) hold 2 → 2/6
    expect(got[2 * 8 + 4]).toBeCloseTo(4 / 6, 6);
    expect(got[5 * 8 + 5]).toBeCloseTo(2 / 6, 6);
    expect(got[0]).toBe(0);
  });
});

describe('occlusion parameter errors', () => {
  let modelId: string;
  let inputId: string;
  beforeAll(async () => {
    modelId = (await api.openModel({ path: writeModel(join(tmp.dir, 'params'), 'm', linearModel({ dims: [2, 7, 9], classes: 3, seed: 31 }).bytes) })).id;
    const npy = join(tmp.dir, 'p.npy');
    writeFileSync(npy, encodeNpy({ shape: [1, 2, 7, 9], data: randomFloats(126, 32) }));
    inputId = (await api.openInput({ path: npy })).id;
  });
  const explain = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    api.explain({ modelId, inputId, method: 'occlusion', target: 0, params: params as Record<string, number>, ...extra });

  it.each([
    ['window larger than the input', { window: [2, 8, 9] }, /window \[2, 8, 9\] is larger than the input \[2, 7, 9\]/],
    ['an unknown parameter', { radius: 3 }, /occlusion has no parameter "radius"; its parameters are window, strides, baseline, batchSize/],
    ['a window with the wrong rank', { window: [1, 2, 2, 2] }, /window has 4 numbers; the input without batch has 3 dims/],
    ['a non-numeric window', { window: '3,a,2' }, /window="3,a,2" is not a number/],
    ['a zero in the window', { window: [0, 2, 2] }, /window=.* is not a list of integers ≥ 1/],
    ['a zero stride', { strides: '1,0,1' }, /strides=.* is not a list of integers ≥ 1/],
    ['batchSize below its minimum', { batchSize: 0 }, /batchSize=0 is below the minimum 1/],
    ['an unknown baseline', { baseline: 'purple' }, /baseline="purple" is neither a number nor one of zero, black, mean/],
  ])('%s → BAD_PARAMS', async (_what, params, message) => {
    const error = await explain(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('BAD_PARAMS');
    expect((error as ApiError).message).toMatch(message);
  });

  it('a target beyond the classes and an unknown method → BAD_PARAMS', async () => {
    await expect(explain({}, { target: 3 })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/Target class 3 does not exist: the model has 3 classes/) });
    await expect(explain({}, { method: 'gradcam++' })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/Unknown method "gradcam\+\+"; available: occlusion/) });
  });
});

describe('occlusion cancellation', () => {
  let modelId: string;
  let inputId: string;
  beforeAll(async () => {
    modelId = (await api.openModel({ path: writeModel(join(tmp.dir, 'cancel'), 'm', linearModel({ dims: [1, 28, 28], classes: 10, seed: 41 }).bytes) })).id;
    const npy = join(tmp.dir, 'c.npy');
    writeFileSync(npy, encodeNpy({ shape: [1, 1, 28, 28], data: randomFloats(784, 42) }));
    inputId = (await api.openInput({ path: npy })).id;
  });

  it('aborting mid-run stops with CANCELLED; no batch runs after the abort', async () => {
    const controller = new AbortController();
    const progress: Progress[] = [];
    let doneAtAbort = -1;
    const error = await api
      .explain(
        { modelId, inputId, method: 'occlusion', target: 3, params: { window: [1, 1, 1], strides: [1, 1, 1] } },
        {
          signal: controller.signal,
          onProgress: (p) => {
            progress.push(p);
            if (p.done > 0 && !controller.signal.aborted) {
              doneAtAbort = p.done;
              controller.abort();
            }
          },
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('CANCELLED');
    expect(doneAtAbort).toBeGreaterThan(0);
    expect(doneAtAbort).toBeLessThan(784);
    expect(progress.at(-1)!.done).toBe(doneAtAbort);
    expect(progress.every((p) => p.total === 784)).toBe(true);
  });

  it('an already aborted signal is CANCELLED before any evaluation', async () => {
    const controller = new AbortController();
    controller.abort();
    const progress: Progress[] = [];
    await expect(
      api.explain({ modelId, inputId, method: 'occlusion', target: 3, params: {} }, { signal: controller.signal, onProgress: (p) => progress.push(p) }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(progress).toEqual([]);
  });

  it('the same call without a signal completes (the cancel test is not vacuous)', async () => {
    const result = await api.explain({ modelId, inputId, method: 'occlusion', target: 3, params: { window: [1, 1, 1], strides: [1, 1, 1] } });
    expect(result.evaluations).toBe(785);
  });
});

describe('resnet18 occlusion vs Captum (window 3,16,16, strides 3,8,8, baseline 0, target 117)', () => {
  it('chelsea, in-process', async () => {
    // its own engine, released right after: the CLI run below then has the cores to itself
    const own = new Engine({ intraOpThreads: 0, defaultProvider: 'cpu' });
    const resnet = engineApi(own);
    let result: Explanation;
    let seconds: number;
    try {
      const model = await resnet.openModel({ path: modelPath('resnet18') });
      const input = await resnet.openInput({ path: imageNpy('chelsea') });
      const started = performance.now();
      result = await resnet.explain({ modelId: model.id, inputId: input.id, method: 'occlusion', target: 117, params: { window: [3, 16, 16], strides: [3, 8, 8], baseline: 0 } });
      seconds = (performance.now() - started) / 1000;
    } finally {
      await own.dispose();
    }
    const reference = readNpyF32(fixture('resnet18', 'ref', 'chelsea.t117.occlusion.npy'));
    const attribution = attributionOf(result);
    expect(attribution.shape).toEqual(reference.shape);
    const diff = maxAbsDiff(attribution.data, reference.data);
    reportFigure('occlusion max-abs diff resnet18 chelsea t117 (in-process)', diff);
    reportFigure('occlusion resnet18 chelsea seconds', seconds.toFixed(1));
    expect(diff).toBeLessThanOrEqual(OCCLUSION_TOLERANCE);
    expect(result.evaluations).toBe(27 * 27 + 1);
    expect(result.provider).toBe('cpu');
    expect(result.modelSha256).toBe(sha256File(modelPath('resnet18')));
    // a real map: it spans a range far larger than the tolerance
    expect(result.heatmapRange.max - result.heatmapRange.min).toBeGreaterThan(0.1);
  });

  it('coffee, through the CLI writing .npy', async () => {
    const out = join(tmp.dir, 'coffee.t117.occlusion.npy');
    const started = performance.now();
    const run = await runCli([
      'explain',
      '--model',
      modelPath('resnet18'),
      '--input',
      imageNpy('coffee'),
      '--method',
      'occlusion',
      '--set',
      'window=3,16,16',
      '--set',
      'strides=3,8,8',
      '--set',
      'baseline=0',
      '--target',
      '117',
      '--out',
      out,
      '--json',
    ]);
    const seconds = (performance.now() - started) / 1000;
    expect(run.code, run.stderr).toBe(0);
    const summary = singleJson<{ out: string; method: string; target: number; shape: number[]; evaluations: number; provider: string; modelSha256: string }>(run.stdout);
    expect(summary).toMatchObject({ out, method: 'occlusion', target: 117, shape: [1, 3, 224, 224], evaluations: 730, provider: 'cpu', modelSha256: sha256File(modelPath('resnet18')) });
    const written = readNpyF32(out);
    const reference = readNpyF32(fixture('resnet18', 'ref', 'coffee.t117.occlusion.npy'));
    expect(written.shape).toEqual([1, 3, 224, 224]);
    const diff = maxAbsDiff(written.data, reference.data);
    reportFigure('occlusion max-abs diff resnet18 coffee t117 (CLI .npy)', diff);
    reportFigure('occlusion resnet18 coffee via CLI seconds', seconds.toFixed(1));
    expect(diff).toBeLessThanOrEqual(OCCLUSION_TOLERANCE);
  });
});
