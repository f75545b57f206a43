// Attention rollout (Abnar & Zuidema 2020), following jacobgil/vit-explain rollout(): per layer the
// heads are fused (mean, max or min), the smallest discard_ratio of entries zeroed (never the class
// token's own entry), Â = (F + I)/2 row-normalised, R = Â·R from the first layer on; the result is the
// class token's row of R over the patches, [gh, gw]. The display scales it by its maximum.
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { attentionMaps, patchRow } from './attention-tensors';

export const HEAD_FUSIONS = ['mean', 'max', 'min'] as const;
export type HeadFusion = (typeof HEAD_FUSIONS)[number];

export interface RolloutOptions {
  fusion: HeadFusion;
  discardRatio: number;
  /** row: Â's rows sum to 1 (vit-explain's intent); vit-explain: its literal a / a.sum(dim=-1), which divides column j by row j's sum */
  normalisation: 'row' | 'vit-explain';
}

/** Heads fused into one [T, T] matrix, in float32 as torch's mean/max/min over the head axis. */
export function fuseHeads(attention: Float32Array, heads: number, tokens: number, fusion: HeadFusion): Float32Array {
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

/** The rollout matrix R [T, T] (float64) of per-layer attention [heads, T, T], first layer first. */
export function attentionRollout(layers: Float32Array[], heads: number, tokens: number, options: RolloutOptions): Float64Array {
  const size = tokens * tokens;
  let rollout = identity(tokens);
  for (const attention of layers) {
    const fused = fuseHeads(attention, heads, tokens, options.fusion);
    if (options.discardRatio > 0) {
      const count = Math.floor(size * options.discardRatio);
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => fused[a] - fused[b] || a - b);
      for (let k = 0; k < count; k++) if (order[k] !== 0) fused[order[k]] = 0;
    }
    const a = Float64Array.from(fused, (v, i) => (v + (i % (tokens + 1) === 0 ? 1 : 0)) / 2);
    const rowSums = new Float64Array(tokens);
    for (let i = 0; i < tokens; i++) for (let j = 0; j < tokens; j++) rowSums[i] += a[i * tokens + j];
    for (let i = 0; i < tokens; i++) for (let j = 0; j < tokens; j++) a[i * tokens + j] /= rowSums[options.normalisation === 'row' ? i : j];
    rollout = matmul(a, rollout, tokens);
  }
  return rollout;
}

export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

export function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j];
    }
  }
  return out;
}

export const attentionRolloutExplainer: Explainer = {
  info: {
    id: 'attention-rollout',
    label: 'Attention rollout',
    family: 'attention',
    needs: 'gradient',
    output: { shape: '[gh, gw] patch grid', meaning: 'attention flow from each patch to the class token through all layers (identity added for the residual path), class-agnostic', signed: false, unit: 'rolled-out attention' },
    reference: 'jacobgil/vit-explain rollout(); Abnar & Zuidema 2020',
    params: [
      { name: 'fusion', kind: 'enum', default: 'mean', options: [...HEAD_FUSIONS], description: 'how the heads of a layer are fused' },
      { name: 'discardRatio', kind: 'number', default: 0.9, min: 0, max: 0.999, description: 'share of the lowest fused attention entries set to 0 per layer (vit-explain\'s discard_ratio)' },
      { name: 'normalisation', kind: 'enum', default: 'row', options: ['row', 'vit-explain'], description: 'row-normalise Â (default), or vit-explain\'s literal a / a.sum(dim=-1)' },
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const maps = await attentionMaps(ctx, 'attention-rollout');
    const { tokens, heads } = maps.layers[0];
    const options: RolloutOptions = {
      fusion: String(ctx.params.fusion ?? 'mean') as HeadFusion,
      discardRatio: Number(ctx.params.discardRatio ?? 0.9),
      normalisation: ctx.params.normalisation === 'vit-explain' ? 'vit-explain' : 'row',
    };
    const rollout = attentionRollout(maps.maps, heads, tokens, options);
    return rolloutOutput(ctx, patchRow(rollout, tokens, 0, maps.layout), maps.layout.grid, maps.provider, { layers: maps.layers.length, heads, ...options });
  },
};

/** A class-token relevance map [gh, gw] as a result: scaled by its maximum and resized for display. */
export function rolloutOutput(ctx: ExplainContext, map: Float32Array, grid: [number, number], provider: string, stats: Record<string, string | number>): ExplainOutput {
  const { height, width } = ctx.model.preprocessing;
  return {
    attribution: { shape: [...grid], data: map },
    evaluations: 1,
    display: [
      { op: 'normalise', args: { how: 'max' } },
      { op: 'resize', args: { height, width, mode: 'bilinear' } },
    ],
    provider,
    stats,
  };
}
