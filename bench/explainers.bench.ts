// Issue 4 MS5: every gradient and CAM method on the fixture resnet18 at 224² (chelsea, class 117),
// its time ÷ one forward pass (the forward-only session, batch 1, same threads); the attention
// methods on the fixture ViT the same way. Times are medians of --runs runs after one warm-up run
// (which builds the transformed model and opens its session). Targets: Grad-CAM ≤ 2.2×, integrated
// gradients (32 steps) ≤ 40×. Options: --threads N (default 1), --runs N (default 3), --methods a,b.
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as ort from 'onnxruntime-node';
import { validated } from '../src/api/contract';
import type { ParamValue } from '../src/api/schemas';
import { Engine } from '../src/core/engine';
import { imageNpy, modelPath } from '../tests/helpers/fixtures';
import { forwardTimer, median, option, type ForwardTimer } from './bench-args';


interface Row {
  model: 'resnet18' | 'vit';
  method: string;
  params: Record<string, ParamValue>;
  target?: string;
}

const ROWS: Row[] = [
  { model: 'resnet18', method: 'gradient', params: {} },
  { model: 'resnet18', method: 'saliency', params: {} },
  { model: 'resnet18', method: 'input-x-gradient', params: {} },
  { model: 'resnet18', method: 'guided-backprop', params: {} },
  { model: 'resnet18', method: 'deconvolution', params: {} },
  ...[1, 2, 4, 8].map((batch) => ({ model: 'resnet18' as const, method: 'integrated-gradients', params: { steps: 32, batch }, target: batch === 4 ? '≤ 40×' : undefined })),
  { model: 'resnet18', method: 'smoothgrad', params: { samples: 8 } },
  { model: 'resnet18', method: 'grad-cam', params: {}, target: '≤ 2.2×' },
  { model: 'resnet18', method: 'grad-cam-plus-plus', params: {} },
  { model: 'resnet18', method: 'hires-cam', params: {} },
  { model: 'resnet18', method: 'xgrad-cam', params: {} },
  { model: 'resnet18', method: 'layer-cam', params: {} },
  { model: 'resnet18', method: 'score-cam', params: { batchSize: 16 } },
  { model: 'resnet18', method: 'guided-grad-cam', params: {} },
  { model: 'vit', method: 'grad-cam', params: {} },
  { model: 'vit', method: 'attention', params: {} },
  { model: 'vit', method: 'attention-rollout', params: {} },
  { model: 'vit', method: 'attention-gradient-rollout', params: {} },
];
const TARGET_CLASS = { resnet18: 117, vit: 1 };

export async function run(args: string[]): Promise<void> {
  const threads = Number(option(args, 'threads', '1'));
  const runs = Number(option(args, 'runs', '3'));
  const only = option(args, 'methods', '').split(',').filter(Boolean);
  const cacheDir = mkdtempSync(join(tmpdir(), 'sightline-bench-explainers-'));
  const previousCache = process.env.SIGHTLINE_CACHE_DIR;
  process.env.SIGHTLINE_CACHE_DIR = cacheDir;
  const engine = new Engine({ intraOpThreads: threads, defaultProvider: 'cpu', dataDir: join(cacheDir, 'data') });
  const api = validated(engine);
  try {
    console.log(`CPU, onnxruntime-node ${ort.env.versions.common}, intra-op threads ${threads}; median of ${runs} runs after a warm-up; chelsea 224², resnet18 class 117, vit class 1`);
    console.log('ratio = method time ÷ forward time, from medians and (in brackets) from the fastest runs, which a loaded machine disturbs least; forward runs are interleaved with the method\'s');
    console.log(['model', 'method', 'params', 'forward ms', 'method ms', 'evaluations', 'ratio', 'target'].join(' | '));
    const forward: Record<string, ForwardTimer> = {};
    const ids: Record<string, string> = {};
    const input = await api.openInput({ path: imageNpy('chelsea') });
    for (const row of ROWS) {
      if (only.length && !only.includes(row.method)) continue;
      forward[row.model] ??= await forwardTimer(modelPath(row.model), { threads });
      ids[row.model] ??= (await api.openModel({ path: modelPath(row.model) })).id;
      const explain = () => api.explain({ modelId: ids[row.model], inputId: input.id, method: row.method, target: TARGET_CLASS[row.model], params: row.params });
      await explain();
      const [forwardTimes, methodTimes] = [[] as number[], [] as number[]];
      let evaluations = 0;
      for (let r = 0; r < runs; r++) {
        for (let k = 0; k < 3; k++) forwardTimes.push(await forward[row.model].time());
        const result = await explain();
        methodTimes.push(result.durationMs);
        evaluations = result.evaluations;
      }
      const [f, m] = [median(forwardTimes), median(methodTimes)];
      const ratio = `${(m / f).toFixed(2)}× (${(Math.min(...methodTimes) / Math.min(...forwardTimes)).toFixed(2)}×)`;
      console.log([row.model, row.method, JSON.stringify(row.params), f.toFixed(1), m.toFixed(1), evaluations, ratio, row.target ?? ''].join(' | '));
    }
    for (const timer of Object.values(forward)) await timer.release();
  } finally {
    await engine.dispose();
    if (previousCache === undefined) delete process.env.SIGHTLINE_CACHE_DIR;
    else process.env.SIGHTLINE_CACHE_DIR = previousCache;
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
