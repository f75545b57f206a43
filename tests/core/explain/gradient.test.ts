// The `gradient` explainer end to end: `sightline explain --method gradient` writes the raw signed
// d logit/d input (input shape) and, with --layer, d logit/d that tensor (its shape, batch kept); both
// match the PyTorch references (cosine ≥ 0.9999, rel L2 ≤ 1e-2). In-process: a ViT token layer gives a
// [T, D] attribution whose display map is the patch grid, models with external weights work, and an
// unknown layer is a clear error.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, StringStringEntryProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/core/tensor/npy';
import { fromWire } from '../../../src/core/tensor/wire';
import { runCli, singleJson } from '../../helpers/cli';
import { compareMaps } from '../../helpers/compare';
import { fixtureExplainer } from '../../helpers/fixture-explain';
import { fixture, imageNpy, modelPath, readNpyF32, reportFigure } from '../../helpers/fixtures';
import { floatTensor, int64Tensor, intAttr, intsAttr, linearModel, node, randomFloats, serialise, valueInfo, writeModel } from '../../helpers/onnx-builder';

const harness = fixtureExplainer('sightline-gradient-');
const env = { SIGHTLINE_CACHE_DIR: join(harness.dir, 'cache'), SIGHTLINE_DATA_DIR: join(harness.dir, 'data') };

describe('sightline explain --method gradient', () => {
  const model = modelPath('squeezenet1_1');
  const layer = '/features/features.12/Concat_output_0';

  it.each([
    ['input', [], 'chelsea.t8.gradient.npy', [1, 3, 224, 224]],
    ['layer', ['--layer', layer], 'chelsea.t8.layer_grad.npy', [1, 512, 13, 13]],
  ] as const)('%s gradient of squeezenet1_1, chelsea, class 8', async (what, extra, refFile, shape) => {
    const out = join(harness.dir, `${what}.npy`);
    const result = await runCli(['explain', '--model', model, '--input', imageNpy('chelsea'), '--method', 'gradient', '--target', '8', ...extra, '--out', out, '--json', '--provider', 'cpu'], { env });
    expect(result.code, result.stderr).toBe(0);
    const summary = singleJson<{ shape: number[]; method: string; evaluations: number; provider: string }>(result.stdout);
    expect(summary).toMatchObject({ shape, method: 'gradient', evaluations: 1, provider: 'cpu' });
    const got = readNpyF32(out);
    const ref = readNpyF32(fixture('squeezenet1_1', 'ref', refFile));
    expect(got.shape).toEqual(ref.shape);
    const s = compareMaps(got.data, ref.data);
    reportFigure(`CLI gradient ${what}: cosine ${s.cosine.toFixed(7)}, rel L2`, s.relL2);
    expect(s.cosine).toBeGreaterThanOrEqual(0.9999);
    expect(s.relL2).toBeLessThanOrEqual(1e-2);
  });
});

