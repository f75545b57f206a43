// Image → model tensor: the fixture PNGs reproduce the reference tensors bit for bit with the
// resnet18 card, and every card option (layout, channel order, scale, mean/std, grayscale, resize)
// does what it says on small synthetic images with known pixels.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type SightlineApi } from '../../../src/api/contract';
import { Engine } from '../../../src/core/engine';
import { bitMismatches, IMAGE_NAMES, imageNpy, imagePng, makeTempDir, modelPath, readNpyF32 } from '../../helpers/fixtures';
import { engineApi } from '../../helpers/engine';
import { rgbPattern, writeGray16Png, writePng } from '../../helpers/images';
import { linearForward, linearModel, writeModel } from '../../helpers/onnx-builder';

const tmp = makeTempDir('sightline-preprocess-');
let engine: Engine;
let api: SightlineApi;

beforeAll(() => {
  engine = new Engine({ intraOpThreads: 1, defaultProvider: 'cpu' });
  api = engineApi(engine);
});
afterAll(async () => {
  await engine.dispose();
  tmp.cleanup();
});

let modelCounter = 0;
/** Writes a linear model with the given input dims (without batch) and card in its own folder. */
function tinyModel(dims: number[], card?: unknown, classes = 2) {
  modelCounter += 1;
  const built = linearModel({ dims, classes, seed: 100 + modelCounter });
  const path = writeModel(join(tmp.dir, `model${modelCounter}`), 'model', built.bytes, card);
  return { path, built };
}

async function tensorFor(model: string, input: string) {
  const m = await api.openModel({ path: model });
  const i = await api.openInput({ path: input });
  return { model: m, input: i, tensor: await engine.modelTensor(m.id, i.id) };
}

