// The CAM family's one explainer (as pytorch-grad-cam's BaseCAM): it resolves the target layer, gets
// the layer's activation A and gradient G for the target score ([C, h, w]; ViT tokens reshaped to the
// patch grid as vit_reshape_transform), asks a weight rule for weights W (one per channel, or one per
// element), and returns the raw signed map Σ_c W_c · A_c at layer resolution [h, w] — get_cam_image
// before its ReLU. ReLU, min–max scaling and the bilinear upsampling are recorded display steps.
import type { ParamSpec } from '../../../api/schemas';
import type { DisplayStep, ExplainContext, ExplainOutput, Explainer } from '../types';
import { modelGraph } from '../../model/graph';
import { tokensToGrid } from '../tokens';
import { SCORE_PARAM, targetGradients } from '../gradient/target-gradients';
import { resolveCamLayer, type CamLayer } from './target-layer';

/** A layer's maps for one image: A and G as [C, h, w] (G null for gradient-free rules). */
export interface CamMaps {
  activation: Float32Array;
  gradient: Float32Array | null;
  channels: number;
  height: number;
  width: number;
}

export interface CamWeightRule {
  id: string;
  label: string;
  reference: string;
  /** what the raw map means, for the method's description */
  meaning: string;
  needsGradient: boolean;
  params?: ParamSpec[];
  /** channel weights [C], or per-element weights [C·h·w] (HiResCAM, LayerCAM) */
  weights(maps: CamMaps, ctx: ExplainContext, layer: CamLayer): Promise<Float32Array> | Float32Array;
}

export const LAYER_PARAM: ParamSpec = {
  name: 'layer',
  kind: 'string',
  default: null,
  description: 'ONNX tensor of the target layer ([1, C, h, w] or ViT tokens [1, T, D]); empty = the model card\'s, else automatic (last map before global pooling; a ViT\'s last-block norm1)',
};

const NORMALISE_PARAM: ParamSpec = {
  name: 'normalise',
  kind: 'enum',
  default: 'min-max',
  options: ['min-max', 'none'],
  description: 'display scaling: min-max per map (pytorch-grad-cam) or none (raw units after ReLU, comparable across images)',
};

export interface CamResult {
  raw: Float32Array;
  layer: CamLayer;
  maps: CamMaps;
  provider: string;
  evaluations: number;
}

/** The layer's activation and gradient for the target score, as [C, h, w] maps. */
async function camMaps(ctx: ExplainContext): Promise<{ maps: CamMaps; layer: CamLayer; provider: string }> {
  const graph = await modelGraph(ctx.model);
  const requested = typeof ctx.params.layer === 'string' && ctx.params.layer !== '' ? ctx.params.layer : null;
  const layer = resolveCamLayer(ctx.model, graph, requested);
  let activation: Float32Array = new Float32Array(0);
  let gradient: Float32Array = new Float32Array(0);
  const { provider } = await targetGradients(ctx, {
    count: 1,
    fill: (_i, dst) => dst.set(ctx.input.data),
    consume(_i, sample) {
      const l = sample.layers[layer.tensor];
      const toMap = (t: Float32Array) => (layer.tokens ? tokensToGrid(t, layer.shape[1], layer.shape[2], layer.tokens) : t.slice());
      [activation, gradient] = [toMap(l.activation), toMap(l.gradient)];
    },
    inputGradient: false,
    layers: [layer.tensor],
  });
  return { maps: { activation, gradient, channels: layer.channels, height: layer.height, width: layer.width }, layer, provider };
}

/** The raw CAM of a rule: Σ_c W_c · A_c at layer resolution. */
export async function computeCam(ctx: ExplainContext, rule: CamWeightRule): Promise<CamResult> {
  const { maps, layer, provider } = await camMaps(ctx);
  const weights = await rule.weights(rule.needsGradient ? maps : { ...maps, gradient: null }, ctx, layer);
  const plane = maps.height * maps.width;
  const perElement = weights.length === maps.channels * plane;
  const sums = new Float64Array(plane);
  for (let c = 0; c < maps.channels; c++) {
    for (let p = 0; p < plane; p++) sums[p] += (perElement ? weights[c * plane + p] : weights[c]) * maps.activation[c * plane + p];
  }
  return { raw: Float32Array.from(sums), layer, maps, provider, evaluations: rule.needsGradient ? 1 : 1 + maps.channels };
}

/** pytorch-grad-cam's post-processing as display steps: ReLU, min–max, bilinear to the input size, ReLU, min–max. */
function camDisplay(ctx: ExplainContext): DisplayStep[] {
  const { height, width } = ctx.model.preprocessing;
  const resize: DisplayStep = { op: 'resize', args: { height, width, mode: 'bilinear' } };
  if (ctx.params.normalise === 'none') return [{ op: 'relu', args: {} }, resize];
  const scale: DisplayStep = { op: 'normalise', args: { how: 'min-max', eps: 1e-7 } };
  return [{ op: 'relu', args: {} }, scale, resize, { op: 'relu', args: {} }, scale];
}

export function layerStats(layer: CamLayer): Record<string, string | number> {
  return {
    layer: layer.tensor,
    layerShape: layer.shape.join('×'),
    layerSource: layer.source,
    ...(layer.tokens ? { prefixTokens: layer.tokens.prefixTokens, grid: layer.tokens.grid.join('×') } : {}),
  };
}

export function camExplainer(rule: CamWeightRule): Explainer {
  return {
    info: {
      id: rule.id,
      label: rule.label,
      family: 'cam',
      // Score-CAM's masked inputs are forward passes; its activation comes from a layer run of the gradient model
      needs: 'gradient',
      output: { shape: 'layer resolution [h, w]', meaning: rule.meaning, signed: true, unit: 'CAM units (activation × weight)' },
      reference: rule.reference,
      params: [LAYER_PARAM, ...(rule.params ?? []), NORMALISE_PARAM, SCORE_PARAM],
    },
    async run(ctx: ExplainContext): Promise<ExplainOutput> {
      const cam = await computeCam(ctx, rule);
      return {
        attribution: { shape: [cam.maps.height, cam.maps.width], data: cam.raw },
        evaluations: cam.evaluations,
        display: camDisplay(ctx),
        provider: cam.provider,
        heatmapSigned: false,
        stats: layerStats(cam.layer),
      };
    },
  };
}
