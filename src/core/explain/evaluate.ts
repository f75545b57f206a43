// The shared "evaluate these perturbed inputs" service of the perturbation methods: builds inputs
// in batches, runs them, and returns one target score per input. The batch size adapts so that a
// batch takes about `targetBatchMs` (responsive cancel and progress) without losing throughput;
// an evaluator keeps what it learnt across calls (methods that evaluate in rounds, e.g. Owen values).
import type { ExplainContext } from './types';

export interface EvaluatorOptions {
  /** largest batch; the runner's own limit also applies */
  maxBatch?: number;
  targetBatchMs?: number;
  /** evaluations the whole run will make, for progress over several calls (default: each call's count) */
  total?: number;
  /** the score of one input from its logits (default: the target's logit) */
  score?: (logits: Float32Array) => number;
}

/** What the evaluator uses of an explanation's context (faithfulness metrics build only this). */
export type EvaluationContext = Pick<ExplainContext, 'model' | 'input' | 'target' | 'forward' | 'progress' | 'checkCancelled'>;

export class ScoreEvaluator {
  /** evaluations made so far */
  done = 0;
  /** time spent inside the model's forward passes, for the record */
  forwardMs = 0;
  private batch: number;
  private readonly limit: number;
  private buffer: Float32Array;

  constructor(
    private readonly ctx: EvaluationContext,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.limit = Math.max(1, Math.min(options.maxBatch ?? 32, ctx.forward.maxBatch));
    this.batch = Math.min(this.limit, 4);
    this.buffer = new Float32Array(this.batch * ctx.input.data.length);
  }

  /** Target scores of `count` inputs; `fill(index, dst)` writes input `index` (one input's worth of elements). */
  async scores(count: number, fill: (index: number, dst: Float32Array) => void): Promise<Float32Array> {
    const { ctx } = this;
    const perInput = ctx.input.data.length;
    const numClasses = ctx.model.numClasses;
    const scores = new Float32Array(count);
    const total = this.options.total ?? count;
    const base = this.options.total === undefined ? 0 : this.done;
    let done = 0;
    if (done + base === 0) ctx.progress(0, total);
    while (done < count) {
      ctx.checkCancelled();
      const size = Math.min(this.batch, count - done);
      if (this.buffer.length < size * perInput) this.buffer = new Float32Array(size * perInput);
      for (let i = 0; i < size; i++) fill(done + i, this.buffer.subarray(i * perInput, (i + 1) * perInput));
      const started = performance.now();
      const logits = await ctx.forward.run(this.buffer.subarray(0, size * perInput), size);
      const elapsed = performance.now() - started;
      this.forwardMs += elapsed;
      const score = this.options.score;
      for (let i = 0; i < size; i++) scores[done + i] = score ? score(logits.subarray(i * numClasses, (i + 1) * numClasses)) : logits[i * numClasses + ctx.target];
      done += size;
      ctx.progress(base + done, total);
      const perItemMs = Math.max(elapsed / size, 0.01);
      this.batch = Math.max(1, Math.min(this.limit, Math.floor((this.options.targetBatchMs ?? 250) / perItemMs)));
    }
    this.done += count;
    return scores;
  }
}
