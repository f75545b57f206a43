// Re-initialises a model's learned weights in its ONNX graph, for the model-parameter randomisation
// sanity check (Adebayo et al., "Sanity checks for saliency maps", NeurIPS 2018): lists the
// parametrised layers in graph (forward) order and rewrites chosen ones with seeded truncated-normal
// values of the original tensor's spread, leaving everything else of the model byte-identical.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type TensorProto } from 'onnx-buf';
import { decodeTensor, ElemType, makeTensor } from '../autodiff/onnx/tensor';
import { Prng } from '../random/prng';

export interface ParametrisedLayer {
  /** a readable name: an initializer's name without ".weight"/".bias" (torch's own, e.g. "blocks.2.mlp.0"), else the node's */
  name: string;
  opType: string;
  /** the float initializers this layer owns: weights (rank ≥ 2) and biases (rank 1) */
  initializers: string[];
}

function isFloatInitializer(tensor: TensorProto | undefined): tensor is TensorProto {
  return tensor !== undefined && tensor.dataType === ElemType.FLOAT;
}

/**
 * The layers with learned weights, in forward order: each node consuming a float initializer of
 * rank ≥ 2 (Conv, Gemm, MatMul, an embedding Add …) with its own 1-D float inputs, plus the bias of
 * an Add that directly follows a MatMul (how torch exports a Linear on 3-D input).
 */
export function parametrisedLayers(model: ModelProto): ParametrisedLayer[] {
  const graph = model.graph;
  if (!graph) return [];
  const initializers = new Map(graph.initializer.map((t) => [t.name, t]));
  const claimed = new Set<string>();
  const layers: ParametrisedLayer[] = [];
  const producerOf = new Map<string, number>();
  graph.node.forEach((node, index) => node.output.forEach((o) => producerOf.set(o, index)));
  const layerOfNode = new Map<number, ParametrisedLayer>();
  graph.node.forEach((node, index) => {
    const floats = node.input.map((name) => initializers.get(name)).filter(isFloatInitializer);
    const weights = floats.filter((t) => t.dims.length >= 2 && !claimed.has(t.name));
    if (weights.length > 0) {
      const owned = floats.filter((t) => !claimed.has(t.name)).map((t) => t.name);
      owned.forEach((n) => claimed.add(n));
      const layer = { name: node.name || `${node.opType} ${index}`, opType: node.opType, initializers: owned };
      layers.push(layer);
      layerOfNode.set(index, layer);
      return;
    }
    // the bias Add after a MatMul belongs to the MatMul's layer
    if (node.opType === 'Add' && floats.length === 1 && floats[0].dims.length === 1 && !claimed.has(floats[0].name)) {
      const other = node.input.find((name) => !initializers.has(name));
      const producer = other !== undefined ? producerOf.get(other) : undefined;
      const layer = producer !== undefined ? layerOfNode.get(producer) : undefined;
      if (layer && graph.node[producer!].opType === 'MatMul') {
        layer.initializers.push(floats[0].name);
        claimed.add(floats[0].name);
      }
    }
  });
  // torch exports a Linear's transposed weight as "onnx::MatMul_N"; its bias keeps the module's name
  for (const layer of layers) {
    const named = layer.initializers.find((n) => !n.startsWith('onnx::'));
    if (named) layer.name = named.replace(/\.(weight|bias)$/, '');
  }
  return layers;
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  return fromBinary(ModelProtoSchema, bytes);
}

/** Seeded N(0, σ) values truncated at ±2σ (resampled), σ = the original values' standard deviation. */
function truncatedNormalLike(values: readonly number[], rng: Prng): number[] {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sigma = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return values.map(() => {
    if (sigma === 0) return 0;
    for (;;) {
      const z = rng.normal();
      if (Math.abs(z) <= 2) return z * sigma;
    }
  });
}

/**
 * The model's bytes with every initializer of the given layers re-initialised (seeded per
 * initializer name, so a layer gets the same values in every cascade step). Takes the ONNX bytes or
 * an already decoded model (see decodeModel), so a cascade decodes the model once: a decoded model is
 * left as it was.
 */
export function randomisedModel(model: Uint8Array | ModelProto, layers: readonly ParametrisedLayer[], seed: number): Uint8Array {
  const decoded = model instanceof Uint8Array ? decodeModel(model) : model;
  const names = new Set(layers.flatMap((l) => l.initializers));
  const graph = decoded.graph!;
  const original = graph.initializer;
  graph.initializer = original.map((tensor) => {
    if (!names.has(tensor.name)) return tensor;
    const values = decodeTensor(tensor);
    const rng = new Prng((seed ^ hashName(tensor.name)) >>> 0);
    return makeTensor(tensor.name, ElemType.FLOAT, values.dims, truncatedNormalLike(values.data, rng));
  });
  try {
    return toBinary(ModelProtoSchema, decoded);
  } finally {
    graph.initializer = original;
  }
}

/** FNV-1a of a name: a per-initializer seed offset. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
