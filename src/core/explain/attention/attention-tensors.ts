// Where a transformer's attention probabilities are in an ONNX graph: the Softmax outputs of shape
// [1, heads, T, T] on the way to the logits, one per encoder block in forward order (timm's and the
// fixture ViTs' explicit `softmax(q·kᵀ·scale)`; fused attention ops hide them and are refused).
import { ApiError } from '../../../api/contract';
import { modelGraph, type GraphNode, type ModelGraph } from '../../model/graph';
import { targetGradients } from '../gradient/target-gradients';
import { tokenLayout, type TokenLayout } from '../tokens';
import type { ExplainContext } from '../types';

export interface AttentionTensor {
  /** the Softmax output holding [1, heads, T, T] attention probabilities */
  tensor: string;
  heads: number;
  tokens: number;
  node: GraphNode;
}

/** The attention Softmax outputs the logits depend on, in forward (block) order; empty for a model without them. */
export function attentionTensors(graph: ModelGraph): AttentionTensor[] {
  const upstream = graph.ancestors([graph.outputName]);
  const found: AttentionTensor[] = [];
  for (const node of graph.nodes) {
    if (node.opType !== 'Softmax' || !upstream.has(node)) continue;
    const shape = graph.shape(node.outputs[0]);
    if (!shape || shape.length !== 4 || shape[0] !== 1 || shape[2] !== shape[3] || shape[2] < 2) continue;
    found.push({ tensor: node.outputs[0], heads: shape[1], tokens: shape[2], node });
  }
  return found;
}

function requireAttention(graph: ModelGraph, method: string): AttentionTensor[] {
  const found = attentionTensors(graph);
  if (found.length === 0) {
    throw new ApiError(
      'BAD_MODEL',
      `${method} needs a transformer whose attention probabilities are graph tensors (Softmax outputs of shape [1, heads, T, T]); this model has none (fused attention ops do not expose them)`,
    );
  }
  const { tokens } = found[0];
  if (found.some((a) => a.tokens !== tokens)) throw new ApiError('BAD_MODEL', `${method}: the attention layers differ in token count (${found.map((a) => a.tokens).join(', ')})`);
  return found;
}

export interface AttentionMaps {
  layers: AttentionTensor[];
  /** per layer: the attention probabilities [heads, T, T] of the one image */
  maps: Float32Array[];
  /** per layer: d score / d attention, same shape */
  gradients: Float32Array[];
  layout: TokenLayout;
  provider: string;
}

/** Every layer's attention probabilities and their gradients for the target score (one run). */
export async function attentionMaps(ctx: ExplainContext, method: string): Promise<AttentionMaps> {
  const graph = await modelGraph(ctx.model);
  const layers = requireAttention(graph, method);
  const tokens = layers[0].tokens;
  const layout = tokenLayout(ctx.model, graph, tokens, null);
  const maps: Float32Array[] = [];
  const gradients: Float32Array[] = [];
  const { provider } = await targetGradients(ctx, {
    count: 1,
    fill: (_i, dst) => dst.set(ctx.input.data),
    consume(_i, sample) {
      for (const l of layers) {
        maps.push(sample.layers[l.tensor].activation.slice());
        gradients.push(sample.layers[l.tensor].gradient.slice());
      }
    },
    inputGradient: false,
    layers: layers.map((l) => l.tensor),
  });
  return { layers, maps, gradients, layout, provider };
}

/** Row `query` of a [T, T] matrix over the patch tokens, as a [gh, gw] map. */
export function patchRow(matrix: ArrayLike<number>, tokens: number, query: number, layout: TokenLayout): Float32Array {
  const count = layout.grid[0] * layout.grid[1];
  return Float32Array.from({ length: count }, (_, p) => matrix[query * tokens + layout.prefixTokens + p]);
}
