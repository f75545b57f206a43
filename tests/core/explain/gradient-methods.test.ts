// Must show 1 (gradient methods): every resnet18 reference the manifest lists for saliency,
// input × gradient, guided backprop, deconvolution, integrated gradients (Gauss-Legendre and Riemann
// trapezoid, 32 steps) and the SmoothGrad family (the stored noise, float32(σ)·unit noise) matches
// Captum: cosine ≥ 0.9999 and relative L2 ≤ 1e-2 (clarifications); saliency and input × gradient of
// the pairs without a stored file are built from gradient.npy, as the fixture README says. Plus
// Captum's quadrature, IG's completeness and baselines, seeded noise, and the probability score, on
// models small enough to check by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quadrature, torchLinspaceFloat32 } from '../../../src/core/explain/gradient/quadrature';
import { encodeNpy } from '../../../src/core/tensor/npy';
import { attributionOf } from '../../helpers/explain';
import { compareMaps, describeComparison } from '../../helpers/compare';
import { fixture, imageNpy, readNpyF32, reportFigure } from '../../helpers/fixtures';
import { fixtureExplainer } from '../../helpers/fixture-explain';
import { writePng } from '../../helpers/images';
import { linearModel, randomFloats, writeModel } from '../../helpers/onnx-builder';

interface Reference {
  file: string;
  method: string;
  image: string | null;
  target: number | null;
  sigma?: number;
  convergence_delta?: number;
}
const manifest = JSON.parse(readFileSync(fixture('manifest.json'), 'utf8')) as {
  models: { resnet18: { references: Reference[]; ig_quadrature: Record<'gausslegendre' | 'riemann_trapezoid', { alphas: number[]; step_sizes: number[] }> } };
};
const resnet = manifest.models.resnet18;
const harness = fixtureExplainer('sightline-gradient-methods-');

describe('Captum’s integration points and weights', () => {
  it('Gauss-Legendre, 32 points: alphas and step sizes equal the manifest’s (numpy leggauss) within 1e-15', () => {
    const { alphas, weights } = quadrature('gauss-legendre', 32);
    const ref = resnet.ig_quadrature.gausslegendre;
    alphas.forEach((a, i) => expect(Math.abs(a - ref.alphas[i])).toBeLessThanOrEqual(1e-15));
    weights.forEach((w, i) => expect(Math.abs(w - ref.step_sizes[i])).toBeLessThanOrEqual(1e-15));
  });

  it('Riemann trapezoid, 32 points: torch.linspace’s float32 alphas bit for bit, weights 1/32 with halved ends (sum 31/32)', () => {
    const { alphas, weights } = quadrature('riemann-trapezoid', 32);
    expect(alphas).toEqual(resnet.ig_quadrature.riemann_trapezoid.alphas);
    expect(weights).toEqual(resnet.ig_quadrature.riemann_trapezoid.step_sizes);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(31 / 32, 12);
  });

  it('left, right and middle: the points Captum asks torch.linspace for, weights 1/n', () => {
    const n = 7;
    const expected = { 'riemann-left': (k: number) => k / n, 'riemann-right': (k: number) => (k + 1) / n, 'riemann-middle': (k: number) => (k + 0.5) / n };
    for (const [rule, point] of Object.entries(expected)) {
      const { alphas, weights } = quadrature(rule as keyof typeof expected, n);
      alphas.forEach((a, k) => expect(Math.abs(a - point(k))).toBeLessThanOrEqual(1e-7));
      expect(weights.every((w) => w === Math.fround(1 / n))).toBe(true);
    }
    // the linspace kernel's halves count up from start and down from end
    expect(torchLinspaceFloat32(0, 1, 3)).toEqual([0, 0.5, 1]);
  });
});

/** Writes the absolute noise the fixture used for an image: float32(σ) · unit noise, [8, 3, 224, 224]. */
function noiseFile(image: string, sigma: number): string {
  const unit = readNpyF32(fixture('resnet18', 'ref', 'smoothgrad_unit_noise.npy'));
  const s = Math.fround(sigma);
  const path = join(harness.dir, `noise-${image}.npy`);
  writeFileSync(path, encodeNpy({ shape: unit.shape, data: unit.data.map((e) => Math.fround(s * e)) }));
  return path;
}

