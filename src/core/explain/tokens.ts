// Transformer tokens on the patch grid: how many prefix tokens (class, distillation) come before the
// patches and what the grid is — from the model card's explainer.tokenLayout, else from the
// patch-embedding Conv's output grid, else the largest square — and the reshape of a [1, T, D]
// tensor to channels-first [D, gh, gw] that pytorch-grad-cam's vit_reshape_transform does.
import { ApiError } from '../../api/contract';
import type { ModelInfo } from '../../api/schemas';
import type { ModelGraph } from '../model/graph';

export interface TokenLayout {
  prefixTokens: number;
  grid: [number, number];
}

/** The layout of `tokens` tokens of width `width` (the token dimension D, used to find the patch embedding). */
export function tokenLayout(model: ModelInfo, graph: ModelGraph | null, tokens: number, width: number | null): TokenLayout {
  const card = model.tokenLayout;
  if (card) {
    const prefixTokens = card.classTokens;
    if (prefixTokens + card.grid[0] * card.grid[1] !== tokens) {
      throw new ApiError('BAD_MODEL', `The model card's tokenLayout (${prefixTokens} + ${card.grid[0]}×${card.grid[1]}) does not add up to the ${tokens} tokens of the layer`);
    }
    return { prefixTokens, grid: [card.grid[0], card.grid[1]] };
  }
  // The patch embedding: a Conv whose output [1, D, gh, gw] has the token width and leaves a few prefix tokens.
  for (const node of graph?.nodes ?? []) {
    if (node.opType !== 'Conv') continue;
    const shape = graph!.shape(node.outputs[0]);
    if (!shape || shape.length !== 4 || (width !== null && shape[1] !== width)) continue;
    const prefix = tokens - shape[2] * shape[3];
    if (prefix >= 0 && prefix <= 8) return { prefixTokens: prefix, grid: [shape[2], shape[3]] };
  }
  const side = Math.floor(Math.sqrt(tokens));
  if (side < 2 || tokens - side * side > 8) {
    throw new ApiError('BAD_MODEL', `Cannot lay ${tokens} tokens on a patch grid; set explainer.tokenLayout {classTokens, grid} in the model card`);
  }
  return { prefixTokens: tokens - side * side, grid: [side, side] };
}

/** [1, T, D] tokens (batch element `b` of a batch) → [D, gh, gw] channels-first, prefix tokens dropped. */
export function tokensToGrid(data: Float32Array, tokens: number, width: number, layout: TokenLayout, b = 0): Float32Array {
  const [gh, gw] = layout.grid;
  const plane = gh * gw;
  const out = new Float32Array(width * plane);
  const base = b * tokens * width + layout.prefixTokens * width;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < width; c++) out[c * plane + p] = data[base + p * width + c];
  }
  return out;
}
