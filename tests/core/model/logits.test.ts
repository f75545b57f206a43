// Must show 2: for every fixture model and every image with a reference, the engine's logits equal
// PyTorch's (max abs diff ≤ 1e-4), in-process and through the CLI.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SightlineApi } from '../../../src/api/contract';
import { Engine } from '../../../src/core/engine';
import { engineApi } from '../../helpers/engine';
import { runCli, singleJson } from '../../helpers/cli';
import { fixture, IMAGE_NAMES, imageNpy, maxAbsDiff, modelNames, modelPath, readNpyF32, reportFigure, sha256File } from '../../helpers/fixtures';

const TOLERANCE = 1e-4;
const MODELS = modelNames();
const refPath = (model: string, image: string) => fixture(model, 'ref', `${image}.logits.npy`);

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

it('the fixture zoo is complete: 10 models, each with reference logits for the 4 images', () => {
  expect(MODELS).toEqual(['convnext', 'densenet', 'efficientnet_b0', 'mobilenet_v2', 'mobilenet_v3_small', 'resnet18', 'squeezenet1_1', 'timm_cnn_dynamo', 'timm_vit_dynamo', 'vit']);
  for (const model of MODELS) for (const image of IMAGE_NAMES) expect(existsSync(refPath(model, image)), `${model}/${image}`).toBe(true);
});

describe('engine logits vs PyTorch references', () => {
  let engine: Engine;
  let api: SightlineApi;
  const inputIds = new Map<string, string>();
  beforeAll(async () => {
    engine = new Engine({ intraOpThreads: 0 });
    api = engineApi(engine);
    for (const image of IMAGE_NAMES) inputIds.set(image, (await api.openInput({ path: imageNpy(image) })).id);
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it.each(MODELS)('%s: every image within 1e-4', async (name) => {
    const model = await api.openModel({ path: modelPath(name) });
    expect(model.sha256).toBe(sha256File(modelPath(name)));
    let worst = 0;
    let worstImage = '';
    let checked = 0;
    for (const image of IMAGE_NAMES) {
      if (!existsSync(refPath(name, image))) continue;
      const reference = readNpyF32(refPath(name, image));
      const prediction = await api.predict({ modelId: model.id, inputId: inputIds.get(image)! });
      expect(reference.shape).toEqual([1, model.numClasses]);
      expect(prediction.logits).toHaveLength(model.numClasses);
      const diff = maxAbsDiff(prediction.logits, reference.data);
      expect(diff, `${name}/${image}`).toBeLessThanOrEqual(TOLERANCE);
      if (diff >= worst) [worst, worstImage] = [diff, image];
      // the reported top class and probabilities follow from the logits
      expect(prediction.top[0].index).toBe(argmax(reference.data));
      expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(prediction.modelSha256).toBe(model.sha256);
      expect(prediction.provider).toBe('cpu');
      checked++;
    }
    expect(checked).toBe(4);
    reportFigure(`logits worst max-abs diff ${name} (${worstImage})`, worst);
  });
});

describe('logits through the CLI (sightline predict --json)', () => {
  it.each([
    ['resnet18', 'chelsea'],
    ['resnet18', 'camera'],
    ['timm_vit_dynamo', 'chelsea'],
    ['timm_cnn_dynamo', 'astronaut'],
  ])('%s on %s', async (name, image) => {
    const result = await runCli(['predict', '--model', modelPath(name), '--input', imageNpy(image), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = singleJson<{ logits: number[]; probabilities: number[]; top: { index: number }[]; provider: string; modelSha256: string }>(result.stdout);
    const reference = readNpyF32(refPath(name, image));
    const diff = maxAbsDiff(out.logits, reference.data);
    reportFigure(`CLI logits max-abs diff ${name}/${image}`, diff);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
    expect(out.provider).toBe('cpu');
    expect(out.modelSha256).toBe(sha256File(modelPath(name)));
    expect(out.top[0].index).toBe(argmax(reference.data));
    expect(out.top.length).toBe(Math.min(5, reference.data.length));
  });
});
