// Gradient-weighted attention rollout after Chefer et al. 2021 ("Generic attention-model
// explainability", their generate_relevance): per layer Ā = mean over heads of (∇A ⊙ A)⁺ with ∇A the
// target score's gradient, R ← R + Ā·R from R = I; the result is the class token's row of R over the
// patches [gh, gw] — class-specific, unlike plain rollout.
import { SCORE_PARAM } from '../gradient/target-gradients';
import { classTokenRelevanceExplainer, rowOfProduct } from './attention-rollout';

/**
 * Row `query` of R = (I + Ā_L)···(I + Ā_1), which is what R ← R + Ā·R builds from R = I, from per-layer
 * attention and its gradient ([heads, T, T] each), first layer first.
 */
function gradientRollout(maps: Float32Array[], gradients: Float32Array[], heads: number, tokens: number, query = 0): Float64Array {
  const size = tokens * tokens;
  const steps = maps.map((attention, l) => {
    const step = new Float64Array(size);
    for (let h = 0; h < heads; h++) for (let i = 0; i < size; i++) step[i] += Math.max(gradients[l][h * size + i] * attention[h * size + i], 0) / heads;
    for (let i = 0; i < tokens; i++) step[i * tokens + i] += 1;
    return step;
  });
  return rowOfProduct(steps, tokens, query);
}

export const attentionGradientRollout = classTokenRelevanceExplainer(
  {
    id: 'attention-gradient-rollout',
    label: 'Gradient-weighted attention rollout',
    meaning: 'relevance of each patch to the class token for the target class: attention weighted by the positive part of its gradient, accumulated over the layers',
    unit: 'relevance',
    reference: 'Chefer, Gur & Wolf 2021, generate_relevance (Transformer-MM-Explainability)',
    params: [SCORE_PARAM],
  },
  (maps) => ({ row: gradientRollout(maps.maps, maps.gradients, maps.layers[0].heads, maps.layers[0].tokens), stats: {} }),
);
