// Must show 3 (issue 5): on a tiny ONNX model built in the test whose output is the mean of one
// known image region (rows 4–7, columns 8–11 of a 16×16 RGB input: cell 6 of a 4×4 grid), every
// perturbation method ranks that region first: its mean attribution over the 4×4 grid's cells is
// the largest, and clearly so.
import { beforeAll, describe, expect, it } from 'vitest';
import { cellMeans, explainHarness, heatmapOf } from '../../../helpers/explain';
import { reportFigure } from '../../../helpers/fixtures';
import { randomFloats, regionMeanModel } from '../../../helpers/onnx-builder';

const SIZE = 16;
const REGION = { top: 4, left: 8, height: 4, width: 4 };
const REGION_CELL = 1 * 4 + 2;
const harness = explainHarness('sightline-ranking-');
let modelId: string;
let inputId: string;

beforeAll(async () => {
  modelId = await harness.openModel('region-mean', regionMeanModel({ channels: 3, height: SIZE, width: SIZE, region: REGION }));
  // positive pixels, so hiding them (masker zero) lowers the region mean
  inputId = await harness.openTensor('x', [1, 3, SIZE, SIZE], randomFloats(3 * SIZE * SIZE, 61, 0.5, 1.5));
});

const cases: [string, Record<string, string | number>, number][] = [
  // [method, params, margin: the region cell's mean over the runner-up's, at least]
  ['occlusion', { window: '4,4', strides: '4,4' }, 100],
  ['rise', { samples: 400, cells: 4 }, 1.05],
  ['lime', { segments: 'grid:4', samples: 300 }, 100],
  ['kernel-shap', { segments: 'grid:4', samples: 300 }, 100],
  ['partition-shap', {}, 100],
  ['partition-shap', { segments: 'grid:4' }, 100],
  ['lime', { segments: 'grid:4', samples: 300, masker: 'noise', fit: 'ridge' }, 3],
];

describe('every method ranks the region the model reads first', () => {
  it.each(cases)('%s %j', async (method, params, margin) => {
    const result = await harness.api.explain({ modelId, inputId, method, target: 0, params });
    const means = cellMeans(heatmapOf(result).data, SIZE, SIZE, 4);
    const order = means.map((m, cell) => ({ m, cell })).sort((a, b) => b.m - a.m);
    const runnerUp = Math.max(order[1].m, 1e-12);
    reportFigure(`${method} ${JSON.stringify(params)}: region cell mean / runner-up`, order[0].m / runnerUp);
    expect(order[0].cell).toBe(REGION_CELL);
    expect(order[0].m).toBeGreaterThan(0);
    expect(order[0].m / runnerUp >= margin || runnerUp <= 1e-6 * order[0].m).toBe(true);
  });
});
