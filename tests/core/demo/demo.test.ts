// The demonstration (issue 9): first-run seeding of the sample cases (idempotent across engines on
// one data folder), the demo model cards, trust metrics stored with a case's explanation and
// localised against the sample's ground-truth mask, and concept interventions on the concept
// bottleneck model, stored in the case and audited.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, validated, type SightlineApi } from '../../../src/api/contract';
import type { Startup } from '../../../src/api/demo-schemas';
import { readSampleManifest, repoDemoDir } from '../../../src/core/demo/demo-assets';
import { Engine } from '../../../src/core/engine';
import { makeTempDir } from '../../helpers/fixtures';

const demoDir = repoDemoDir();
const temp = makeTempDir('sightline-demo-');
let engine: Engine;
let api: SightlineApi;
let demo: NonNullable<Startup['demo']>;

beforeAll(async () => {
  engine = new Engine({ dataDir: temp.dir, demoDir, intraOpThreads: 1 });
  api = validated(engine);
  demo = (await api.startup({})).demo!;
});

afterAll(async () => {
  await engine.dispose();
  temp.cleanup();
});

describe('first-run seeding', () => {
  it('creates one case per sample with the demo CNN’s prediction, labelled as a demonstration', async () => {
    const manifest = await readSampleManifest(demoDir);
    expect(demo.created).toBe(manifest.samples.length);
    expect(demo.caseIds).toHaveLength(24);
    expect(demo.model).toMatchObject({ name: 'Demo CNN (demonstration — not for clinical use)', demo: true, numClasses: 3, labels: ['cyst', 'benign nodule', 'malignant mass'] });
    expect(demo.models.map((m) => m.name)).toEqual(['demo-cnn', 'demo-cnn-shortcut', 'demo-vit', 'demo-cbm']);
    const list = await api.caseList({ sort: 'pseudonym', order: 'asc' });
    expect(list.cases.map((c) => c.pseudonym)).toEqual(manifest.samples.map((_, i) => `DEMO-${String(i + 1).padStart(2, '0')}`));
    expect(list.cases.every((c) => c.predictedClass !== null && c.modelName === demo.model.name && c.status === 'new')).toBe(true);
    // the demo CNN gets most sample cases right (its card reports 0.94 validation accuracy)
    const correct = list.cases.filter((c, i) => c.predictedClass!.index === manifest.samples[i].labelIndex).length;
    expect(correct).toBeGreaterThanOrEqual(20);
    expect((await api.caseGet({ caseId: 'DEMO-03' })).summary.note).toContain('not for clinical use');
  });

  it('is idempotent: a new engine on the same data folder finds the cases', async () => {
    const again = new Engine({ dataDir: temp.dir, demoDir, intraOpThreads: 1 });
    try {
      const second = (await validated(again).startup({})).demo!;
      expect(second.created).toBe(0);
      expect(second.caseIds).toEqual(demo.caseIds);
      expect((await validated(again).caseList({})).total).toBe(24);
    } finally {
      await again.dispose();
    }
  });

  it('reports no demonstration when the engine has no demo folder', async () => {
    const plain = new Engine({ dataDir: join(temp.dir, 'plain') });
    try {
      expect(await validated(plain).startup({})).toEqual({ demo: null });
    } finally {
      await plain.dispose();
    }
  });
});