interface Case {
  name: string;
  method: string;
  params: Record<string, string | number>;
  image: string;
  target: number;
  reference: () => Float32Array;
  delta?: number;
  sigma?: number;
}

function cases(): Case[] {
  const stored = (r: Reference) => () => readNpyF32(fixture(r.file)).data;
  const byMethod: Record<string, (r: Reference) => Pick<Case, 'method' | 'params'>> = {
    saliency: () => ({ method: 'saliency', params: {} }),
    input_x_gradient: () => ({ method: 'input-x-gradient', params: {} }),
    guided_backprop: () => ({ method: 'guided-backprop', params: {} }),
    deconvolution: () => ({ method: 'deconvolution', params: {} }),
    integrated_gradients: (r) => ({ method: 'integrated-gradients', params: { steps: 32, rule: r.file.includes('trapezoid') ? 'riemann-trapezoid' : 'gauss-legendre' } }),
    smoothgrad: () => ({ method: 'smoothgrad', params: { variant: 'smoothgrad' } }),
    smoothgrad_sq: () => ({ method: 'smoothgrad', params: { variant: 'smoothgrad-sq' } }),
    vargrad: () => ({ method: 'smoothgrad', params: { variant: 'vargrad' } }),
  };
  const list: Case[] = [];
  for (const r of resnet.references) {
    const make = byMethod[r.method];
    if (make) list.push({ name: r.file.split('/').at(-1)!, image: r.image!, target: r.target!, reference: stored(r), delta: r.convergence_delta, sigma: r.sigma, ...make(r) });
  }
  // saliency and input × gradient for the pairs without a stored file: from gradient.npy (bit-exact identities in the manifest)
  for (const r of resnet.references.filter((g) => g.method === 'gradient')) {
    const gradient = () => readNpyF32(fixture(r.file)).data;
    const inputTimesGradient = () => {
      const x = readNpyF32(imageNpy(r.image!)).data;
      return gradient().map((g, i) => Math.fround(g * x[i]));
    };
    for (const [method, derived] of [
      ['saliency', () => gradient().map(Math.abs)],
      ['input-x-gradient', inputTimesGradient],
    ] as const) {
      if (list.some((c) => c.method === method && c.image === r.image && c.target === r.target)) continue;
      list.push({ name: `${r.image}.t${r.target}.${method} (from gradient.npy)`, method, params: {}, image: r.image!, target: r.target!, reference: derived });
    }
  }
  return list;
}

describe('resnet18: every Captum reference of the gradient methods', () => {
  const all = cases();
  it('covers saliency and input × gradient for all 4 pairs, GB 4, deconvolution 2, IG 6, the SmoothGrad family 4', () => {
    const count = (method: string, variant?: string) => all.filter((c) => c.method === method && (variant === undefined || c.params.variant === variant)).length;
    expect([count('saliency'), count('input-x-gradient'), count('guided-backprop'), count('deconvolution'), count('integrated-gradients')]).toEqual([4, 4, 4, 2, 6]);
    expect([count('smoothgrad', 'smoothgrad'), count('smoothgrad', 'smoothgrad-sq'), count('smoothgrad', 'vargrad')]).toEqual([2, 1, 1]);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const params = c.sigma === undefined ? c.params : { ...c.params, noise: noiseFile(c.image, c.sigma) };
    const result = await harness.explain('resnet18', c.image, c.method, c.target, params);
    const got = attributionOf(result);
    expect(got.shape).toEqual([1, 3, 224, 224]);
    const m = compareMaps(got.data, c.reference());
    reportFigure(`resnet18 ${c.name} ${c.method} ${JSON.stringify(c.params)}: ${describeComparison(m)}`, m.relL2);
    expect(m.cosine).toBeGreaterThanOrEqual(0.9999);
    expect(m.relL2).toBeLessThanOrEqual(1e-2);
    if (c.method === 'integrated-gradients') {
      const stats = result.stats!;
      // Captum's convergence delta, within ~1e-2 of the recorded one (fixture README: a sanity check)
      expect(Math.abs(Number(stats.convergenceDelta) - c.delta!)).toBeLessThanOrEqual(1e-2);
      expect(Number(stats.convergenceDelta)).toBeCloseTo(Number(stats.attributionSum) - (Number(stats.scoreInput) - Number(stats.scoreBaseline)), 6);
      expect(result.evaluations).toBe(34);
      reportFigure(`resnet18 ${c.name} convergence delta (Captum ${c.delta!.toExponential(3)})`, Number(stats.convergenceDelta));
    }
    if (c.sigma !== undefined) expect(result.stats).toMatchObject({ samples: 8, noise: 'file' });
  });
});