function expectClose(actual: number, expected: number, what: string): void {
  const tol = 1e-5 * Math.max(1, Math.abs(expected));
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected}`);
}

describe('fixture PNGs with the resnet18 card', () => {
  it.each(IMAGE_NAMES)('%s: the PNG gives exactly the reference .npy (bit for bit)', async (name) => {
    const { input, tensor } = await tensorFor(modelPath('resnet18'), imagePng(name));
    const reference = readNpyF32(imageNpy(name));
    expect(tensor.shape).toEqual([1, 3, 224, 224]);
    expect(reference.shape).toEqual([1, 3, 224, 224]);
    expect(bitMismatches(tensor.data, reference.data)).toBe(0);
    expect(input.kind).toBe('image');
    expect(input.format).toBe('png');
    expect([input.width, input.height, input.bitDepth]).toEqual([224, 224, 8]);
    if (name === 'camera') {
      // gray: one stored channel, replicated into R, G and B before normalisation
      expect(input.channels).toBe(1);
      const mean = [0.485, 0.456, 0.406];
      const std = [0.229, 0.224, 0.225];
      const plane = 224 * 224;
      let worst = 0;
      for (let p = 0; p < plane; p++) {
        const u = [0, 1, 2].map((c) => (tensor.data[c * plane + p] * std[c] + mean[c]) * 255);
        worst = Math.max(worst, Math.abs(u[0] - u[1]), Math.abs(u[0] - u[2]));
      }
      expect(worst).toBeLessThan(1e-3);
    } else {
      expect(input.channels).toBe(3);
    }
  });
});

describe('card options on synthetic images', () => {
  const W = 4;
  const H = 3;
  const pixels = rgbPattern(W, H); // interleaved RGB, row-major
  const sample = (x: number, y: number, c: number) => pixels[(y * W + x) * 3 + c];
  const mean = [0.1, 0.2, 0.3];
  const std = [0.5, 0.25, 2];
  let rgbPath: string;
  beforeAll(async () => {
    rgbPath = await writePng(join(tmp.dir, 'rgb.png'), W, H, 3, pixels);
  });

  it('NCHW, RGB: x[c, y, x] = (u8/255 − mean[c]) / std[c]', async () => {
    const { path } = tinyModel([3, H, W], { input: { mean, std } });
    const { tensor, input } = await tensorFor(path, rgbPath);
    expect([input.width, input.height, input.channels]).toEqual([W, H, 3]);
    expect(tensor.shape).toEqual([1, 3, H, W]);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) expectClose(tensor.data[c * H * W + y * W + x], (sample(x, y, c) / 255 - mean[c]) / std[c], `c${c} y${y} x${x}`);
  });

  it('BGR: model channel 0 holds blue, normalised with the card mean/std of channel 0', async () => {
    const { path } = tinyModel([3, H, W], { input: { mean, std, channelOrder: 'BGR' } });
    const { tensor } = await tensorFor(path, rgbPath);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) expectClose(tensor.data[c * H * W + y * W + x], (sample(x, y, 2 - c) / 255 - mean[c]) / std[c], `c${c} y${y} x${x}`);
  });

  it('NHWC (from the card): x[y, x, c], channels last', async () => {
    const { path } = tinyModel([H, W, 3], { input: { mean, std, layout: 'NHWC' } });
    const { tensor, model } = await tensorFor(path, rgbPath);
    expect(model.preprocessing.layout).toBe('NHWC');
    expect(tensor.shape).toEqual([1, H, W, 3]);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) expectClose(tensor.data[(y * W + x) * 3 + c], (sample(x, y, c) / 255 - mean[c]) / std[c], `y${y} x${x} c${c}`);
  });

  it('NHWC guessed from the graph [N,5,6,3] without a card; BGR + NHWC together', async () => {
    const guessed = tinyModel([5, 6, 3]);
    const info = await api.openModel({ path: guessed.path });
    expect(info.preprocessing).toMatchObject({ layout: 'NHWC', height: 5, width: 6, channels: 3 });

    const { path } = tinyModel([H, W, 3], { input: { layout: 'NHWC', channelOrder: 'BGR', scale: 1, mean: [100], std: [50] } });
    const { tensor } = await tensorFor(path, rgbPath);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) expectClose(tensor.data[(y * W + x) * 3 + c], (sample(x, y, 2 - c) - 100) / 50, `y${y} x${x} c${c}`);
  });

  it('a gray image for a 3-channel model is replicated into every channel', async () => {
    const gray = Array.from({ length: W * H }, (_, i) => 7 + 21 * i);
    const grayPath = await writePng(join(tmp.dir, 'gray.png'), W, H, 1, gray);
    const { path } = tinyModel([3, H, W], { input: { mean, std } });
    const { tensor, input } = await tensorFor(path, grayPath);
    expect(input.channels).toBe(1);
    for (let c = 0; c < 3; c++) for (let p = 0; p < W * H; p++) expectClose(tensor.data[c * W * H + p], (gray[p] / 255 - mean[c]) / std[c], `c${c} p${p}`);
  });

  it('a 16-bit gray PNG is scaled by its full range (u16 / 65535)', async () => {
    const values = Array.from({ length: W * H }, (_, i) => i * 5000 + 17);
    const path16 = await writeGray16Png(join(tmp.dir, 'gray16.png'), W, H, values);
    const { path } = tinyModel([1, H, W]);
    const { tensor, input } = await tensorFor(path, path16);
    expect(input.bitDepth).toBe(16);
    for (let p = 0; p < W * H; p++) expectClose(tensor.data[p], values[p] / 65535, `p${p}`);
  });

  it('stretch resize of a uniform image keeps its exact value; center-crop takes the middle square', async () => {
    const uniform = Array.from({ length: 9 * 7 }, () => [50, 100, 150]).flat();
    const uniformPath = await writePng(join(tmp.dir, 'uniform.png'), 9, 7, 3, uniform);
    const stretch = tinyModel([3, H, W], { input: { mean, std } });
    const { tensor } = await tensorFor(stretch.path, uniformPath);
    for (let c = 0; c < 3; c++) for (let p = 0; p < W * H; p++) expectClose(tensor.data[c * W * H + p], ([50, 100, 150][c] / 255 - mean[c]) / std[c], `c${c}`);

    // 8×4 image, 4×4 model, center-crop: columns 2..5 exactly (no resampling at equal size)
    const wide = rgbPattern(8, 4);
    const widePath = await writePng(join(tmp.dir, 'wide.png'), 8, 4, 3, wide);
    const crop = tinyModel([3, 4, 4], { input: { resize: 'center-crop' } });
    const cropped = await tensorFor(crop.path, widePath);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 4; x++) expectClose(cropped.tensor.data[c * 16 + y * 4 + x], wide[(y * 8 + x + 2) * 3 + c] / 255, `c${c} y${y} x${x}`);
    // the explanation's overlay region says which part of the image the model saw
    const result = await api.explain({ modelId: cropped.model.id, inputId: cropped.input.id, method: 'occlusion', params: { window: [3, 4, 4], strides: [3, 4, 4] } });
    expect(result.overlayRegion).toEqual({ x: 0.25, y: 0, width: 0.5, height: 1 });
  });

  it('gray images (8- and 16-bit) stay one plane through resizing and cropping', async () => {
    // 12×4, dark left of column 8; centre-cropped to 4×4 (columns 4–7, all dark) and stretched to 6×2
    // (each output column covers 2 input columns; the antialiasing kernel blends the two next to the edge).
    const width = 12;
    const height = 4;
    const step = (dark: number, light: number) => Array.from({ length: width * height }, (_, i) => (i % width < 8 ? dark : light));
    const gray8 = await writePng(join(tmp.dir, 'step8.png'), width, height, 1, step(40, 200));
    const gray16 = await writeGray16Png(join(tmp.dir, 'step16.png'), width, height, step(1000, 60000));
    const crop = tinyModel([1, 4, 4], { input: { resize: 'center-crop' } });
    const stretch = tinyModel([1, 2, 6]);
    for (const [path, dark, light, max] of [[gray8, 40, 200, 255], [gray16, 1000, 60000, 65535]] as const) {
      const cropped = await tensorFor(crop.path, path);
      expect(cropped.tensor.data.length).toBe(16);
      for (const v of cropped.tensor.data) expectClose(v, dark / max, `crop ${max}`);
      const stretched = await tensorFor(stretch.path, path);
      expect(stretched.tensor.data.length).toBe(12);
      for (let y = 0; y < 2; y++) {
        const row = stretched.tensor.data.subarray(y * 6, y * 6 + 6);
        for (const x of [0, 1, 2]) expectClose(row[x], dark / max, `stretch ${max} y${y} x${x}`);
        expectClose(row[5], light / max, `stretch ${max} y${y} x5`);
        for (let x = 1; x < 6; x++) expect(row[x]).toBeGreaterThanOrEqual(row[x - 1]);
      }
    }
  });

  it('re-opening a model after its card changed uses the new card', async () => {
    const dir = join(tmp.dir, 'editable');
    const built = linearModel({ dims: [3, H, W], classes: 2, seed: 999 });
    const path = writeModel(dir, 'model', built.bytes, { input: { mean: [0, 0, 0] } });
    const first = await tensorFor(path, rgbPath);
    expectClose(first.tensor.data[0], sample(0, 0, 0) / 255, 'before');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ input: { mean: [0.5, 0.5, 0.5] } }));
    const second = await tensorFor(path, rgbPath);
    expect(second.model.id).toBe(first.model.id); // same ONNX bytes
    expect(second.model.preprocessing.mean).toEqual([0.5, 0.5, 0.5]);
    expectClose(second.tensor.data[0], sample(0, 0, 0) / 255 - 0.5, 'after');
  });
});

describe('a 1-channel model (1×1×28×28) and colour images', () => {
  const photo = rgbPattern(56, 42);
  let photoPath: string;
  let photo28Path: string;
  const photo28 = rgbPattern(28, 28);
  beforeAll(async () => {
    photoPath = await writePng(join(tmp.dir, 'photo.png'), 56, 42, 3, photo);
    photo28Path = await writePng(join(tmp.dir, 'photo28.png'), 28, 28, 3, photo28);
  });

  it('without colorToGray: BAD_INPUT naming the model shape, the image shape and the card key', async () => {
    const { path } = tinyModel([1, 28, 28], undefined, 10);
    const model = await api.openModel({ path });
    const input = await api.openInput({ path: photoPath });
    const error = await api.predict({ modelId: model.id, inputId: input.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const { code, message } = error as ApiError;
    expect(code).toBe('BAD_INPUT');
    expect(message).toContain('1×1×28×28');
    expect(message).toContain('56×42');
    expect(message).toContain('3 channels');
    expect(message).toContain('photo.png');
    expect(message).toContain('"colorToGray"');
  });

  it.each([
    ['luminance', (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b],
    ['average', (r: number, g: number, b: number) => (r + g + b) / 3],
    ['first-channel', (r: number) => r],
  ] as const)('colorToGray %s converts and the model runs', async (how, gray) => {
    const { path, built } = tinyModel([1, 28, 28], { input: { colorToGray: how } }, 10);
    const { tensor, model, input } = await tensorFor(path, photo28Path);
    expect(tensor.shape).toEqual([1, 1, 28, 28]);
    for (let p = 0; p < 28 * 28; p++) expectClose(tensor.data[p], gray(photo28[p * 3], photo28[p * 3 + 1], photo28[p * 3 + 2]) / 255, `p${p}`);
    const prediction = await api.predict({ modelId: model.id, inputId: input.id });
    const expected = linearForward(built, tensor.data);
    prediction.logits.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-4));
    expect(prediction.provider).toBe('cpu');
  });

  it('a tensor input of the wrong shape is BAD_INPUT naming both shapes', async () => {
    const { path } = tinyModel([1, 28, 28], undefined, 10);
    const model = await api.openModel({ path });
    const input = await api.openInput({ path: imageNpy('chelsea') });
    await expect(api.predict({ modelId: model.id, inputId: input.id })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/\[1, 3, 224, 224\].*\[1, 1, 28, 28\]/),
    });
  });
});