describe('trust metrics stored with a case explanation', () => {
  it('localises against the sample’s lesion mask and keeps the metrics for the report', async () => {
    const opened = await api.caseOpen({ caseId: 'DEMO-03' });
    const explanation = await api.explain({ modelId: opened.model!.id, inputId: opened.input!.id, method: 'grad-cam', caseId: 'DEMO-03' });
    const metrics = await api.trustMetrics({
      modelId: opened.model!.id,
      inputId: opened.input!.id,
      explanation: { method: 'grad-cam', params: explanation.params, target: explanation.target, heatmap: explanation.heatmap },
      caseId: 'DEMO-03',
      explanationId: explanation.recordId,
    });
    expect(metrics.localisation).toMatchObject({ source: 'demo ground truth', pointingHit: true, topKPercent: 20, mapCells: 96 * 96 });
    expect(metrics.localisation!.massInside).toBeGreaterThan(0.1);
    expect(metrics.deletion!.auc).toBeLessThan(metrics.insertion!.auc);
    expect(metrics.road!.gap).toBeGreaterThan(0);
    expect(metrics.skipped).toEqual([]);
    const stored = (await api.caseGet({ caseId: 'DEMO-03' })).explanations.find((e) => e.id === explanation.recordId)!;
    expect(stored.trust).toEqual({ ...metrics, explanationId: undefined });
    // a mask of the whole image: every map points inside it
    const whole = { width: 96, height: 96, runs: [0, 96 * 96] };
    const againstWhole = await api.trustMetrics({ modelId: opened.model!.id, inputId: opened.input!.id, explanation: { method: 'grad-cam', params: {}, target: explanation.target, heatmap: explanation.heatmap }, metrics: ['localisation'], mask: whole });
    expect(againstWhole.localisation).toMatchObject({ source: 'mask', pointingHit: true, massInside: 1, regionCells: 96 * 96 });
  });

  it('refuses a heatmap that is not at the model input’s size', async () => {
    const opened = await api.caseOpen({ caseId: 'DEMO-01' });
    const small = { shape: [2, 2], dtype: 'float32' as const, dataBase64: Buffer.from(new Float32Array(4).buffer).toString('base64') };
    await expect(api.trustMetrics({ modelId: opened.model!.id, inputId: opened.input!.id, explanation: { method: 'grad-cam', params: {}, target: 0, heatmap: small } })).rejects.toThrow(/96×96/);
  });
});

describe('concept bottleneck model', () => {
  it('reads the concepts from its card and predicts every concept’s value with the label', async () => {
    const model = await api.openModel({ path: demo.models.find((m) => m.name === 'demo-cbm')!.path });
    expect(model.concepts).toEqual({
      output: 'concepts',
      names: ['irregular margin', 'spiculated', 'calcified', 'low density (fluid)', 'large'],
      labelHead: { path: join(demoDir, 'models', 'demo-cbm-label-head.onnx'), input: 'concepts', output: 'logits' },
    });
    const opened = await api.caseOpen({ caseId: 'DEMO-03' });
    const prediction = await api.predict({ modelId: model.id, inputId: opened.input!.id });
    expect(prediction.concepts!.map((c) => c.name)).toEqual(model.concepts!.names);
    expect(prediction.concepts!.every((c) => c.value >= 0 && c.value <= 1)).toBe(true);
    // sample 3 is a malignant mass: an irregular margin, no fluid
    expect(prediction.top[0].label).toBe('malignant mass');
    expect(prediction.concepts![0].value).toBeGreaterThan(0.5);
    expect(prediction.concepts![3].value).toBeLessThan(0.5);
  });

  it('recomputes the label from overridden concepts through the label head and stores the intervention', async () => {
    const model = await api.openModel({ path: demo.models.find((m) => m.name === 'demo-cbm')!.path });
    const opened = await api.caseOpen({ caseId: 'DEMO-03' });
    const inputId = opened.input!.id;
    const unchanged = await api.intervene({ modelId: model.id, inputId, overrides: [] });
    const prediction = await api.predict({ modelId: model.id, inputId });
    // with no override the label head reproduces the full model's logits
    unchanged.logits.forEach((v, k) => expect(v).toBeCloseTo(prediction.logits[k], 4));
    const overrides = [
      { index: 0, value: 0 },
      { index: 1, value: 0 },
    ];
    const result = await api.intervene({ modelId: model.id, inputId, overrides, caseId: 'DEMO-03', actor: 'dr.demo' });
    expect(result.concepts.slice(0, 2)).toEqual([0, 0]);
    expect(result.concepts.slice(2)).toEqual(result.predictedConcepts.slice(2));
    expect(result.top[0].label).toBe('benign nodule');
    const detail = await api.caseGet({ caseId: 'DEMO-03' });
    expect(detail.interventions).toHaveLength(1);
    expect(detail.interventions![0]).toMatchObject({ id: result.recordId, overrides, author: 'dr.demo', modelSha256: model.sha256 });
    expect(detail.summary.status).toBe('in_review');
    expect((await api.caseVerify({})).ok).toBe(true);
  });

  it('refuses interventions on a model without concepts, and concepts that do not exist', async () => {
    const opened = await api.caseOpen({ caseId: 'DEMO-01' });
    await expect(api.intervene({ modelId: opened.model!.id, inputId: opened.input!.id, overrides: [] })).rejects.toThrow(/not a concept bottleneck model/);
    const model = await api.openModel({ path: demo.models.find((m) => m.name === 'demo-cbm')!.path });
    const error = await api.intervene({ modelId: model.id, inputId: opened.input!.id, overrides: [{ index: 9, value: 1 }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('BAD_PARAMS');
  });
});
