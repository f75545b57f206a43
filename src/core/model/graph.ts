// A light, cached view of a classifier's ONNX graph for explainers that pick tensors by structure
// (the automatic CAM layer, the attention Softmax outputs): nodes in topological order with their
// static shapes at batch 1, producers and consumers. Weights are not kept once the shapes are known.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { ApiError } from '../../api/contract';
import type { ModelInfo } from '../../api/schemas';
import { Attributes } from '../autodiff/onnx/attributes';
import { defaultOpset, isDefaultDomain } from '../autodiff/onnx/domain';
import { inferGraph, type GraphFacts } from '../autodiff/shapes/infer';
import { modelInputDims } from './card';

export interface GraphNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  /** position in topological order */
  index: number;
  /** for reductions and pools: the reduced axes of a 4-D input when they are exactly [2, 3] (global spatial pooling) */
  globalSpatialPool: boolean;
}

export interface ModelGraph {
  nodes: GraphNode[];
  /** static shape at batch 1 (null when unknown) */
  shape(tensor: string): number[] | null;
  producer(tensor: string): GraphNode | undefined;
  consumers(tensor: string): GraphNode[];
  isConstant(tensor: string): boolean;
  /** every node the named tensors depend on, including their producers */
  ancestors(tensors: string[]): Set<GraphNode>;
  inputName: string;
  outputName: string;
}

const cache = new Map<string, Promise<ModelGraph>>();
/** Graphs kept per process (a few models are open at a time; each costs its node list only). */
const CACHE_LIMIT = 8;

export function modelGraph(model: ModelInfo): Promise<ModelGraph> {
  let entry = cache.get(model.sha256);
  if (!entry) {
    entry = buildGraph(model);
    cache.set(model.sha256, entry);
    entry.catch(() => cache.delete(model.sha256));
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  return entry;
}

async function buildGraph(model: ModelInfo): Promise<ModelGraph> {
  const proto = fromBinary(ModelProtoSchema, await readFile(model.path));
  const graph = proto.graph;
  if (!graph) throw new ApiError('BAD_MODEL', `${model.path} has no graph`);
  const dims = modelInputDims(model);
  let facts: GraphFacts;
  try {
    facts = inferGraph(graph, { opset: defaultOpset(proto), inputShapes: new Map([[model.inputName, [1, ...dims]]]), modelDir: dirname(model.path) });
  } catch (error) {
    throw new ApiError('BAD_MODEL', `The graph of ${model.path} cannot be analysed: ${(error as Error).message}`);
  }
  const shapes = new Map<string, number[] | null>();
  for (const [name, info] of facts.info) shapes.set(name, info.shape);
  const nodes: GraphNode[] = facts.order.map((node, index) => ({
    opType: isDefaultDomain(node.domain) ? node.opType : `${node.domain}:${node.opType}`,
    name: node.name,
    inputs: [...node.input],
    outputs: [...node.output],
    index,
    globalSpatialPool: isGlobalSpatialPool(node.opType, new Attributes(node), node.input, facts),
  }));
  const constants = new Set([...facts.info.keys()].filter((t) => facts.isConstant(t)));
  const producers = new Map<string, GraphNode>();
  const consumers = new Map<string, GraphNode[]>();
  for (const node of nodes) {
    node.outputs.forEach((o) => o && producers.set(o, node));
    for (const i of node.inputs) {
      if (!i) continue;
      const list = consumers.get(i);
      if (list) list.push(node);
      else consumers.set(i, [node]);
    }
  }
  return {
    nodes,
    shape: (t) => shapes.get(t) ?? null,
    producer: (t) => producers.get(t),
    consumers: (t) => consumers.get(t) ?? [],
    isConstant: (t) => constants.has(t),
    ancestors(tensors) {
      const seen = new Set<GraphNode>();
      const stack = tensors.map((t) => producers.get(t)).filter((n): n is GraphNode => !!n);
      while (stack.length) {
        const node = stack.pop()!;
        if (seen.has(node)) continue;
        seen.add(node);
        for (const i of node.inputs) {
          const up = producers.get(i);
          if (up && !seen.has(up)) stack.push(up);
        }
      }
      return seen;
    },
    inputName: model.inputName,
    outputName: model.outputName,
  };
}

/** GlobalAverage/MaxPool, a pool whose kernel covers the map, or a ReduceMean/Max/Sum over exactly the spatial axes of a 4-D NCHW tensor. */
function isGlobalSpatialPool(opType: string, attrs: Attributes, inputs: string[], facts: GraphFacts): boolean {
  const shape = facts.info.get(inputs[0])?.shape;
  if (!shape || shape.length !== 4) return false;
  if (opType === 'GlobalAveragePool' || opType === 'GlobalMaxPool') return true;
  // older exports pool with a kernel the size of the map
  if (opType === 'AveragePool' || opType === 'MaxPool') {
    const kernel = attrs.ints('kernel_shape');
    return !!kernel && kernel[0] === shape[2] && kernel[1] === shape[3];
  }
  if (!['ReduceMean', 'ReduceMax', 'ReduceSum'].includes(opType)) return false;
  // axes: an attribute before opset 18 (ReduceSum: 13), an input after
  const axes = attrs.ints('axes') ?? (inputs[1] ? facts.value(inputs[1])?.data : null);
  if (!axes) return false;
  const normal = [...axes].map((a) => (a < 0 ? a + 4 : a)).sort();
  return normal.length === 2 && normal[0] === 2 && normal[1] === 3;
}
