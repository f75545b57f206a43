// Attention rollout (Abnar & Zuidema 2020), following jacobgil/vit-explain rollout(): per layer the
// heads are fused (mean, max or min), the smallest discard_ratio of entries zeroed (never the class
// token's own entry), Â = (F + I)/2 row-normalised, R = Â·R from the first layer on; the result is the
// class token's row of R over the patches, [gh, gw]. The display scales it by its maximum.
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { attentionMaps, patchRow, type AttentionMaps } from './attention-tensors';

const HEAD_FUSIONS = ['mean', 'max', 'min'] as const;
export type HeadFusion = (typeof HEAD_FUSIONS)[number];

export interface RolloutOptions {
  fusion: HeadFusion;
  discardRatio: number;
  /** row: Â's rows sum to 1 (vit-explain's intent); vit-explain: its literal a / a.sum(dim=-1), which divides column j by row j's sum */
  normalisation: 'row' | 'vit-explain';
}

/** Heads fused into one [T, T] matrix, in float32 as torch's mean/max/min over the head axis. */
function fuseHeads(attention: Float32Array, heads: number, tokens: number, fusion: HeadFusion): Float32Array {
  const size = tokens * tokens;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let acc = attention[i];
    for (let h = 1; h < heads; h++) {
      const v = attention[h * size + i];
      acc = fusion === 'mean' ? Math.fround(acc + v) : fusion === 'max' ? Math.max(acc, v) : Math.min(acc, v);
    }
    out[i] = fusion === 'mean' ? acc / heads : acc;
  }
  return out;
}

/** Â of one layer [T, T] (float64): heads fused, the lowest entries discarded, identity added, normalised. */
function rolloutStep(attention: Float32Array, heads: number, tokens: number, options: RolloutOptions): Float64Array {
  const size = tokens * tokens;
  const fused = fuseHeads(attention, heads, tokens, options.fusion);
  if (options.discardRatio > 0) {
    // the `count` smallest entries (torch.topk(largest=False)), ties in index order, except entry 0
    const count = Math.floor(size * options.discardRatio);
    const threshold = Float32Array.from(fused).sort()[count - 1];
    let below = 0;
    for (const v of fused) if (v < threshold) below++;
    let atThreshold = count - below;
    for (let i = 0; i < size; i++) {
      const drop = fused[i] < threshold || (fused[i] === threshold && atThreshold-- > 0);
      if (drop && i !== 0) fused[i] = 0;
    }
  }
  const a = Float64Array.from(fused, (v, i) => (v + (i % (tokens + 1) === 0 ? 1 : 0)) / 2);
  const rowSums = new Float64Array(tokens);
  for (let i = 0; i < tokens; i++) for (let j = 0; j < tokens; j++) rowSums[i] += a[i * tokens + j];
  for (let i = 0; i < tokens; i++) for (let j = 0; j < tokens; j++) a[i * tokens + j] /= rowSums[options.normalisation === 'row' ? i : j];
  return a;
}

/**
 * Row `query` of the rollout R = Â_L ··· Â_1 (per-layer attention [heads, T, T], first layer first),
 * as (e_query·Â_L)·Â_{L−1}… — O(L·T²) instead of the full product's O(L·T³).
 */
export function attentionRollout(layers: Float32Array[], heads: number, tokens: number, options: RolloutOptions, query = 0): Float64Array {
  return rowOfProduct(layers.map((attention) => rolloutStep(attention, heads, tokens, options)), tokens, query);
}

/** Row `query` of M_L ··· M_1 for per-layer [T, T] matrices given first layer first. */
export function rowOfProduct(matrices: Float64Array[], tokens: number, query: number): Float64Array {
  let row = new Float64Array(tokens);
  row[query] = 1;
  for (const m of [...matrices].reverse()) {
    const next = new Float64Array(tokens);
    for (let k = 0; k < tokens; k++) {
      const rk = row[k];
      if (rk !== 0) for (let j = 0; j < tokens; j++) next[j] += rk * m[k * tokens + j];
    }
    row = next;
  }
  return row;
}

/**
 * An explainer whose result is the class token's row of a [T, T] relevance matrix computed from every
 * layer's attention (and gradients): [gh, gw], displayed ÷ max and resized to the input.
 */
export function classTokenRelevanceExplainer(
  info: Omit<Explainer['info'], 'family' | 'needs' | 'output'> & { meaning: string; unit: string },
  /** the class token's row of the relevance matrix, [T] */
  relevance: (maps: AttentionMaps, ctx: ExplainContext) => { row: Float64Array; stats: Record<string, string | number> },
): Explainer {
  const { meaning, unit, ...rest } = info;
  return {
    info: { ...rest, family: 'attention', needs: 'gradient', output: { shape: '[gh, gw] patch grid', meaning, signed: false, unit } },
    async run(ctx: ExplainContext): Promise<ExplainOutput> {
      const maps = await attentionMaps(ctx, info.id);
      const { row, stats } = relevance(maps, ctx);
      const { height, width } = ctx.model.preprocessing;
      return {
        attribution: { shape: [...maps.layout.grid], data: patchRow(row, maps.layers[0].tokens, 0, maps.layout) },
        evaluations: 1,
        display: [
          { op: 'normalise', args: { how: 'max' } },
          { op: 'resize', args: { height, width, mode: 'bilinear' } },
        ],
        provider: maps.provider,
        stats: { layers: maps.layers.length, heads: maps.layers[0].heads, ...stats },
      };
    },
  };
}

export const attentionRolloutExplainer = classTokenRelevanceExplainer(
  {
    id: 'attention-rollout',
    label: 'Attention rollout',
    meaning: 'attention flow from each patch to the class token through all layers (identity added for the residual path), class-agnostic',
    unit: 'rolled-out attention',
    reference: 'jacobgil/vit-explain rollout(); Abnar & Zuidema 2020',
    params: [
      { name: 'fusion', kind: 'enum', default: 'mean', options: [...HEAD_FUSIONS], description: 'how the heads of a layer are fused' },
      { name: 'discardRatio', kind: 'number', default: 0.9, min: 0, max: 0.999, description: 'share of the lowest fused attention entries set to 0 per layer (vit-explain\'s discard_ratio)' },
      { name: 'normalisation', kind: 'enum', default: 'row', options: ['row', 'vit-explain'], description: 'row-normalise Â (default), or vit-explain\'s literal a / a.sum(dim=-1)' },
    ],
  },
  (maps, ctx) => {
    const options: RolloutOptions = {
      fusion: String(ctx.params.fusion ?? 'mean') as HeadFusion,
      discardRatio: Number(ctx.params.discardRatio ?? 0.9),
      normalisation: ctx.params.normalisation === 'vit-explain' ? 'vit-explain' : 'row',
    };
    return { row: attentionRollout(maps.maps, maps.layers[0].heads, maps.layers[0].tokens, options), stats: { ...options } };
  },
);
