// Gradient-weighted attention rollout after Chefer et al. 2021 ("Generic attention-model
// explainability", their generate_relevance): per layer Ā = mean over heads of (∇A ⊙ A)⁺ with ∇A the
// target score's gradient, R ← R + Ā·R from R = I; the result is the class token's row of R over the
// patches [gh, gw] — class-specific, unlike plain rollout.
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { SCORE_PARAM } from '../gradient/target-gradients';
import { attentionMaps, patchRow } from './attention-tensors';
import { identity, matmul, rolloutOutput } from './attention-rollout';

/** R [T, T] from per-layer attention and its gradient ([heads, T, T] each), first layer first. */
export function gradientRollout(maps: Float32Array[], gradients: Float32Array[], heads: number, tokens: number): Float64Array {
  const size = tokens * tokens;
  let relevance = identity(tokens);
  maps.forEach((attention, l) => {
    const fused = new Float64Array(size);
    for (let h = 0; h < heads; h++) for (let i = 0; i < size; i++) fused[i] += Math.max(gradients[l][h * size + i] * attention[h * size + i], 0) / heads;
    const added = matmul(fused, relevance, tokens);
    relevance = relevance.map((r, i) => r + added[i]);
  });
  return relevance;
}

export const attentionGradientRollout: Explainer = {
  info: {
    id: 'attention-gradient-rollout',
    label: 'Gradient-weighted attention rollout',
    family: 'attention',
    needs: 'gradient',
    output: { shape: '[gh, gw] patch grid', meaning: 'relevance of each patch to the class token for the target class: attention weighted by the positive part of its gradient, accumulated over the layers', signed: false, unit: 'relevance' },
    reference: 'Chefer, Gur & Wolf 2021, generate_relevance (Transformer-MM-Explainability)',
    params: [SCORE_PARAM],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const maps = await attentionMaps(ctx, 'attention-gradient-rollout');
    const { tokens, heads } = maps.layers[0];
    const relevance = gradientRollout(maps.maps, maps.gradients, heads, tokens);
    return rolloutOutput(ctx, patchRow(relevance, tokens, 0, maps.layout), maps.layout.grid, maps.provider, { layers: maps.layers.length, heads });
  },
};