describe('gradient explainer in-process', () => {
  it('is listed as a gradient method with a layer parameter', async () => {
    const method = (await harness.api.methods({})).find((m) => m.id === 'gradient');
    expect(method).toMatchObject({ family: 'gradient', needs: 'gradient' });
    expect(method!.params.map((p) => p.name)).toEqual(['layer']);
  });

  it('a ViT token layer: attribution [1, 197, 96], display map = channel sum on the 14×14 patch grid', async () => {
    const manifest = JSON.parse(readFileSync(fixture('manifest.json'), 'utf8')) as { models: Record<string, { targetLayer: { tensor: string } }> };
    const layer = manifest.models.timm_vit_dynamo.targetLayer.tensor;
    const m = await harness.api.openModel({ path: modelPath('timm_vit_dynamo') });
    const input = await harness.api.openInput({ path: imageNpy('chelsea') });
    const result = await harness.api.explain({ modelId: m.id, inputId: input.id, method: 'gradient', target: 8, params: { layer } });
    const attribution = fromWire(result.attribution);
    const heatmap = fromWire(result.heatmap);
    expect(attribution.shape).toEqual([1, 197, 96]);
    expect(heatmap.shape).toEqual([14, 14]);
    const ref = readNpyF32(fixture('timm_vit_dynamo', 'ref', 'chelsea.t8.layer_grad.npy'));
    expect(compareMaps(attribution.data, ref.data).cosine).toBeGreaterThanOrEqual(0.9999);
    // patch (r, c) = token 1 + 14r + c, summed over the 96 channels
    let sum = 0;
    for (let k = 0; k < 96; k++) sum += ref.data[(1 + 14 * 2 + 5) * 96 + k];
    expect(heatmap.data[2 * 14 + 5]).toBeCloseTo(sum, 4);
    expect(result.display).toEqual([{ op: 'layer-map', args: { layout: 'tokens', prefixTokens: 1, grid: [14, 14] } }]);
  });

  it('a token layer on a non-square patch grid is laid on that grid (the patch embedding’s, or the card’s), not the largest square', async () => {
    // input [1, 3, 4, 6] → 2×2 patches → [1, D, 2, 3] → 6 tokens + 1 class token = [1, 7, D] → mean → logits
    const D = 4;
    const bytes = serialise({
      inputs: [valueInfo('input', ['N', 3, 4, 6])],
      outputs: [valueInfo('logits', ['N', 3])],
      nodes: [
        node('Conv', ['input', 'patchW'], ['patches'], [intsAttr('kernel_shape', [2, 2]), intsAttr('strides', [2, 2])]),
        node('Reshape', ['patches', 'flatShape'], ['flat']),
        node('Transpose', ['flat'], ['patchTokens'], [intsAttr('perm', [0, 2, 1])]),
        node('Concat', ['classToken', 'patchTokens'], ['tokens'], [intAttr('axis', 1)]),
        node('Mul', ['tokens', 'tokens'], ['squared']),
        node('ReduceMean', ['squared'], ['pooled'], [intsAttr('axes', [1]), intAttr('keepdims', 0)]),
        node('MatMul', ['pooled', 'head'], ['logits']),
      ],
      initializers: [
        floatTensor('patchW', [D, 3, 2, 2], randomFloats(D * 12, 21)),
        int64Tensor('flatShape', [1, D, 6]),
        floatTensor('classToken', [1, 1, D], randomFloats(D, 22)),
        floatTensor('head', [D, 3], randomFloats(D * 3, 23)),
      ],
    });
    const input = join(harness.dir, 'patches.npy');
    writeFileSync(input, encodeNpy({ shape: [1, 3, 4, 6], data: randomFloats(72, 24, 0, 1) }));
    const inputId = (await harness.api.openInput({ path: input })).id;
    const layout = async (name: string, card?: unknown) => {
      const m = await harness.api.openModel({ path: writeModel(join(harness.dir, name), name, bytes, card) });
      const result = await harness.api.explain({ modelId: m.id, inputId, method: 'gradient', target: 1, params: { layer: 'tokens' } });
      expect(fromWire(result.attribution).shape).toEqual([1, 7, D]);
      return { display: result.display, heatmap: fromWire(result.heatmap) };
    };
    // The largest square in 7 tokens is 2×2 with 3 prefix tokens; the patch embedding says 1 + 2×3.
    const fromGraph = await layout('graph');
    expect(fromGraph.display).toEqual([{ op: 'layer-map', args: { layout: 'tokens', prefixTokens: 1, grid: [2, 3] } }]);
    expect(fromGraph.heatmap.shape).toEqual([2, 3]);
    const fromCard = await layout('card', { explainer: { tokenLayout: { classTokens: 1, grid: [3, 2] } } });
    expect(fromCard.display).toEqual([{ op: 'layer-map', args: { layout: 'tokens', prefixTokens: 1, grid: [3, 2] } }]);
  });

  it('the input gradient is displayed as the signed channel sum', async () => {
    const m = await harness.api.openModel({ path: modelPath('squeezenet1_1') });
    const input = await harness.api.openInput({ path: imageNpy('chelsea') });
    const result = await harness.api.explain({ modelId: m.id, inputId: input.id, method: 'gradient', target: 8 });
    const attribution = fromWire(result.attribution);
    const heatmap = fromWire(result.heatmap);
    expect(heatmap.shape).toEqual([224, 224]);
    const p = 100 * 224 + 37;
    expect(heatmap.data[p]).toBeCloseTo(attribution.data[p] + attribution.data[224 * 224 + p] + attribution.data[2 * 224 * 224 + p], 6);
  });

  it('a model with its weights in an external data file: the gradient of a linear model is its weight column', async () => {
    const built = linearModel({ dims: [1, 4, 5], classes: 3, seed: 11 });
    const model = fromBinary(ModelProtoSchema, built.bytes);
    const w = model.graph!.initializer.find((t) => t.name === 'W')!;
    const dir = join(harness.dir, 'external');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'weights.bin'), w.rawData);
    w.externalData = [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: String(w.rawData.length) }].map((e) => create(StringStringEntryProtoSchema, e));
    w.dataLocation = 1;
    w.rawData = new Uint8Array(0);
    const path = writeModel(dir, 'linear', toBinary(ModelProtoSchema, model));
    const m = await harness.api.openModel({ path });
    const x = randomFloats(20, 4);
    const inputPath = join(dir, 'x.npy');
    writeFileSync(inputPath, encodeNpy({ shape: [1, 1, 4, 5], data: x }));
    const input = await harness.api.openInput({ path: inputPath });
    const result = await harness.api.explain({ modelId: m.id, inputId: input.id, method: 'gradient', target: 2 });
    const attribution = fromWire(result.attribution);
    expect(attribution.shape).toEqual([1, 1, 4, 5]);
    for (let i = 0; i < 20; i++) expect(attribution.data[i]).toBeCloseTo(built.weights[i * 3 + 2], 6);
  });

  it('an unknown layer name is a parameter error naming it', async () => {
    const m = await harness.api.openModel({ path: modelPath('squeezenet1_1') });
    const input = await harness.api.openInput({ path: imageNpy('chelsea') });
    await expect(harness.api.explain({ modelId: m.id, inputId: input.id, method: 'gradient', params: { layer: 'no/such/tensor' } })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('no/such/tensor') });
  });
});
