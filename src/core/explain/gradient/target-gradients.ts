// Gradients of the target's score for many inputs (IG path points, SmoothGrad samples, one image),
// run in fixed-size batches through the gradient runner. The score is the raw logit (Captum's and
// pytorch-grad-cam's default) or the class probability: softmax heads differentiate the softmax in
// the graph; sigmoid heads scale the logit's gradient by σ'(z), which is exact and costs nothing.
import type { ParamSpec } from '../../../api/schemas';
import type { RuleSet } from '../../autodiff/rules';
import { targetScore } from '../../model/activation';
import type { ExplainContext, GradientResult } from '../types';

export const SCORE_PARAM: ParamSpec = {
  name: 'score',
  kind: 'enum',
  default: 'logit',
  options: ['logit', 'probability'],
  description: 'what is explained: the raw logit of the class (as Captum and pytorch-grad-cam) or its probability (the model card\'s softmax or sigmoid)',
};

/** Inputs per gradient run; batch 1–8 cost about the same per input on the CPU, so small batches keep memory and cancel latency low. */
export const GRADIENT_BATCH_PARAM: ParamSpec = {
  name: 'batch',
  kind: 'int',
  default: 4,
  min: 1,
  max: 64,
  description: 'inputs per forward+backward run (speed and memory only; the result does not change)',
};

export interface TargetGradientOptions {
  /** inputs to differentiate at */
  count: number;
  /** writes input `index` (one model input) into `dst` */
  fill(index: number, dst: Float32Array): void;
  /** per input, called in index order with views valid only during the call */
  consume(index: number, sample: TargetGradient): void;
  inputGradient?: boolean;
  layers?: string[];
  ruleSet?: RuleSet;
  /** progress is reported as (offset + done, total) */
  progress?: { offset: number; total: number };
}

export interface TargetGradient {
  /** d score / d input for this input (null when not requested) */
  input: Float32Array | null;
  /** per requested layer: this input's activation and d score / d layer */
  layers: Record<string, { activation: Float32Array; gradient: Float32Array }>;
  /** the score (logit or probability) at this input */
  score: number;
  logits: Float32Array;
}

export type ScoreKind = 'logit' | 'probability';

function scoreKind(ctx: ExplainContext): ScoreKind {
  return ctx.params.score === 'probability' ? 'probability' : 'logit';
}

/** The explained score of one row of logits. */
export function scoreOf(ctx: ExplainContext, logits: ArrayLike<number>): number {
  if (scoreKind(ctx) === 'logit') return logits[ctx.target];
  return targetScore(logits, ctx.target, ctx.model.activation);
}

/** Runs the target's gradients for `count` inputs in batches of the `batch` parameter (default 4). */
export async function targetGradients(ctx: ExplainContext, options: TargetGradientOptions): Promise<{ evaluations: number; provider: string }> {
  const { count } = options;
  const perInput = ctx.input.data.length;
  const classes = ctx.model.numClasses;
  const batch = Math.max(1, Math.min(Number(ctx.params.batch ?? GRADIENT_BATCH_PARAM.default), ctx.gradients.maxBatch, count));
  const kind = scoreKind(ctx);
  const softmaxInGraph = kind === 'probability' && ctx.model.activation === 'softmax';
  const sigmoidScale = kind === 'probability' && ctx.model.activation === 'sigmoid';
  const inputs = new Float32Array(batch * perInput);
  const seeds = new Float32Array(batch * classes);
  for (let b = 0; b < batch; b++) seeds[b * classes + ctx.target] = 1;
  const progress = options.progress ?? { offset: 0, total: count };
  let provider = ctx.gradients.provider;
  ctx.progress(progress.offset, progress.total);
  for (let start = 0; start < count; start += batch) {
    ctx.checkCancelled();
    const size = Math.min(batch, count - start);
    for (let b = 0; b < batch; b++) options.fill(start + Math.min(b, size - 1), inputs.subarray(b * perInput, (b + 1) * perInput));
    // A short last batch repeats its last input: one transformed model serves every batch.
    const result: GradientResult = await ctx.gradients.run({
      inputs,
      batch,
      seeds,
      layers: options.layers ?? [],
      inputGradient: options.inputGradient ?? true,
      ruleSet: options.ruleSet,
      scoreActivation: softmaxInGraph ? 'softmax' : 'none',
    });
    provider = result.provider;
    for (let b = 0; b < size; b++) {
      const logits = result.logits.subarray(b * classes, (b + 1) * classes);
      const input = result.inputGradient ? slice(result.inputGradient.data, b, batch) : null;
      const layers: TargetGradient['layers'] = {};
      for (const [name, l] of Object.entries(result.layers)) layers[name] = { activation: slice(l.activation.data, b, batch), gradient: slice(l.gradient.data, b, batch) };
      if (sigmoidScale) {
        // d σ(z)/dx = σ(z)(1 − σ(z)) · dz/dx
        const s = 1 / (1 + Math.exp(-logits[ctx.target]));
        const factor = s * (1 - s);
        if (input) for (let i = 0; i < input.length; i++) input[i] *= factor;
        for (const l of Object.values(layers)) for (let i = 0; i < l.gradient.length; i++) l.gradient[i] *= factor;
      }
      options.consume(start + b, { input, layers, score: scoreOf(ctx, logits), logits });
    }
    ctx.progress(progress.offset + start + size, progress.total);
  }
  return { evaluations: count, provider };
}

function slice(data: Float32Array, b: number, batch: number): Float32Array {
  const per = data.length / batch;
  return data.subarray(b * per, (b + 1) * per);
}
