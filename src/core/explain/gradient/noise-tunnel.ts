// The noise tunnel: a one-gradient method (saliency, gradient, input × gradient, guided backprop,
// deconvolution) averaged over noisy copies of the input — matches Captum NoiseTunnel with
// nt_type smoothgrad (mean), smoothgrad_sq (mean of squares) and vargrad (variance). Noise is
// seeded Gaussian with σ = stdev · (max(x) − min(x)) in float32, or an explicit tensor.
import type { ExplainContext } from '../types';
import type { InputGradientMethod } from './input-gradient-method';
import { targetGradients } from './target-gradients';

export const NOISE_TUNNEL_VARIANTS = ['smoothgrad', 'smoothgrad-sq', 'vargrad'] as const;
export type NoiseTunnelVariant = (typeof NOISE_TUNNEL_VARIANTS)[number];

export interface NoiseSource {
  count: number;
  /** writes the absolute noise of sample `index` (the input's shape) into dst */
  fill(index: number, dst: Float32Array): void;
}

/** The aggregated attribution over `noise.count` samples x + noiseᵢ. */
export async function noiseTunnel(ctx: ExplainContext, method: InputGradientMethod, variant: NoiseTunnelVariant, noise: NoiseSource): Promise<{ attribution: Float32Array; provider: string }> {
  const x = ctx.input.data;
  const sum = new Float64Array(x.length);
  const sumSquares = new Float64Array(x.length);
  const noisy = new Map<number, Float32Array>();
  const attribution = new Float32Array(x.length);
  const noiseBuffer = new Float32Array(x.length);
  const { provider } = await targetGradients(ctx, {
    count: noise.count,
    fill(i, dst) {
      noise.fill(i, noiseBuffer);
      for (let k = 0; k < dst.length; k++) dst[k] = Math.fround(x[k] + noiseBuffer[k]);
      // input × gradient multiplies by the noisy input, as Captum's wrapped method sees it
      noisy.set(i, dst.slice());
    },
    consume(i, sample) {
      method.combine(noisy.get(i)!, sample.input!, attribution);
      noisy.delete(i);
      for (let k = 0; k < attribution.length; k++) {
        const a = attribution[k];
        sum[k] += a;
        sumSquares[k] += a * a;
      }
    },
    ruleSet: method.ruleSet,
  });
  const n = noise.count;
  for (let k = 0; k < x.length; k++) {
    const mean = sum[k] / n;
    const meanSquare = sumSquares[k] / n;
    attribution[k] = variant === 'smoothgrad' ? mean : variant === 'smoothgrad-sq' ? meanSquare : meanSquare - mean * mean;
  }
  return { attribution, provider };
}
