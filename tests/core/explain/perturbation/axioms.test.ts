// Must show 2 (issue 5): KernelSHAP and Partition SHAP attributions sum to f(x) − f(baseline) within
// 1e-4 relative, and a region the model ignores gets zero attribution. The model is built in the
// test: s = Σ relu(W ⊙ x) over the left half of an 8×16 image, output s² (nonlinear, features
// interact); W is exactly 0 on the right half, so the output ignores it bit for bit. f(x) and
// f(baseline) are computed independently with predict on x and on the baseline image.
import { describe, expect, it, beforeAll } from 'vitest';
import type { Explanation } from '../../../../src/api/schemas';
import { attributionOf, explainHarness, heatmapOf, sum } from '../../../helpers/explain';
import { reportFigure } from '../../../helpers/fixtures';
import { randomFloats, regionOnlyModel } from '../../../helpers/onnx-builder';

const H = 8;
const W = 16;
const C = 3;
const harness = explainHarness('sightline-axioms-');
const x = randomFloats(C * H * W, 51, -0.5, 1.5);
let modelId: string;
let inputId: string;
let fx: number;
let fMean: number;
let fZero: number;

/** The per-channel mean image (masker=mean), computed here rather than by the code under test. */
function meanImage(): Float32Array {
  const out = new Float32Array(x.length);
  for (let c = 0; c < C; c++) {
    let total = 0;
    for (let p = 0; p < H * W; p++) total += x[c * H * W + p];
    out.fill(total / (H * W), c * H * W, (c + 1) * H * W);
  }
  return out;
}

beforeAll(async () => {
  modelId = await harness.openModel('left-half', regionOnlyModel({ channels: C, height: H, width: W, region: { top: 0, left: 0, height: H, width: W / 2 } }));
  inputId = await harness.openTensor('x', [1, C, H, W], x);
  const logitOf = async (id: string) => (await harness.api.predict({ modelId, inputId: id })).logits[0];
  fx = await logitOf(inputId);
  fMean = await logitOf(await harness.openTensor('mean', [1, C, H, W], meanImage()));
  fZero = await logitOf(await harness.openTensor('zero', [1, C, H, W], new Float32Array(x.length)));
  expect(fx).toBeGreaterThan(1);
  expect(Math.abs(fx - fMean)).toBeGreaterThan(0.5);
});

const explain = (method: string, params: Record<string, string | number>) => harness.api.explain({ modelId, inputId, method, target: 0, params });

function expectEfficient(name: string, total: number, fBaseline: number) {
  const delta = fx - fBaseline;
  const relative = Math.abs(total - delta) / Math.abs(delta);
  reportFigure(`${name}: |Σφ − (f(x) − f(baseline))| / |f(x) − f(baseline)|`, relative);
  expect(relative).toBeLessThanOrEqual(1e-4);
}

/** Features 1 and 3 of grid:2 and columns 2–3 of grid:4 lie in the ignored right half. */
const rightHalfFeatures = (cells: number) => Array.from({ length: cells * cells }, (_, f) => f).filter((f) => f % cells >= cells / 2);

describe('KernelSHAP', () => {
  it('all 2^M coalitions (grid:2, M = 4): efficiency, and the ignored half gets zero', async () => {
    const result = await explain('kernel-shap', { segments: 'grid:2', masker: 'mean', output: 'features' });
    const phi = attributionOf(result).data;
    expect(result.evaluations).toBe(16);
    expect(result.stats).toMatchObject({ exhaustive: true, features: 4, seed: 0 });
    expectEfficient('KernelSHAP exhaustive', sum(phi), fMean);
    const largest = Math.max(...phi.map(Math.abs));
    for (const f of rightHalfFeatures(2)) expect(Math.abs(phi[f])).toBeLessThanOrEqual(1e-6 * largest);
    for (const f of [0, 2]) expect(Math.abs(phi[f])).toBeGreaterThan(0.05 * largest);
    reportFigure('KernelSHAP exhaustive max |φ| on the ignored half / max |φ|', Math.max(...rightHalfFeatures(2).map((f) => Math.abs(phi[f]))) / largest);
  });

  it('sampled, paired (grid:4, M = 16, 200 samples): efficiency holds exactly', async () => {
    const result = await explain('kernel-shap', { segments: 'grid:4', masker: 'mean', samples: 200, output: 'features' });
    expect(result.evaluations).toBe(200);
    expect(result.stats).toMatchObject({ exhaustive: false, features: 16 });
    expectEfficient('KernelSHAP sampled (exact constraint)', sum(attributionOf(result).data), fMean);
    expect(Number(result.stats!.r2)).toBeGreaterThan(0.5);
  });

  it("Captum's own form (constraint=inf-weight, zero baseline): efficiency within the 1e6 weight's gap", async () => {
    const result = await explain('kernel-shap', { segments: 'grid:4', samples: 200, constraint: 'inf-weight', output: 'features' });
    expectEfficient('KernelSHAP inf-weight', sum(attributionOf(result).data), fZero);
  });
});

describe('Partition SHAP', () => {
  let pixels: Explanation;
  it('balanced split of the image (default, max_evals 500): efficiency over the pixels; the ignored half is exactly 0', async () => {
    pixels = await explain('partition-shap', { masker: 'mean' });
    const map = attributionOf(pixels);
    expect(map.shape).toEqual([H, W]);
    expect(pixels.evaluations).toBeLessThanOrEqual(500);
    expect(pixels.evaluations).toBeGreaterThan(250);
    expectEfficient('Partition SHAP pixels', sum(map.data), fMean);
    let nonZeroLeft = 0;
    for (let r = 0; r < H; r++)
      for (let c = 0; c < W; c++) {
        if (c >= W / 2) expect(map.data[r * W + c]).toBe(0);
        else if (map.data[r * W + c] !== 0) nonZeroLeft++;
      }
    expect(nonZeroLeft).toBeGreaterThan(H * 2);
    expect(heatmapOf(pixels).data).toEqual(map.data);
  });

  it('superpixel hierarchy (grid:4, M = 16): efficiency over the features; the ignored features are exactly 0', async () => {
    const result = await explain('partition-shap', { segments: 'grid:4', masker: 'mean', output: 'features' });
    const phi = attributionOf(result).data;
    expect(phi.length).toBe(16);
    // 15 internal nodes, each expanded once per context it was queued with, within the budget
    expect(result.evaluations).toBeLessThanOrEqual(500);
    expectEfficient('Partition SHAP grid:4', sum(phi), fMean);
    for (const f of rightHalfFeatures(4)) expect(phi[f]).toBe(0);
    expect(rightHalfFeatures(4).length).toBe(8);
  });

  it('a small budget still gives exact efficiency (unexpanded nodes keep their Δf)', async () => {
    const result = await explain('partition-shap', { masker: 'zero', samples: 20 });
    expect(result.evaluations).toBeLessThanOrEqual(20);
    expectEfficient('Partition SHAP budget 20', sum(attributionOf(result).data), fZero);
  });
});
