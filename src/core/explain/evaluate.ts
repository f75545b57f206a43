// The shared "evaluate these perturbed inputs" service of the perturbation methods: builds inputs
// in batches, runs them, and returns one target score per input. The batch size adapts so that a
// batch takes about `targetBatchMs` (responsive cancel and progress) without losing throughput, and
// never beyond what the memory available can hold: the memory one input costs (its buffer plus the
// model's activations, measured as the process grows when batches get larger) is learnt as it runs.
// An evaluator keeps what it learnt across calls (methods that evaluate in rounds, e.g. Owen values).
import { freemem } from 'node:os';
import type { ExplainContext } from './types';

/** Where the evaluator reads memory figures (bytes): what the system can still give, and this process's resident size. */
export interface MemoryProbe {
  available(): number;
  resident(): number;
}

const processMemory: MemoryProbe = { available: () => freemem(), resident: () => process.memoryUsage().rss };

/** The share of the available memory one batch may take (the rest stays for the app and the system). */
const MEMORY_SHARE = 0.5;
/** Before anything is measured, an input is assumed to cost this many times its own size (activations). */
const INITIAL_COST_FACTOR = 16;

export interface EvaluatorOptions {
  /** largest batch; the runner's own limit also applies */
  maxBatch?: number;
  targetBatchMs?: number;
  /** evaluations the whole run will make, for progress over several calls (default: each call's count) */
  total?: number;
  /** the score of one input from its logits (default: the target's logit) */
  score?: (logits: Float32Array) => number;
  /** memory figures (default: this process and the system's) */
  memory?: MemoryProbe;
}

/** What the evaluator uses of an explanation's context (faithfulness metrics build only this). */
export type EvaluationContext = Pick<ExplainContext, 'model' | 'input' | 'target' | 'forward' | 'progress' | 'checkCancelled'>;

export class ScoreEvaluator {
  /** evaluations made so far */
  done = 0;
  /** time spent inside the model's forward passes, for the record */
  forwardMs = 0;
  /** the largest batch run so far */
  largestBatch = 0;
  /** estimated bytes one input costs in a batch (its buffer and its activations) */
  bytesPerInput: number;
  private batch: number;
  private readonly limit: number;
  private buffer: Float32Array;
  private readonly memory: MemoryProbe;
  private readonly residentAtStart: number;

  constructor(
    private readonly ctx: EvaluationContext,
    private readonly options: EvaluatorOptions = {},
  ) {
    this.limit = Math.max(1, Math.min(options.maxBatch ?? 32, ctx.forward.maxBatch));
    this.memory = options.memory ?? processMemory;
    this.residentAtStart = this.memory.resident();
    this.bytesPerInput = INITIAL_COST_FACTOR * 4 * ctx.input.data.length;
    this.batch = Math.min(this.limit, 4, this.memoryCap());
    this.buffer = new Float32Array(this.batch * ctx.input.data.length);
  }

  /** The most inputs one batch may hold with the memory available now. */
  memoryCap(): number {
    return Math.max(1, Math.floor((MEMORY_SHARE * this.memory.available()) / this.bytesPerInput));
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
      if (size > this.largestBatch) {
        // The process grows to the largest batch's needs and stays there: what it grew by, per input
        // of that batch, is what an input costs (never less than twice its own buffer).
        this.largestBatch = size;
        const grown = Math.max(0, this.memory.resident() - this.residentAtStart);
        this.bytesPerInput = Math.max(2 * 4 * perInput, grown / size);
      }
      const score = this.options.score;
      for (let i = 0; i < size; i++) scores[done + i] = score ? score(logits.subarray(i * numClasses, (i + 1) * numClasses)) : logits[i * numClasses + ctx.target];
      done += size;
      ctx.progress(base + done, total);
      const perItemMs = Math.max(elapsed / size, 0.01);
      this.batch = Math.max(1, Math.min(this.limit, this.memoryCap(), Math.floor((this.options.targetBatchMs ?? 250) / perItemMs)));
    }
    this.done += count;
    return scores;
  }
}
