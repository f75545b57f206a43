// Deletion on the demo test set (issue 9 MS3, CI-sized): over the first 30 of the 200 demo test
// images, Grad-CAM's mean deletion AUC on the demo CNN is below that of a seeded random map
// (`npm run bench:trust` reports all 200 images and every method), and insertion agrees.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validated, type SightlineApi } from '../../../src/api/contract';
import type { ModelInfo, WireTensor } from '../../../src/api/schemas';
import { readTestManifest, repoDemoDir } from '../../../src/core/demo/demo-assets';
import { Engine } from '../../../src/core/engine';
import { Prng } from '../../../src/core/random/prng';
import { toWire } from '../../../src/core/tensor/wire';
import { makeTempDir, reportFigure } from '../../helpers/fixtures';

const IMAGES = 30;
const temp = makeTempDir('sightline-deletion-');
let engine: Engine;
let api: SightlineApi;
let model: ModelInfo;

beforeAll(async () => {
  engine = new Engine({ dataDir: temp.dir, intraOpThreads: 1 });
  api = validated(engine);
  model = await api.openModel({ path: join(repoDemoDir(), 'models', 'demo-cnn.onnx') });
});

afterAll(async () => {
  await engine.dispose();
  temp.cleanup();
});

function randomMap(seed: number, side: number): WireTensor {
  const rng = new Prng(seed);
  return toWire({ shape: [side, side], data: Float32Array.from({ length: side * side }, () => rng.uniform()) });
}

describe('deletion and insertion on the demo test set', () => {
  it('Grad-CAM deletes the evidence faster than a random map', async () => {
    const manifest = await readTestManifest(repoDemoDir());
    const auc = { gradCam: { deletion: 0, insertion: 0 }, random: { deletion: 0, insertion: 0 } };
    for (const [i, image] of manifest.images.slice(0, IMAGES).entries()) {
      const input = await api.openInput({ path: join(repoDemoDir(), 'testset', image.file) });
      const gradCam = await api.explain({ modelId: model.id, inputId: input.id, method: 'grad-cam' });
      const request = { modelId: model.id, inputId: input.id, metrics: ['deletion' as const, 'insertion' as const] };
      const ofGradCam = await api.trustMetrics({ ...request, explanation: { method: 'grad-cam', params: gradCam.params, target: gradCam.target, heatmap: gradCam.heatmap } });
      const ofRandom = await api.trustMetrics({ ...request, explanation: { method: 'grad-cam', params: {}, target: gradCam.target, heatmap: randomMap(1000 + i, input.width) } });
      expect(ofGradCam.deletion!.fractions).toHaveLength(25);
      expect(ofGradCam.deletion!.baseline).toBe('blur');
      auc.gradCam.deletion += ofGradCam.deletion!.auc / IMAGES;
      auc.gradCam.insertion += ofGradCam.insertion!.auc / IMAGES;
      auc.random.deletion += ofRandom.deletion!.auc / IMAGES;
      auc.random.insertion += ofRandom.insertion!.auc / IMAGES;
    }
    reportFigure('mean deletion AUC, Grad-CAM vs random (30 demo test images)', `${auc.gradCam.deletion.toFixed(4)} vs ${auc.random.deletion.toFixed(4)}`);
    reportFigure('mean insertion AUC, Grad-CAM vs random (30 demo test images)', `${auc.gradCam.insertion.toFixed(4)} vs ${auc.random.insertion.toFixed(4)}`);
    expect(auc.gradCam.deletion).toBeLessThan(auc.random.deletion - 0.05);
    expect(auc.gradCam.insertion).toBeGreaterThan(auc.random.insertion + 0.2);
  });
});
