// Must show 1 (CAMs) and 2 (CAM on ViT tokens): for every case of the fixture's CAM section (8 models,
// Grad-CAM, Grad-CAM++, HiResCAM, XGrad-CAM, LayerCAM; Score-CAM on mobilenet_v3_small) the raw signed
// layer-resolution map equals pytorch-grad-cam's *_raw.npy (max abs ≤ 1e-3·max|raw| + 1e-6, fixture
// README), and the recorded display steps — pytorch-grad-cam's post-processing — turn it into its
// *_final.npy (≤ 1e-3). The weight rules are checked on the fixture's own A and G (independent of
// onnxruntime), the automatic layer on every model without its card, and the dynamo exports' raw maps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../src/api/schemas';
import { applyDisplaySteps } from '../../../src/core/display/steps';
import type { CamMaps, CamWeightRule } from '../../../src/core/explain/cam/cam-explainer';
import { gradCamRule } from '../../../src/core/explain/cam/grad-cam';
import { gradCamPlusPlusRule } from '../../../src/core/explain/cam/grad-cam-plus-plus';
import { hiResCamRule } from '../../../src/core/explain/cam/hires-cam';
import { layerCamRule } from '../../../src/core/explain/cam/layer-cam';
import { automaticCamLayer } from '../../../src/core/explain/cam/target-layer';
import { xGradCamRule } from '../../../src/core/explain/cam/xgrad-cam';
import { tokensToGrid } from '../../../src/core/explain/tokens';
import { modelGraph } from '../../../src/core/model/graph';
import type { ExplainContext } from '../../../src/core/explain/types';
import { attributionOf, heatmapOf } from '../../helpers/explain';
import { compareMaps, maxAbs } from '../../helpers/compare';
import { fixture, maxAbsDiff, modelPath, readNpyF32, reportFigure } from '../../helpers/fixtures';
import { fixtureExplainer } from '../../helpers/fixture-explain';

