// The methods that are one input gradient turned into an attribution (Captum's Saliency,
// InputXGradient, GuidedBackprop, Deconvolution): a VJP rule set and an elementwise combination of
// the input x and the gradient g. One explainer factory serves them all, and the noise tunnel
// (SmoothGrad) wraps any of them.
import type { RuleSet } from '../../autodiff/rules';
import type { DisplayStep, ExplainContext, ExplainOutput, Explainer } from '../types';
import { SCORE_PARAM, targetGradients } from './target-gradients';

export interface InputGradientMethod {
  id: string;
  /** replaced backward rules (guided backprop, deconvolution); default the standard set */
  ruleSet?: RuleSet;
  /** writes the attribution of input x with gradient g into out (all the input's shape) */
  combine(x: Float32Array, g: Float32Array, out: Float32Array): void;
}

/** The identity combination: the (rule set's) gradient itself. */
export const keepGradient = (_x: Float32Array, g: Float32Array, out: Float32Array) => out.set(g);

/** The signed channel sum at model-input resolution, as the gradient explainer shows the input gradient. */
export function inputMapDisplay(ctx: ExplainContext): DisplayStep[] {
  return [{ op: 'reduce-channels', args: { how: 'sum', layout: ctx.model.preprocessing.layout } }];
}

/** The attribution of one method at the context's input (one forward + backward run). */
export async function attributeOnce(ctx: ExplainContext, method: InputGradientMethod): Promise<{ attribution: Float32Array; provider: string }> {
  const x = ctx.input.data;
  const attribution = new Float32Array(x.length);
  const { provider } = await targetGradients(ctx, {
    count: 1,
    fill: (_i, dst) => dst.set(x),
    consume: (_i, sample) => method.combine(x, sample.input!, attribution),
    ruleSet: method.ruleSet,
  });
  return { attribution, provider };
}

export interface InputGradientSpec extends InputGradientMethod {
  label: string;
  reference: string;
  output: Explainer['info']['output'];
}

/** The explainer of a one-gradient method; `method` is what the noise tunnel wraps. */
export function inputGradientExplainer(spec: InputGradientSpec): Explainer & { method: InputGradientMethod } {
  const method: InputGradientMethod = { id: spec.id, ruleSet: spec.ruleSet, combine: spec.combine };
  return {
    method,
    info: { id: spec.id, label: spec.label, family: 'gradient', needs: 'gradient', output: spec.output, reference: spec.reference, params: [SCORE_PARAM] },
    async run(ctx: ExplainContext): Promise<ExplainOutput> {
      const { attribution, provider } = await attributeOnce(ctx, method);
      return { attribution: { shape: ctx.input.shape, data: attribution }, evaluations: 1, display: inputMapDisplay(ctx), provider };
    },
  };
}
