// The shared "evaluate these perturbed inputs" service of the perturbation methods: builds inputs
// in batches, runs them, and returns one target score per input. The batch size adapts so that a
// batch takes about `targetBatchMs` (responsive cancel and progress) without losing throughput.
import type { ExplainContext } from './types';

export interface EvaluateOptions {
  count: number;
  /** writes perturbed input `index` into `dst` (one input's worth of elements) */
  fill(index: number, dst: Float32Array): void;
  /** largest batch; the runner's own limit also applies */
  maxBatch?: number;
  targetBatchMs?: number;
}

export async function evaluateTargetScores(ctx: ExplainContext, options: EvaluateOptions): Promise<Float32Array> {
  const perInput = ctx.input.data.length;
  const numClasses = ctx.model.numClasses;
  const scores = new Float32Array(options.count);
  const limit = Math.max(1, Math.min(options.maxBatch ?? 32, ctx.forward.maxBatch));
  const targetMs = options.targetBatchMs ?? 250;
  let batch = Math.min(limit, 4);
  let buffer = new Float32Array(batch * perInput);
  let done = 0;
  ctx.progress(0, options.count);
  while (done < options.count) {
    ctx.checkCancelled();
    const size = Math.min(batch, options.count - done);
    if (buffer.length < size * perInput) buffer = new Float32Array(size * perInput);
    for (let i = 0; i < size; i++) options.fill(done + i, buffer.subarray(i * perInput, (i + 1) * perInput));
    const started = performance.now();
    const logits = await ctx.forward.run(buffer.subarray(0, size * perInput), size);
    const elapsed = performance.now() - started;
    for (let i = 0; i < size; i++) scores[done + i] = logits[i * numClasses + ctx.target];
    done += size;
    ctx.progress(done, options.count);
    const perItemMs = Math.max(elapsed / size, 0.01);
    batch = Math.max(1, Math.min(limit, Math.floor(targetMs / perItemMs)));
  }
  return scores;
}