interface CamCase {
  image: string;
  target: number | null;
  dir: string;
  outputs: Record<string, { file: string; shape: number[] }>;
}
interface CamModel {
  targetTensor: string;
  cases: CamCase[];
}
const manifest = JSON.parse(readFileSync(fixture('manifest.json'), 'utf8')) as {
  explainers: { cam: { models: Record<string, CamModel> } };
  models: Record<string, { targetLayer: { tensor: string } }>;
};
const camModels = manifest.explainers.cam.models;
const METHODS: Record<string, { id: string; rule?: CamWeightRule }> = {
  gradcam: { id: 'grad-cam', rule: gradCamRule },
  gradcampp: { id: 'grad-cam-plus-plus', rule: gradCamPlusPlusRule },
  hirescam: { id: 'hires-cam', rule: hiResCamRule },
  xgradcam: { id: 'xgrad-cam', rule: xGradCamRule },
  layercam: { id: 'layer-cam', rule: layerCamRule },
  scorecam: { id: 'score-cam' },
};
const harness = fixtureExplainer('sightline-cam-');
const imageName = (path: string) => path.replace(/^images\//, '').replace(/\.npy$/, '');
const rawTolerance = (ref: Float32Array) => 1e-3 * maxAbs(ref) + 1e-6;

/** Every (model, case, method) of the manifest's CAM section with a target (EigenCAM is class-agnostic and not an issue-4 method). */
const runs = Object.entries(camModels).flatMap(([model, entry]) =>
  entry.cases
    .filter((c) => c.target !== null)
    .flatMap((c) => Object.keys(METHODS).filter((m) => c.outputs[`${m}_raw`]).map((method) => ({ model, case: c, method }))),
);

describe('pytorch-grad-cam post-processing as display steps', () => {
  it.each(runs.map((r) => [`${r.case.dir} ${r.method}`, r] as const))('%s: the steps turn the fixture raw map into its final map (≤ 1e-6)', async (_name, r) => {
    const raw = readNpyF32(fixture(r.case.outputs[`${r.method}_raw`].file));
    const final = readNpyF32(fixture(r.case.outputs[`${r.method}_final`].file));
    const result = await harness.explain(r.model, imageName(r.case.image), METHODS[r.method].id, r.case.target!, {});
    const prep = { height: 224, width: 224 } as ModelInfo['preprocessing'];
    const shown = applyDisplaySteps({ shape: raw.shape, data: raw.data }, result.display, prep);
    expect(maxAbsDiff(shown.data, final.data)).toBeLessThanOrEqual(1e-6);
  });
});

describe('every CAM case of the fixture vs pytorch-grad-cam', () => {
  it('covers 8 models: 41 Grad-CAM-family maps and Score-CAM', () => {
    expect(Object.keys(camModels)).toHaveLength(8);
    expect(runs).toHaveLength(8 * 5 + 3 * 5 + 1);
  });

  it.each(runs.map((r) => [`${r.case.dir} ${r.method}`, r] as const))('%s', async (_name, r) => {
    const rawRef = readNpyF32(fixture(r.case.outputs[`${r.method}_raw`].file));
    const finalRef = readNpyF32(fixture(r.case.outputs[`${r.method}_final`].file));
    const result = await harness.explain(r.model, imageName(r.case.image), METHODS[r.method].id, r.case.target!, {});
    const raw = attributionOf(result);
    expect(raw.shape).toEqual(rawRef.shape);
    const rawError = maxAbsDiff(raw.data, rawRef.data);
    const finalError = maxAbsDiff(heatmapOf(result).data, finalRef.data);
    reportFigure(`${r.case.dir} ${r.method}: raw max|diff| ${rawError.toExponential(2)} (tolerance ${rawTolerance(rawRef.data).toExponential(2)}), final max|diff|`, finalError);
    expect(rawError).toBeLessThanOrEqual(rawTolerance(rawRef.data));
    expect(finalError).toBeLessThanOrEqual(1e-3);
    expect(result.signed).toBe(false); // the display's ReLU: the heatmap is unsigned, the raw map signed
    expect(result.stats).toMatchObject({ layer: camModels[r.model].targetTensor });
  });
});

/** A and G of a fixture case as [C, h, w] maps (the ViT's already reshaped). */
function fixtureMaps(model: string, c: CamCase): CamMaps {
  const stem = `${imageName(c.image)}`;
  const [a, g] = model === 'vit'
    ? [readNpyF32(fixture(c.dir, 'activation.npy')), readNpyF32(fixture(c.dir, 'gradient.npy'))]
    : [readNpyF32(fixture(model, 'ref', `${stem}.layer_act.npy`)), readNpyF32(fixture(model, 'ref', `${stem}.t${c.target}.layer_grad.npy`))];
  return { activation: a.data, gradient: g.data, channels: a.shape[1], height: a.shape[2], width: a.shape[3] };
}

describe('the weight rules on the fixture’s own activations and gradients (no onnxruntime)', () => {
  const ruleRuns = runs.filter((r) => METHODS[r.method].rule);
  it.each(ruleRuns.map((r) => [`${r.case.dir} ${r.method}`, r] as const))('%s: raw within 1e-5·max|raw|, channel weights within 1e-5·max|w|', async (_name, r) => {
    const maps = fixtureMaps(r.model, r.case);
    const rule = METHODS[r.method].rule!;
    const weights = await rule.weights(maps, {} as ExplainContext, {} as never);
    const plane = maps.height * maps.width;
    const raw = new Float64Array(plane);
    for (let c = 0; c < maps.channels; c++) for (let p = 0; p < plane; p++) raw[p] += (weights.length === maps.channels ? weights[c] : weights[c * plane + p]) * maps.activation[c * plane + p];
    const ref = readNpyF32(fixture(r.case.outputs[`${r.method}_raw`].file)).data;
    expect(maxAbsDiff(raw, ref)).toBeLessThanOrEqual(1e-5 * maxAbs(ref));
    const weightFile = r.case.outputs[`${r.method}_weights`];
    if (weightFile) {
      const refWeights = readNpyF32(fixture(weightFile.file)).data;
      expect(maxAbsDiff(weights, refWeights)).toBeLessThanOrEqual(1e-5 * maxAbs(refWeights));
    }
  });
});

describe('the CAM layer', () => {
  const expected: Record<string, string> = {
    ...Object.fromEntries(Object.entries(camModels).map(([m, e]) => [m, e.targetTensor])),
    timm_vit_dynamo: 'layer_norm_4',
    timm_cnn_dynamo: 'hardswish_17',
  };
  it.each(Object.entries(expected))('%s: chosen automatically (the model card’s targetLayer ignored) = %s', async (model, tensor) => {
    const info = { ...(await harness.api.openModel({ path: modelPath(model) })), targetLayer: null };
    expect(automaticCamLayer(info, await modelGraph(info))).toBe(tensor);
  });

  it('ViT tokens → [128, 14, 14]: class token dropped, token 1 + 14r + c at (r, c), channels first = the fixture’s vit_reshape_transform of the gradient', async () => {
    const c = camModels.vit.cases[0];
    const tokens = attributionOf(await harness.explain('vit', 'chelsea', 'gradient', c.target!, { layer: camModels.vit.targetTensor }));
    expect(tokens.shape).toEqual([1, 197, 128]);
    const grid = tokensToGrid(tokens.data, 197, 128, { prefixTokens: 1, grid: [14, 14] });
    const ref = readNpyF32(fixture(c.dir, 'gradient.npy')).data;
    expect(compareMaps(grid, ref).cosine).toBeGreaterThanOrEqual(0.9999);
    expect(maxAbsDiff(grid, ref)).toBeLessThanOrEqual(1e-4 * maxAbs(ref));
  });

  it('the dynamo exports: raw Grad-CAM at the card’s layer (the automatic one too) = gradcam_raw (ViT 14×14 tokens, CNN 7×7)', async () => {
    for (const [model, target, shape] of [['timm_vit_dynamo', 8, [14, 14]], ['timm_cnn_dynamo', 9, [7, 7]]] as const) {
      const result = await harness.explain(model, 'chelsea', 'grad-cam', target, {});
      const ref = readNpyF32(fixture(model, 'ref', `chelsea.t${target}.gradcam_raw.npy`));
      expect(attributionOf(result).shape).toEqual([...shape]);
      const error = maxAbsDiff(attributionOf(result).data, ref.data);
      reportFigure(`${model} Grad-CAM raw max|diff| (max|raw| ${maxAbs(ref.data).toExponential(2)})`, error);
      expect(error).toBeLessThanOrEqual(rawTolerance(ref.data));
    }
  });

  it('an unknown layer and a layer of the wrong rank are parameter errors', async () => {
    await expect(harness.explain('squeezenet1_1', 'chelsea', 'grad-cam', 8, { layer: 'no/such' })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('no/such') });
    await expect(harness.explain('squeezenet1_1', 'chelsea', 'grad-cam', 8, { layer: 'logits' })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('[1, 10]') });
  });
});