describe('SmoothGrad’s own noise', () => {
  it('σ = float32(0.15)·(max x − min x) in float32 equals the manifest’s σ; the same seed gives the same map, another seed another', async () => {
    const sigma = resnet.references.find((r) => r.method === 'smoothgrad' && r.image === 'chelsea')!.sigma!;
    const run = (seed: number) => harness.explain('resnet18', 'chelsea', 'smoothgrad', 117, { samples: 2, seed, batch: 2 });
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    expect(a.stats!.sigma).toBe(Math.fround(sigma));
    expect(attributionOf(a).data).toEqual(attributionOf(b).data);
    expect(compareMaps(attributionOf(a).data, attributionOf(c).data).relL2).toBeGreaterThan(1e-2);
  });
});

describe('on a linear model, where every method is known in closed form', () => {
  // logits = flatten(x) · W: d logit_k / dx = W[:, k]
  const dims = [3, 4, 5];
  const built = linearModel({ dims, classes: 3, seed: 31 });
  const n = built.numel;
  const x = randomFloats(n, 32, -2, 2);
  const column = (k: number) => Float32Array.from({ length: n }, (_, i) => built.weights[i * 3 + k]);
  let softmaxModel = '';
  let sigmoidModel = '';
  let input = '';
  const setup = () => {
    if (input) return;
    softmaxModel = writeModel(join(harness.dir, 'linear-softmax'), 'linear', built.bytes, { output: { activation: 'softmax' } });
    sigmoidModel = writeModel(join(harness.dir, 'linear-sigmoid'), 'linear', built.bytes, { output: { activation: 'sigmoid' } });
    input = join(harness.dir, 'x.npy');
    writeFileSync(input, encodeNpy({ shape: [1, ...dims], data: x }));
  };
  const logits = () => [0, 1, 2].map((k) => column(k).reduce((s, w, i) => s + w * x[i], 0));

  it('integrated gradients is exact: (x − b)·W[:, k] for Gauss-Legendre and Riemann middle (weights sum to 1), (n − 1)/n of it for Captum’s trapezoid; custom (tensor and image) and black baselines', async () => {
    setup();
    const w = column(2);
    const baseline = randomFloats(n, 33, -1, 1);
    const baselinePath = join(harness.dir, 'baseline.npy');
    writeFileSync(baselinePath, encodeNpy({ shape: [1, ...dims], data: baseline }));
    for (const [rule, factor] of [['gauss-legendre', 1], ['riemann-trapezoid', 15 / 16], ['riemann-middle', 1]] as const) {
      for (const [baselineParams, b] of [[{ baseline: 'zero' }, new Float32Array(n)], [{ baseline: 'custom', baselineFile: baselinePath }, baseline]] as const) {
        const result = await harness.explain(softmaxModel, input, 'integrated-gradients', 2, { steps: 16, rule, ...baselineParams, batch: 3 });
        const got = attributionOf(result).data;
        for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(factor * (x[i] - b[i]) * w[i], 5);
        if (rule !== 'riemann-trapezoid') expect(Math.abs(Number(result.stats!.convergenceDelta))).toBeLessThan(1e-4);
      }
    }
    // a custom image goes through the model's preprocessing (the card's defaults: u8 / 255)
    const pixels = Uint8Array.from({ length: 4 * 5 * 3 }, (_, i) => (i * 37) % 256);
    const png = await writePng(join(harness.dir, 'baseline.png'), 5, 4, 3, pixels);
    const fromImage = attributionOf(await harness.explain(softmaxModel, input, 'integrated-gradients', 2, { steps: 8, baseline: 'custom', baselineFile: png })).data;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 20; p++) {
        const i = c * 20 + p;
        expect(fromImage[i]).toBeCloseTo((x[i] - Math.fround(pixels[p * 3 + c] / 255)) * w[i], 5);
      }
    }
    // black = black pixels preprocessed: with the card's defaults (scale 1/255, mean 0, std 1) that is 0
    const black = attributionOf(await harness.explain(softmaxModel, input, 'integrated-gradients', 2, { steps: 4, baseline: 'black' })).data;
    for (let i = 0; i < n; i++) expect(black[i]).toBeCloseTo(x[i] * w[i], 5);
  });

  it('the batch size changes nothing; a step count Riemann cannot take is a parameter error', async () => {
    setup();
    const one = attributionOf(await harness.explain(softmaxModel, input, 'integrated-gradients', 1, { steps: 5, batch: 1, baseline: 'blur' })).data;
    const four = attributionOf(await harness.explain(softmaxModel, input, 'integrated-gradients', 1, { steps: 5, batch: 4, baseline: 'blur' })).data;
    expect(four).toEqual(one);
    await expect(harness.explain(softmaxModel, input, 'integrated-gradients', 1, { steps: 1, rule: 'riemann-left' })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
  });

  it('score=probability: softmax p_k(W_k − Σ_j p_j W_j), sigmoid σ′(z_k)·W_k; saliency, input × gradient and guided backprop agree with them', async () => {
    setup();
    const z = logits();
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    const k = 1;
    const softmaxGrad = column(k).map((wk, i) => p[k] * (wk - [0, 1, 2].reduce((s, j) => s + p[j] * column(j)[i], 0)));
    const s = 1 / (1 + Math.exp(-z[k]));
    const sigmoidGrad = column(k).map((wk) => s * (1 - s) * wk);
    for (const [model, expected] of [[softmaxModel, softmaxGrad], [sigmoidModel, sigmoidGrad]] as const) {
      const saliency = attributionOf(await harness.explain(model, input, 'saliency', k, { score: 'probability' })).data;
      const ixg = attributionOf(await harness.explain(model, input, 'input-x-gradient', k, { score: 'probability' })).data;
      const guided = attributionOf(await harness.explain(model, input, 'guided-backprop', k, { score: 'probability' })).data;
      for (let i = 0; i < n; i++) {
        expect(saliency[i]).toBeCloseTo(Math.abs(expected[i]), 6);
        expect(ixg[i]).toBeCloseTo(x[i] * expected[i], 6);
        expect(guided[i]).toBeCloseTo(expected[i], 6); // no Relu: guided backprop is the gradient
      }
    }
    const logit = attributionOf(await harness.explain(sigmoidModel, input, 'saliency', k, {})).data;
    for (let i = 0; i < n; i++) expect(logit[i]).toBeCloseTo(Math.abs(column(k)[i]), 6);
  });

  it('the noise tunnel over the gradient of a linear model: smoothgrad = W_k, smoothgrad-sq = W_k², vargrad = 0; a noise file of the wrong shape is refused', async () => {
    setup();
    const w = column(0);
    const [mean, square, variance] = await Promise.all(
      ['smoothgrad', 'smoothgrad-sq', 'vargrad'].map(async (variant) => attributionOf(await harness.explain(softmaxModel, input, 'smoothgrad', 0, { variant, base: 'gradient', samples: 3, stdev: 0.3 })).data),
    );
    for (let i = 0; i < n; i++) {
      expect(mean[i]).toBeCloseTo(w[i], 6);
      expect(square[i]).toBeCloseTo(w[i] * w[i], 6);
      expect(Math.abs(variance[i])).toBeLessThan(1e-6);
    }
    const bad = join(harness.dir, 'bad-noise.npy');
    writeFileSync(bad, encodeNpy({ shape: [2, 3, 4, 4], data: new Float32Array(96) }));
    await expect(harness.explain(softmaxModel, input, 'smoothgrad', 0, { noise: bad })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('[N, 3, 4, 5]') });
  });
});
