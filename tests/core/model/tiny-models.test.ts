// The in-test ONNX builder really produces models onnxruntime-node runs, with the values computed by
// hand; and the engine reads their structure and model cards (sidecar, metadata, defaults, errors).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/contract';
import { Engine } from '../../../src/core/engine';
import { encodeNpy } from '../../../src/core/tensor/npy';
import { makeTempDir } from '../../helpers/fixtures';
import { linearForward, linearModel, randomFloats, regionMeanModel, writeModel } from '../../helpers/onnx-builder';

describe('tiny ONNX models built in the test run in onnxruntime-node', () => {
  it('linear model [N,1,28,28] → Flatten → MatMul [784,10] gives Σ w·x for a batch of 2', async () => {
    const model = linearModel({ dims: [1, 28, 28], classes: 10, seed: 7, bias: randomFloats(10, 8) });
    const session = await ort.InferenceSession.create(model.bytes, { executionProviders: ['cpu'] });
    try {
      expect(session.inputNames).toEqual(['input']);
      expect(session.outputNames).toEqual(['logits']);
      const x = randomFloats(2 * 784, 9, 0, 1);
      const out = await session.run({ input: new ort.Tensor('float32', x, [2, 1, 28, 28]) });
      expect(out.logits.dims).toEqual([2, 10]);
      const got = out.logits.data as Float32Array;
      const expected = [...linearForward(model, x.subarray(0, 784)), ...linearForward(model, x.subarray(784))];
      for (let i = 0; i < 20; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-4);
      // not a constant model: the two rows differ
      expect(Math.abs(got[0] - got[10])).toBeGreaterThan(1e-3);
    } finally {
      await session.release();
    }
  });

  it('region-mean model gives [mean(region), −mean(region)]', async () => {
    const region = { top: 2, left: 3, height: 4, width: 5 };
    const bytes = regionMeanModel({ channels: 2, height: 10, width: 12, region });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
    try {
      const x = randomFloats(2 * 10 * 12, 3, -2, 2);
      const out = await session.run({ input: new ort.Tensor('float32', x, [1, 2, 10, 12]) });
      let sum = 0;
      for (let c = 0; c < 2; c++)
        for (let y = region.top; y < region.top + region.height; y++)
          for (let xx = region.left; xx < region.left + region.width; xx++) sum += x[c * 120 + y * 12 + xx];
      const mean = sum / (2 * region.height * region.width);
      const got = out.logits.data as Float32Array;
      expect(out.logits.dims).toEqual([1, 2]);
      expect(got[0]).toBeCloseTo(mean, 5);
      expect(got[1]).toBeCloseTo(-mean, 5);
    } finally {
      await session.release();
    }
  });
});

describe('Engine.openModel on built models and their cards', () => {
  const tmp = makeTempDir();
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ intraOpThreads: 1, defaultProvider: 'cpu' });
  });
  afterAll(async () => {
    await engine.dispose();
    tmp.cleanup();
  });

  it('reads the graph: dynamic batch, input/output names, class count; no card → defaults with a warning', async () => {
    const path = writeModel(join(tmp.dir, 'nocard'), 'mnist', linearModel({ dims: [1, 28, 28], classes: 10, seed: 11 }).bytes);
    const info = await engine.openModel({ path });
    expect(info.inputName).toBe('input');
    expect(info.outputName).toBe('logits');
    expect(info.inputShape).toEqual([-1, 1, 28, 28]);
    expect(info.dynamicBatch).toBe(true);
    expect(info.numClasses).toBe(10);
    expect(info.labels).toEqual(Array.from({ length: 10 }, (_, i) => `class ${i}`));
    expect(info.activation).toBe('softmax');
    expect(info.opset).toBe(13);
    expect(info.cardSource).toBe('defaults');
    expect(info.warnings.join(' ')).toMatch(/No model card/);
    expect(info.preprocessing).toEqual({
      layout: 'NCHW',
      channels: 1,
      height: 28,
      width: 28,
      channelOrder: 'RGB',
      scale: 1 / 255,
      mean: [0],
      std: [1],
      colorToGray: null,
      resize: 'stretch',
    });
    expect(info.name).toBe('mnist');
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a sidecar card and an embedded sightline.card metadata entry', async () => {
    const card = { name: 'sidecar-card', labels: ['a', 'b', 'c'], input: { mean: [0.5], std: [0.25], colorToGray: 'average' }, output: { activation: 'sigmoid' } };
    const side = await engine.openModel({ path: writeModel(join(tmp.dir, 'side'), 'm', linearModel({ dims: [1, 4, 4], classes: 3, seed: 12 }).bytes, card) });
    expect(side.cardSource).toBe('sidecar');
    expect(side.name).toBe('sidecar-card');
    expect(side.labels).toEqual(['a', 'b', 'c']);
    expect(side.activation).toBe('sigmoid');
    expect(side.preprocessing.mean).toEqual([0.5]);
    expect(side.preprocessing.std).toEqual([0.25]);
    expect(side.preprocessing.colorToGray).toBe('average');

    const embedded = { labels: ['x', 'y'], input: { layout: 'NHWC' }, explainer: { targetLayer: 'flat' } };
    const meta = await engine.openModel({
      path: writeModel(join(tmp.dir, 'meta'), 'm', linearModel({ dims: [5, 6, 3], classes: 2, seed: 13, metadata: { 'sightline.card': JSON.stringify(embedded) } }).bytes),
    });
    expect(meta.cardSource).toBe('metadata');
    expect(meta.labels).toEqual(['x', 'y']);
    expect(meta.targetLayer).toBe('flat');
    expect(meta.preprocessing).toMatchObject({ layout: 'NHWC', height: 5, width: 6, channels: 3 });
  });

  it('refuses broken cards and non-image models with BAD_MODEL, and missing files with NOT_FOUND', async () => {
    const bytes = linearModel({ dims: [3, 4, 4], classes: 2, seed: 14 }).bytes;
    const badJsonDir = join(tmp.dir, 'badjson');
    const path = writeModel(badJsonDir, 'm', bytes);
    writeFileSync(join(badJsonDir, 'm.json'), '{ "labels": [');
    await expect(engine.openModel({ path })).rejects.toMatchObject({ code: 'BAD_MODEL', message: expect.stringMatching(/not valid JSON/) });

    const wrongMean = writeModel(join(tmp.dir, 'wrongmean'), 'm', bytes, { input: { mean: [0.1, 0.2] } });
    await expect(engine.openModel({ path: wrongMean })).rejects.toMatchObject({ code: 'BAD_MODEL', message: expect.stringMatching(/input\.mean has 2 values but the model takes 3 channel/) });

    const wrongType = writeModel(join(tmp.dir, 'wrongtype'), 'm', bytes, { labels: 'not-a-list' });
    await expect(engine.openModel({ path: wrongType })).rejects.toMatchObject({ code: 'BAD_MODEL', message: expect.stringMatching(/labels/) });

    const int64 = writeModel(join(tmp.dir, 'int64'), 'm', linearModel({ dims: [3, 4, 4], classes: 2, seed: 15, inputElemType: 7 }).bytes);
    await expect(engine.openModel({ path: int64 })).rejects.toMatchObject({ code: 'BAD_MODEL', message: expect.stringMatching(/int64/) });

    await expect(engine.openModel({ path: join(tmp.dir, 'nope.onnx') })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const npyPath = join(tmp.dir, 'bad.onnx');
    writeFileSync(npyPath, encodeNpy({ shape: [2], data: new Float32Array([1, 2]) }));
    const error = await engine.openModel({ path: npyPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('BAD_MODEL');
  });
});
