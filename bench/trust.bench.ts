// `npm run bench:trust` (issue 9 MS2, MS3): on the demo test set and the clean demo CNN, the mean
// deletion and insertion AUC of every method against a seeded random map (blur baseline, 24 steps);
// ROAD's MoRF/LeRF means for Grad-CAM, saliency and the random map; and the randomisation sanity
// check per method (mean Spearman ρ after the top 1 and 2 layers are re-initialised, and verdicts).
// Options: --images N (curves, default all 200), --road-images N (30), --sanity-images N (8), --methods a,b.
import { ApiError } from '../src/api/contract';
import type { RandomisationSummary, TrustMetrics, TrustMetricsRequest } from '../src/api/metrics-schemas';
import type { WireTensor } from '../src/api/schemas';
import { Prng } from '../src/core/random/prng';
import { toWire } from '../src/core/tensor/wire';
import { BENCH_PARAMS, mean, openDemoBench, type DemoBench, type TestCase } from './demo-testset';
import { option } from './bench-args';

const RANDOM = '(random map)';

function randomMap(seed: number, width: number, height: number): WireTensor {
  const rng = new Prng(seed);
  return toWire({ shape: [height, width], data: Float32Array.from({ length: width * height }, () => rng.uniform()) });
}

export async function run(args: string[]): Promise<void> {
  const bench = await openDemoBench(args);
  try {
    const model = await bench.openModel('demo-cnn.onnx');
    const wanted = option(args, 'methods', '');
    const methods = (await bench.api.methods({})).filter((m) => m.family !== 'attention' && (!wanted || wanted.split(',').includes(m.id))).map((m) => m.id);

    /** The trust metrics of `method`'s map (or a random map) for one test image. */
    const metricsOf: MetricsOf = async (method, c, index, request) => {
      const target = (await bench.api.predict({ modelId: model.id, inputId: c.input.id })).top[0].index;
      let explanation: TrustMetricsRequest['explanation'];
      if (method === RANDOM) explanation = { method: 'saliency', params: {}, target, heatmap: randomMap(1000 + index, c.input.width, c.input.height) };
      else {
        const e = await bench.api.explain({ modelId: model.id, inputId: c.input.id, method, target, params: BENCH_PARAMS[method] ?? {} });
        explanation = { method, params: e.params, target, heatmap: e.heatmap };
      }
      return bench.api.trustMetrics({ modelId: model.id, inputId: c.input.id, explanation, metrics: ['deletion'], ...request });
    };

    const curveCases = bench.cases;
    console.log(`Deletion / insertion AUC (target probability; blur baseline; 24 steps) over ${curveCases.length} demo test images, demo CNN`);
    console.log('| method | deletion AUC ↓ | insertion AUC ↑ |');
    console.log('|---|---|---|');
    for (const method of [RANDOM, ...methods]) {
      const deletion: number[] = [];
      const insertion: number[] = [];
      for (const [i, c] of curveCases.entries()) {
        const m = await metricsOf(method, c, i, { metrics: ['deletion', 'insertion'] });
        deletion.push(m.deletion!.auc);
        insertion.push(m.insertion!.auc);
      }
      console.log(`| ${method} | ${mean(deletion).toFixed(4)} | ${mean(insertion).toFixed(4)} |`);
    }

    const roadCases = bench.cases.slice(0, Number(option(args, 'road-images', '30')));
    console.log(`\nROAD (noisy linear imputation, fractions 0.1–0.9) over ${roadCases.length} images`);
    console.log('| method | MoRF mean ↓ | LeRF mean ↑ | gap ↑ |');
    console.log('|---|---|---|---|');
    for (const method of [RANDOM, 'grad-cam', 'saliency'].filter((m) => m === RANDOM || methods.includes(m))) {
      const rows = [];
      for (const [i, c] of roadCases.entries()) rows.push((await metricsOf(method, c, i, { metrics: ['road'] })).road!);
      console.log(`| ${method} | ${mean(rows.map((r) => r.morfMean)).toFixed(4)} | ${mean(rows.map((r) => r.lerfMean)).toFixed(4)} | ${mean(rows.map((r) => r.gap)).toFixed(4)} |`);
    }

    await sanity(bench, methods, Number(option(args, 'sanity-images', '8')), metricsOf);
  } finally {
    await bench.dispose();
  }
}

type MetricsOf = (method: string, c: TestCase, index: number, request: Partial<TrustMetricsRequest>) => Promise<TrustMetrics>;

async function sanity(bench: DemoBench, methods: string[], count: number, metricsOf: MetricsOf) {
  const cases = bench.cases.slice(0, count);
  console.log(`\nRandomisation sanity check (cascading, from the top) over ${cases.length} images: mean Spearman ρ with the trained model's map`);
  console.log('| method | ρ, top 1 layer | ρ, top 2 layers | ρ, all layers | verdicts (separates / partial / insensitive) |');
  console.log('|---|---|---|---|---|');
  for (const method of methods) {
    const rows: RandomisationSummary[] = [];
    try {
      for (const [i, c] of cases.entries()) rows.push((await metricsOf(method, c, i, { metrics: ['randomisation'] })).randomisation!);
    } catch (error) {
      if (error instanceof ApiError) {
        console.log(`| ${method} | ${error.message} | | | |`);
        continue;
      }
      throw error;
    }
    const at = (k: number) => mean(rows.map((r) => r.steps[Math.min(k, r.steps.length) - 1].spearman)).toFixed(3);
    const count = (v: string) => rows.filter((r) => r.verdict === v).length;
    console.log(`| ${method} | ${at(1)} | ${at(2)} | ${at(99)} | ${count('separates')} / ${count('partial')} / ${count('insensitive')} |`);
  }
}
