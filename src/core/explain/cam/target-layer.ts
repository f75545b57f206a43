// The CAM target layer: named (the `layer` parameter, then the card's explainer.targetLayer) or chosen
// automatically. CNNs: the last 4-D activation that feeds global spatial pooling, walking back past a
// convolutional classifier whose channel count equals the class count (SqueezeNet's final Conv+ReLU).
// ViTs: the output of the first LayerNormalization of the last encoder block (norm1, as
// pytorch-grad-cam's ViT tutorial), tokens laid on the patch grid without the prefix tokens.
import { ApiError } from '../../../api/contract';
import type { ModelInfo } from '../../../api/schemas';
import type { GraphNode, ModelGraph } from '../../model/graph';
import { attentionTensors } from '../attention/attention-tensors';
import { tokenLayout, type TokenLayout } from '../tokens';

export interface CamLayer {
  tensor: string;
  /** the tensor's shape at batch 1: [1, C, h, w] or [1, T, D] */
  shape: number[];
  /** set for token layers [1, T, D] */
  tokens: TokenLayout | null;
  /** how it was chosen, for the record */
  source: 'parameter' | 'model card' | 'automatic';
  /** [C, h, w] of the map the CAM weighs */
  channels: number;
  height: number;
  width: number;
}

/** Ops that keep a map's layout and act per element: walked through from a pooling back to a classifier conv. */
const PASS_THROUGH = new Set(['Relu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Elu', 'Identity', 'Dropout', 'Softmax', 'Tanh']);

export function resolveCamLayer(model: ModelInfo, graph: ModelGraph, requested: string | null): CamLayer {
  if (requested) return describeLayer(model, graph, requested, 'parameter');
  if (model.targetLayer) return describeLayer(model, graph, model.targetLayer, 'model card');
  return describeLayer(model, graph, automaticCamLayer(model, graph), 'automatic');
}

/** The tensor the automatic rule picks (see the file header). */
export function automaticCamLayer(model: ModelInfo, graph: ModelGraph): string {
  const attention = attentionTensors(graph);
  return attention.length > 0 ? transformerLayer(graph, attention.at(-1)!.node) : convolutionalLayer(model, graph);
}

function convolutionalLayer(model: ModelInfo, graph: ModelGraph): string {
  const upstream = graph.ancestors([graph.outputName]);
  const pools = graph.nodes.filter((n) => n.globalSpatialPool && upstream.has(n));
  const pool = pools.at(-1);
  if (!pool) {
    throw new ApiError('BAD_PARAMS', 'No automatic CAM layer: the model has no global spatial pooling of a 4-D activation (and no attention); name one with --layer or explainer.targetLayer in the model card');
  }
  let tensor = pool.inputs[0];
  // A classifier made of a convolution with one channel per class (SqueezeNet): the CAM layer is its input.
  if (graph.shape(tensor)?.[1] === model.numClasses) {
    let node = graph.producer(tensor);
    while (node && PASS_THROUGH.has(node.opType)) node = graph.producer(node.inputs[0]);
    if (node?.opType === 'Conv' && graph.shape(node.inputs[0])?.length === 4) tensor = node.inputs[0];
  }
  return tensor;
}

function transformerLayer(graph: ModelGraph, lastAttention: GraphNode): string {
  const before = [...graph.ancestors(lastAttention.inputs)].sort((a, b) => b.index - a.index);
  const tokens = graph.shape(lastAttention.outputs[0])![2];
  const isTokens = (t: string) => {
    const s = graph.shape(t);
    return !!s && s.length === 3 && s[1] === tokens;
  };
  const norm = before.find((n) => n.opType === 'LayerNormalization' && isTokens(n.outputs[0]));
  if (norm) return norm.outputs[0];
  // A decomposed LayerNorm: in a pre-norm block its output is what the q/k/v projection reads.
  const projection = before.find((n) => (n.opType === 'MatMul' || n.opType === 'Gemm') && isTokens(n.inputs[0]) && graph.isConstant(n.inputs[1]));
  if (projection) return projection.inputs[0];
  throw new ApiError('BAD_PARAMS', 'No automatic CAM layer: the last attention block has no token LayerNormalization; name one with --layer');
}

function describeLayer(model: ModelInfo, graph: ModelGraph, tensor: string, source: CamLayer['source']): CamLayer {
  const shape = graph.shape(tensor);
  if (!shape) {
    const known = graph.producer(tensor) || graph.consumers(tensor).length > 0;
    throw new ApiError('BAD_PARAMS', known ? `The shape of "${tensor}" cannot be inferred statically` : `No tensor named "${tensor}" in the model`);
  }
  if (shape.length === 4 && shape[0] === 1) return { tensor, shape, tokens: null, source, channels: shape[1], height: shape[2], width: shape[3] };
  if (shape.length === 3 && shape[0] === 1) {
    const layout = tokenLayout(model, graph, shape[1], shape[2]);
    return { tensor, shape, tokens: layout, source, channels: shape[2], height: layout.grid[0], width: layout.grid[1] };
  }
  throw new ApiError('BAD_PARAMS', `CAM layer "${tensor}" has shape [${shape.join(', ')}]; a CAM needs a [1, C, h, w] map or [1, T, D] transformer tokens`);
}
