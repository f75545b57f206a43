// Models exported with a fixed batch of 1 (common for torch.onnx exports without dynamic_axes): every
// method gives the same attribution as on the same model with a dynamic batch axis, although the
// engine can then only run one input at a time; a fixed batch above 1 is refused when the model opens.
import { describe, expect, it } from 'vitest';
import { attributionOf, explainHarness } from '../../helpers/explain';
import { linearModel, randomFloats } from '../../helpers/onnx-builder';

const harness = explainHarness('sightline-fixed-batch-');
const DIMS = [3, 6, 6];
const options = { dims: DIMS, classes: 4, seed: 5, bias: randomFloats(4, 6) };
const METHODS: [string, Record<string, number | string>][] = [
  ['saliency', {}],
  ['integrated-gradients', { steps: 8, batch: 4 }],
  ['smoothgrad', { samples: 4, batch: 2 }],
  ['occlusion', { window: '2,2', strides: '2,2' }],
  ['rise', { samples: 40, cells: 3 }],
  ['kernel-shap', { segments: 'grid:2', samples: 16 }],
];

describe('a model with a fixed batch of 1', () => {
  it('gives every method the attribution it gives the same model with a dynamic batch', async () => {
    const fixed = await harness.openModel('fixed', linearModel({ ...options, batch: 1 }).bytes);
    const dynamic = await harness.openModel('dynamic', linearModel(options).bytes);
    const input = await harness.openTensor('x', [1, ...DIMS], randomFloats(3 * 36, 7, 0, 1));
    expect((await harness.api.predict({ modelId: fixed, inputId: input })).top).toEqual((await harness.api.predict({ modelId: dynamic, inputId: input })).top);
    for (const [method, params] of METHODS) {
      const explain = (modelId: string) => harness.api.explain({ modelId, inputId: input, method, target: 2, params });
      const [a, b] = [attributionOf(await explain(fixed)).data, attributionOf(await explain(dynamic)).data];
      const scale = Math.max(...b.map(Math.abs));
      expect(scale, method).toBeGreaterThan(0);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]))), method).toBeLessThanOrEqual(1e-5 * scale);
    }
  });

  it('a fixed batch above 1 is refused when the model opens, with the reason', async () => {
    await expect(harness.openModel('batch4', linearModel({ ...options, batch: 4 }).bytes)).rejects.toMatchObject({
      code: 'BAD_MODEL',
      message: expect.stringMatching(/fixed batch of 4 .*batch axis of 1 or a dynamic one/),
    });
  });
});
