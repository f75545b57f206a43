// Perturbation explainers at 224² on the fixture ResNet-18 (issue 5, Must show 4): for each method,
// wall time of the whole explanation (segmentation, masking, fitting included) ÷ (evaluations ×
// the forward-only per-image time at batch 16, same session options). Target ≤ 1.15. Each method
// runs twice (the second reuses the cached segmentation) and the faster run counts, since other
// processes on the machine only ever add time. `wall ÷ in-run forward` divides by the time the run's
// own forward passes took instead: the same ratio with other processes' load largely cancelled.
import { loadavg } from 'node:os';
import * as ort from 'onnxruntime-node';
import { validated } from '../src/api/contract';
import { Engine } from '../src/core/engine';
import { fixture } from '../tests/helpers/fixtures';

const MODEL = fixture('resnet18', 'model.onnx');
const IMAGE = fixture('images', 'chelsea.png');
const TARGET = 117;

const runs: [string, Record<string, string | number>][] = [
  ['occlusion', {}],
  ['rise', { samples: 500 }],
  ['lime', { samples: 500 }],
  ['kernel-shap', { samples: 500 }],
  ['partition-shap', {}],
];

/** Forward-only per-image times at batch 16 on a session like the engine's; keeps the best seen (other load only adds time). */
class ForwardProbe {
  best = Number.POSITIVE_INFINITY;
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly input: ort.Tensor,
  ) {}
  static async open(batch: number): Promise<ForwardProbe> {
    const session = await ort.InferenceSession.create(MODEL, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', interOpNumThreads: 1 });
    const probe = new ForwardProbe(session, new ort.Tensor('float32', new Float32Array(batch * 3 * 224 * 224).fill(0.1), [batch, 3, 224, 224]));
    await probe.measure(1);
    return probe;
  }
  async measure(repeats: number): Promise<number> {
    const batch = this.input.dims[0];
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      await this.session.run({ [this.session.inputNames[0]]: this.input });
      this.best = Math.min(this.best, (performance.now() - started) / batch);
    }
    return this.best;
  }
  release(): Promise<void> {
    return this.session.release();
  }
}

export async function run(_args: string[]): Promise<void> {
  const forward = await ForwardProbe.open(16);
  await forward.measure(3);
  const engine = new Engine({ defaultProvider: 'cpu' });
  const api = validated(engine);
  const rows: { method: string; params: string; evaluations: number; wallMs: number; forwardMs: number }[] = [];
  try {
    const model = await api.openModel({ path: MODEL });
    const input = await api.openInput({ path: IMAGE });
    console.log(`load average at start: ${loadavg()[0].toFixed(2)} (2 cores)`);
    for (const [method, params] of runs) {
      let best = { method, params: JSON.stringify(params), wallMs: Number.POSITIVE_INFINITY, forwardMs: 0, evaluations: 0 };
      for (let attempt = 0; attempt < 2; attempt++) {
        await forward.measure(2);
        const started = performance.now();
        const result = await api.explain({ modelId: model.id, inputId: input.id, method, target: TARGET, params });
        const wallMs = performance.now() - started;
        if (wallMs < best.wallMs) best = { ...best, wallMs, forwardMs: Number(result.stats?.forwardMs ?? Number.NaN), evaluations: result.evaluations };
      }
      rows.push(best);
    }
    await forward.measure(3);
  } finally {
    await engine.dispose();
    await forward.release();
  }
  const perImage = forward.best;
  console.log(`forward-only per image at batch 16 (best seen during the bench): ${perImage.toFixed(1)} ms; load average at end ${loadavg()[0].toFixed(2)}`);
  console.log('| method | params | evaluations | wall s (best of 2) | evals × forward s | ratio | wall ÷ in-run forward |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const ideal = row.evaluations * perImage;
    console.log(
      `| ${row.method} | ${row.params} | ${row.evaluations} | ${(row.wallMs / 1000).toFixed(2)} | ${(ideal / 1000).toFixed(2)} | ${(row.wallMs / ideal).toFixed(3)} | ${(row.wallMs / row.forwardMs).toFixed(3)} |`,
    );
  }
}
