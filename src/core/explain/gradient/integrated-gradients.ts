// Integrated gradients: (x − b) ⊙ Σᵢ wᵢ · ∇score(b + αᵢ(x − b)), the input's shape — matches Captum
// IntegratedGradients (multiply_by_inputs=True) with its points and weights (quadrature.ts), the path
// points built in float32 as Captum does, batched. Records Captum's convergence delta
// sum(attribution) − (score(x) − score(b)).
import { ApiError } from '../../../api/contract';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { gaussianBlur, perChannel } from '../perturbation/maskers';
import { baselineTensor } from '../perturbation/baseline';
import { expectInputs, readTensorParam } from '../tensor-file';
import { inputMapDisplay } from './input-gradient-method';
import { IG_RULES, quadrature, type IgRule } from './quadrature';
import { GRADIENT_BATCH_PARAM, SCORE_PARAM, scoreOf, targetGradients } from './target-gradients';

async function igBaseline(ctx: ExplainContext): Promise<Float32Array> {
  const kind = String(ctx.params.baseline ?? 'zero');
  if (kind === 'zero' || kind === 'black') return baselineTensor(ctx, kind);
  if (kind === 'blur') {
    const prep = ctx.model.preprocessing;
    return perChannel(ctx, (plane) => gaussianBlur(plane, prep.width, prep.height, Number(ctx.params.blurSigma ?? 10)));
  }
  if (kind === 'custom') {
    const path = String(ctx.params.baselineFile ?? '');
    if (!path) throw new ApiError('BAD_PARAMS', 'integrated-gradients: baseline=custom needs baselineFile=PATH (an image, or a .npy model-input tensor)');
    // an image goes through the model's preprocessing, as the input did
    const tensor = ctx.modelTensorOf ? await ctx.modelTensorOf(path) : await readTensorParam(path, 'the baseline');
    expectInputs(tensor, ctx.input.shape, 'The baseline', 1);
    return tensor.data;
  }
  throw new ApiError('BAD_PARAMS', `integrated-gradients: unknown baseline "${kind}"`);
}

export const integratedGradients: Explainer = {
  info: {
    id: 'integrated-gradients',
    label: 'Integrated gradients',
    family: 'gradient',
    needs: 'gradient',
    output: {
      shape: 'input shape [1, C, H, W]',
      meaning: 'each input element\'s share of score(x) − score(baseline), integrating the gradient along the straight path from the baseline (sums to that difference up to the convergence delta)',
      signed: true,
      unit: 'Δ score',
    },
    reference: 'Captum IntegratedGradients (multiply_by_inputs=True; method gausslegendre | riemann_*); Sundararajan et al. 2017',
    params: [
      { name: 'steps', kind: 'int', default: 50, min: 1, max: 4096, description: 'points on the path (Captum n_steps); Riemann rules need ≥ 2' },
      { name: 'rule', kind: 'enum', default: 'gauss-legendre', options: [...IG_RULES], description: 'quadrature, as Captum: Gauss-Legendre or a Riemann sum (left, right, middle, trapezoid)' },
      {
        name: 'baseline',
        kind: 'enum',
        default: 'zero',
        options: ['zero', 'black', 'blur', 'custom'],
        description: 'path start: zero in model-input space (Captum\'s default), black pixels (preprocessed), a Gaussian blur of the input, or a custom image or tensor (baselineFile)',
      },
      { name: 'blurSigma', kind: 'number', default: 10, min: 0.1, max: 512, description: 'Gaussian σ in pixels for baseline=blur' },
      { name: 'baselineFile', kind: 'string', default: null, description: 'baseline=custom: an image (preprocessed as the input) or a .npy model-input tensor [C, H, W] or [1, C, H, W]' },
      SCORE_PARAM,
      GRADIENT_BATCH_PARAM,
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const steps = Number(ctx.params.steps ?? 50);
    const rule = String(ctx.params.rule ?? 'gauss-legendre') as IgRule;
    if (rule !== 'gauss-legendre' && steps < 2) throw new ApiError('BAD_PARAMS', `integrated-gradients: rule ${rule} needs steps ≥ 2`);
    const { alphas, weights } = quadrature(rule, steps);
    const x = ctx.input.data;
    const baseline = await igBaseline(ctx);
    const f = Math.fround;
    const difference = Float32Array.from(x, (v, i) => f(v - baseline[i]));
    const total = new Float64Array(x.length);
    const { provider } = await targetGradients(ctx, {
      count: steps,
      // Captum: baseline + alpha * (input - baseline), in float32
      fill(i, dst) {
        const alpha = f(alphas[i]);
        for (let k = 0; k < dst.length; k++) dst[k] = f(baseline[k] + f(alpha * difference[k]));
      },
      consume(i, sample) {
        const weight = f(weights[i]);
        const g = sample.input!;
        for (let k = 0; k < g.length; k++) total[k] += f(g[k] * weight);
      },
      progress: { offset: 0, total: steps + 1 },
    });
    const attribution = Float32Array.from(total, (t, k) => f(f(t) * difference[k]));
    // Completeness: the scores at both ends, one forward batch of 2
    const ends = new Float32Array(2 * x.length);
    ends.set(x, 0);
    ends.set(baseline, x.length);
    const logits = await ctx.forward.run(ends, 2);
    const classes = ctx.model.numClasses;
    const [scoreInput, scoreBaseline] = [scoreOf(ctx, logits.subarray(0, classes)), scoreOf(ctx, logits.subarray(classes))];
    let sum = 0;
    for (const a of attribution) sum += a;
    ctx.progress(steps + 1, steps + 1);
    return {
      attribution: { shape: ctx.input.shape, data: attribution },
      evaluations: steps + 2,
      display: inputMapDisplay(ctx),
      provider,
      stats: { rule, steps, attributionSum: sum, scoreInput, scoreBaseline, convergenceDelta: sum - (scoreInput - scoreBaseline) },
    };
  },
};
