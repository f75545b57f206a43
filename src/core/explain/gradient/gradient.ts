// The raw signed gradient of the target logit: d logit[target] / d input (input shape, matches
// Captum Saliency(abs=False)), or with `layer` d logit[target] / d that ONNX tensor (its shape, batch
// kept; matches captum's compute_layer_gradients_and_eval). Display: the sum over channels (signed).
import { ApiError } from '../../../api/contract';
import { layerMapStep } from '../../display/layer-map';
import { modelGraph } from '../../model/graph';
import { tokenLayout, type TokenLayout } from '../tokens';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { inputMapDisplay } from './input-gradient-method';

export const gradient: Explainer = {
  info: {
    id: 'gradient',
    label: 'Gradient',
    family: 'gradient',
    needs: 'gradient',
    output: {
      shape: 'input shape [1, C, H, W]; with layer: that tensor\'s shape (batch kept)',
      meaning: 'signed derivative of the target logit with respect to each input element (or layer element)',
      signed: true,
      unit: 'Δ logit per unit',
    },
    reference: 'Captum Saliency(abs=False); with layer: captum compute_layer_gradients_and_eval',
    params: [
      {
        name: 'layer',
        kind: 'string',
        default: null,
        description: 'ONNX tensor name of an intermediate activation: return the gradient with respect to it instead of the input',
      },
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const layer = typeof ctx.params.layer === 'string' && ctx.params.layer !== '' ? ctx.params.layer : null;
    const seeds = new Float32Array(ctx.model.numClasses);
    seeds[ctx.target] = 1;
    ctx.progress(0, 1);
    const result = await ctx.gradients.run({ inputs: ctx.input.data, batch: 1, seeds, layers: layer ? [layer] : [], inputGradient: layer === null });
    ctx.progress(1, 1);
    if (layer) {
      const attribution = result.layers[layer].gradient;
      return { attribution, evaluations: 1, display: [layerMapStep(attribution.shape, ctx.model.preprocessing.layout, await patchGrid(ctx, attribution.shape))], provider: result.provider };
    }
    return { attribution: result.inputGradient!, evaluations: 1, display: inputMapDisplay(ctx), provider: result.provider };
  },
};

/** The patch grid of a [1, T, D] token layer, laid out as the CAMs and attention maps lay it (the card's, else the graph's); null when it has none. */
async function patchGrid(ctx: ExplainContext, shape: readonly number[]): Promise<TokenLayout | null> {
  if (shape.length !== 3 || shape[0] !== 1) return null;
  try {
    return tokenLayout(ctx.model, await modelGraph(ctx.model), shape[1], shape[2]);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'BAD_MODEL') return null; // shown as its [T, D] matrix
    throw error;
  }
}