describe('Guided Grad-CAM and unnormalised display', () => {
  it('resnet18 chelsea 117: guided backprop × nearest-upsampled ReLU(Grad-CAM), from the fixture’s GB and raw Grad-CAM (Captum GuidedGradCam)', async () => {
    const result = await harness.explain('resnet18', 'chelsea', 'guided-grad-cam', 117, {});
    const gb = readNpyF32(fixture('resnet18', 'ref', 'chelsea.t117.guided_backprop.npy')).data;
    const cam = readNpyF32(fixture('resnet18', 'cam', 'chelsea_c117', 'gradcam_raw.npy')).data;
    const expected = gb.map((v, i) => {
      const p = i % (224 * 224);
      return v * Math.max(cam[Math.floor(Math.floor(p / 224) / 32) * 7 + Math.floor((p % 224) / 32)], 0);
    });
    const m = compareMaps(attributionOf(result).data, expected);
    reportFigure('resnet18 guided Grad-CAM vs GB × nearest ReLU(Grad-CAM) from the fixture: rel L2', m.relL2);
    expect(m.cosine).toBeGreaterThanOrEqual(0.9999);
    expect(m.relL2).toBeLessThanOrEqual(1e-2);
  });

  it('normalise=none keeps raw units: ReLU and the bilinear resize only', async () => {
    const result = await harness.explain('squeezenet1_1', 'chelsea', 'grad-cam', 8, { normalise: 'none' });
    expect(result.display.map((s) => s.op)).toEqual(['relu', 'resize']);
    const raw = attributionOf(result).data;
    expect(result.attributionRange).toEqual({ min: Math.min(...raw), max: Math.max(...raw) });
    expect(result.heatmapRange.min).toBeGreaterThanOrEqual(0);
    expect(result.heatmapRange.max).toBeGreaterThan(0);
    expect(result.heatmapRange.max).toBeLessThanOrEqual(Math.max(...raw) + 1e-6);
  });
});
