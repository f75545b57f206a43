// Records for case-store tests that need no image file: the reader who makes changes, a synthetic
// explanation whose map is known cell by cell, and a model's prediction, so store behaviour is
// tested without running a model (and the crash writer starts without loading sharp).
import type { Explanation, ModelInfo, Prediction } from '../../src/api/schemas';
import { toWire } from '../../src/core/tensor/wire';

export const READER = { actor: 'dr.reader' };

/** An explanation whose [H, W] map is `value(row, col)`, covering the whole image. */
export function syntheticExplanation(height: number, width: number, value: (row: number, col: number) => number, overrides: Partial<Explanation> = {}): Explanation {
  const map = new Float32Array(height * width);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) map[r * width + c] = value(r, c);
  const attribution = new Float32Array(3 * height * width);
  for (let k = 0; k < 3; k++) attribution.set(map, k * height * width);
  return {
    method: 'occlusion',
    params: { window: [3, 2, 2], strides: [3, 2, 2], baseline: 0, batchSize: 32 },
    target: 1,
    targetLabel: 'effusion',
    modelSha256: 'ab'.repeat(32),
    inputId: 'cd'.repeat(32),
    provider: 'cpu',
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 12.5,
    evaluations: 13,
    meaning: 'mean drop of the target logit',
    unit: 'Δ logit',
    signed: true,
    attribution: toWire({ shape: [1, 3, height, width], data: attribution }),
    display: [{ op: 'reduce-channels', args: { how: 'mean' } }],
    heatmap: toWire({ shape: [height, width], data: map }),
    heatmapRange: { min: Math.min(...map), max: Math.max(...map) },
    overlayRegion: { x: 0, y: 0, width: 1, height: 1 },
    ...overrides,
  };
}

export const TINY_MODEL = {
  id: 'ab'.repeat(32),
  sha256: 'ab'.repeat(32),
  name: 'chest-tiny',
  version: '1.2.0',
  path: '/models/chest-tiny.onnx',
} as ModelInfo;

export function tinyPrediction(topIndex = 1, labels = ['normal', 'effusion', 'nodule']): Prediction {
  const probabilities = labels.map((_, i) => (i === topIndex ? 0.8 : 0.2 / (labels.length - 1)));
  return {
    logits: probabilities.map((p) => Math.log(p)),
    probabilities,
    top: [{ index: topIndex, label: labels[topIndex], score: 0.8 }],
    activation: 'softmax',
    provider: 'cpu',
    modelSha256: TINY_MODEL.sha256,
    durationMs: 3,
  };
}
