// The interactive probe (issue 5): painting a region hides it with a masker and returns the new
// prediction and the score change. Checked by hand on a region-mean model (hiding k of the region's
// n pixels with zeros lowers its mean by Σ hidden / n), and run stroke after stroke on the fixture
// ResNet-18 (times are printed; the 150 ms target is measured by `npm run bench -- probe`).
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedPixels } from '../../../../src/core/explain/perturbation/probe';
import { encodeMask } from '../../../../src/core/tensor/binary-mask';
import { explainHarness } from '../../../helpers/explain';
import { imageNpy, modelPath, reportFigure } from '../../../helpers/fixtures';
import { rgbPattern, writePng } from '../../../helpers/images';
import { linearModel, randomFloats, regionMeanModel } from '../../../helpers/onnx-builder';

const harness = explainHarness('sightline-probe-');
const SIZE = 10;
const REGION = { top: 2, left: 2, height: 4, width: 5 };
const x = randomFloats(SIZE * SIZE, 101, 0.5, 1.5);
let modelId: string;
let inputId: string;

beforeAll(async () => {
  modelId = await harness.openModel('region', regionMeanModel({ channels: 1, height: SIZE, width: SIZE, region: REGION }));
  inputId = await harness.openTensor('x', [1, 1, SIZE, SIZE], x);
});

describe('probe on a model computable by hand', () => {
  it('hiding part of the region with zeros lowers the score by Σ hidden / region size', async () => {
    const painted = new Uint8Array(SIZE * SIZE);
    let hidden = 0;
    // a brush stroke over rows 3–4, columns 0–4: 6 of its pixels lie in the region
    for (let r = 3; r <= 4; r++)
      for (let c = 0; c <= 4; c++) {
        painted[r * SIZE + c] = 1;
        if (c >= REGION.left) hidden += x[r * SIZE + c];
      }
    const result = await harness.api.probe({ modelId, inputId, mask: encodeMask(SIZE, SIZE, painted), masker: 'zero', target: 0 });
    expect(result.maskedPixels).toBe(10);
    expect(result.delta).toBeCloseTo(-hidden / 20, 5);
    expect(result.score - result.baseScore).toBeCloseTo(result.delta, 6);
    expect(result.masker).toBe('zero');
    expect(result.top.length).toBe(2);
    // softmax over [m, −m]: the probability of class 0 falls with its score
    expect(result.probability).toBeLessThan(result.baseProbability);
  });

  it('an empty mask changes nothing; a mask outside the region changes nothing', async () => {
    const empty = await harness.api.probe({ modelId, inputId, mask: { width: SIZE, height: SIZE, runs: [SIZE * SIZE] }, masker: 'mean' });
    expect(empty.delta).toBe(0);
    expect(empty.target).toBe(0);
    const outside = await harness.api.probe({ modelId, inputId, mask: { width: SIZE, height: SIZE, runs: [90, 10] }, masker: 'noise' });
    expect(outside.maskedPixels).toBe(10);
    expect(outside.delta).toBe(0);
  });

  it('run lengths round-trip; masks of the wrong size or length are BAD_PARAMS', async () => {
    const painted = Uint8Array.from({ length: 24 }, (_, i) => (i % 5 === 0 || i > 20 ? 1 : 0));
    const mask = encodeMask(6, 4, painted);
    expect(mask.runs[0]).toBe(0);
    const prep = { width: 6, height: 4 } as Parameters<typeof maskedPixels>[1];
    expect(Array.from(maskedPixels(mask, prep))).toEqual([...painted.keys()].filter((i) => painted[i]));
    await expect(harness.api.probe({ modelId, inputId, mask: { width: 8, height: 8, runs: [64] } })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/mask is 8×8; the model input is 10×10/) });
    await expect(harness.api.probe({ modelId, inputId, mask: { width: SIZE, height: SIZE, runs: [5, 5] } })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/cover 10 pixels/) });
  });
});

describe('what the model sees', () => {
  it('the preview is the masked model input undone through the card: the image where unpainted, the masker where painted', async () => {
    // A BGR, normalised card: undoing it must give back the PNG's RGB bytes.
    const [W, H] = [8, 6];
    const card = { input: { channelOrder: 'BGR', mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] } };
    const model = await harness.openModel('linear-bgr', linearModel({ dims: [3, H, W], classes: 2, seed: 5 }).bytes, card);
    const pattern = rgbPattern(W, H);
    const input = (await harness.api.openInput({ path: await writePng(join(harness.dir, 'pattern.png'), W, H, 3, pattern) })).id;
    const painted = new Uint8Array(W * H);
    for (let p = 0; p < W * H; p++) painted[p] = p % W < 3 ? 1 : 0; // the three left columns
    const result = await harness.api.probe({ modelId: model, inputId: input, mask: encodeMask(W, H, painted), masker: 'black', preview: true });
    const png = Buffer.from(result.inputPreviewPng!.slice(result.inputPreviewPng!.indexOf(',') + 1), 'base64');
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([W, H, 3]);
    let worst = 0;
    for (let p = 0; p < W * H; p++)
      for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(data[p * 3 + k] - (painted[p] ? 0 : pattern[p * 3 + k])));
    expect(worst).toBeLessThanOrEqual(1);
    // without asking, no picture is made
    const plain = await harness.api.probe({ modelId: model, inputId: input, mask: encodeMask(W, H, painted), masker: 'black' });
    expect(plain.inputPreviewPng).toBeUndefined();
    expect(plain.score).toBe(result.score);
  });
});

describe('probe strokes on the fixture ResNet-18 (224², 1 thread)', () => {
  it('each growing stroke gets its own answer; the repeat calls reuse the cached base and masker', async () => {
    const resnet = (await harness.api.openModel({ path: modelPath('resnet18') })).id;
    const chelsea = (await harness.api.openInput({ path: imageNpy('chelsea') })).id;
    const painted = new Uint8Array(224 * 224);
    const times: number[] = [];
    const deltas: number[] = [];
    for (let stroke = 0; stroke < 6; stroke++) {
      // the brush grows: a 30-pixel-wide band, longer with every stroke
      for (let r = 90; r < 120; r++) for (let c = 20; c < 40 + 30 * stroke; c++) painted[r * 224 + c] = 1;
      const started = performance.now();
      const result = await harness.api.probe({ modelId: resnet, inputId: chelsea, mask: encodeMask(224, 224, painted), masker: 'blur', target: 117 });
      times.push(performance.now() - started);
      deltas.push(result.delta);
    }
    const steady = times.slice(1);
    reportFigure('probe ResNet-18 first call ms (base logits + blur)', times[0].toFixed(1));
    reportFigure('probe ResNet-18 later calls ms', steady.map((t) => t.toFixed(1)).join(', '));
    expect(new Set(deltas).size).toBe(deltas.length);
  });
});
