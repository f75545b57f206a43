// SmoothGrad, SmoothGrad² and VarGrad: the noise tunnel over a one-gradient method (saliency by
// default, as Captum's NoiseTunnel(Saliency)) — the input's shape. Noise: σ = float32(stdev) ·
// (max(x) − min(x)) in float32 times seeded unit normals, or `noise=FILE.npy` holding the absolute
// noise [samples, …input shape] (the fixture's is float32(σ) · its unit noise).
import { ApiError } from '../../../api/contract';
import { valueRange } from '../../display/steps';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { SEED_PARAM, seededRng } from '../perturbation/features';
import { expectInputs, readTensorParam } from '../tensor-file';
import { deconvolution } from './deconvolution';
import { guidedBackprop } from './guided-backprop';
import { inputMapDisplay, keepGradient, type InputGradientMethod } from './input-gradient-method';
import { inputXGradient } from './input-x-gradient';
import { NOISE_TUNNEL_VARIANTS, noiseTunnel, type NoiseSource, type NoiseTunnelVariant } from './noise-tunnel';
import { saliency } from './saliency';
import { GRADIENT_BATCH_PARAM, SCORE_PARAM } from './target-gradients';

const BASE_METHODS: InputGradientMethod[] = [saliency.method, { id: 'gradient', combine: keepGradient }, inputXGradient.method, guidedBackprop.method, deconvolution.method];

async function noiseSource(ctx: ExplainContext): Promise<NoiseSource & { sigma: number | null }> {
  const file = typeof ctx.params.noise === 'string' && ctx.params.noise !== '' ? ctx.params.noise : null;
  if (file) {
    const tensor = await readTensorParam(file, 'the noise');
    const count = expectInputs(tensor, ctx.input.shape, 'The noise');
    const per = ctx.input.data.length;
    return { count, sigma: null, fill: (i, dst) => dst.set(tensor.data.subarray(i * per, (i + 1) * per)) };
  }
  const f = Math.fround;
  const { min, max } = valueRange(ctx.input.data);
  const sigma = f(f(Number(ctx.params.stdev ?? 0.15)) * f(max - min));
  const rng = seededRng(ctx);
  return {
    count: Number(ctx.params.samples ?? 8),
    sigma,
    // one stream per sample, so any sample can be drawn again on its own
    fill(i, dst) {
      const sampleRng = rng.fork(i);
      for (let k = 0; k < dst.length; k++) dst[k] = f(sigma * f(sampleRng.normal()));
    },
  };
}

export const smoothgrad: Explainer = {
  info: {
    id: 'smoothgrad',
    label: 'SmoothGrad / SmoothGrad² / VarGrad',
    family: 'gradient',
    needs: 'gradient',
    output: {
      shape: 'input shape [1, C, H, W]',
      meaning: 'the base method\'s attribution averaged over noisy copies of the input (smoothgrad), the mean of its squares (smoothgrad-sq) or its variance (vargrad)',
      signed: false,
      unit: 'base method\'s unit (squared for smoothgrad-sq and vargrad)',
    },
    reference: 'Captum NoiseTunnel(Saliency) nt_type smoothgrad | smoothgrad_sq | vargrad; Smilkov et al. 2017, Adebayo et al. 2018',
    params: [
      { name: 'variant', kind: 'enum', default: 'smoothgrad', options: [...NOISE_TUNNEL_VARIANTS], description: 'mean (smoothgrad), mean of squares (smoothgrad-sq) or variance (vargrad) over the samples' },
      { name: 'samples', kind: 'int', default: 8, min: 1, max: 10_000, description: 'noisy samples (Captum nt_samples); a noise file sets its own count' },
      { name: 'stdev', kind: 'number', default: 0.15, min: 0, max: 10, description: 'noise σ as a fraction of the input\'s value range max(x) − min(x)' },
      SEED_PARAM,
      { name: 'noise', kind: 'string', default: null, description: 'a .npy of the absolute noise [samples, …input shape without batch], replacing the seeded noise (exact reproduction)' },
      { name: 'base', kind: 'enum', default: 'saliency', options: BASE_METHODS.map((m) => m.id), description: 'the method the noise tunnel wraps (Captum NoiseTunnel\'s attribution method)' },
      SCORE_PARAM,
      GRADIENT_BATCH_PARAM,
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const variant = String(ctx.params.variant ?? 'smoothgrad') as NoiseTunnelVariant;
    const method = BASE_METHODS.find((m) => m.id === String(ctx.params.base ?? 'saliency'));
    if (!method) throw new ApiError('BAD_PARAMS', `smoothgrad: unknown base method "${String(ctx.params.base)}"`);
    const noise = await noiseSource(ctx);
    const { attribution, provider } = await noiseTunnel(ctx, method, variant, noise);
    return {
      attribution: { shape: ctx.input.shape, data: attribution },
      evaluations: noise.count,
      display: inputMapDisplay(ctx),
      provider,
      // the mean of a signed base method is signed; squares, variances and saliency are not
      heatmapSigned: variant === 'smoothgrad' && method.id !== 'saliency',
      stats: { variant, base: method.id, samples: noise.count, ...(noise.sigma === null ? { noise: 'file' } : { sigma: noise.sigma, seed: Number(ctx.params.seed ?? 0) }) },
    };
  },
};
