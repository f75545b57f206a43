// Static shape inference over a whole graph: graph inputs get fixed sizes (the batch chosen by the
// caller, spatial sizes from the model), then every node's outputs follow in topological order,
// with small constant subgraphs evaluated so that data-dependent shapes (Reshape, Expand) resolve.
import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from 'onnx-buf';
import { Attributes } from '../onnx/attributes';
import { isDefaultDomain } from '../onnx/domain';
import { decodeTensor, type ConstTensor, type ExternalFileCache } from '../onnx/tensor';
import { product } from './dims';
import { evaluateNode, MAX_EVALUATED_ELEMENTS } from './evaluate';
import { inferNodeOutputs, type TensorInfo } from './op-shapes';

export interface GraphFacts {
  /** element type and static shape of every tensor the inference could reach */
  info: Map<string, TensorInfo>;
  /** nodes in topological order */
  order: NodeProto[];
  /** a tensor's value when it is constant (initializer, Constant, or a small folded subgraph), else null */
  value(name: string): ConstTensor | null;
  /** true for initializers, Constant outputs and tensors folded from them */
  isConstant(name: string): boolean;
}

/** Element type and shape a ValueInfo declares; shape null unless every dim is a number. */
function declaredInfo(v: ValueInfoProto): TensorInfo | null {
  const type = v.type?.value;
  if (!type || type.case !== 'tensorType') return null;
  const dims = type.value.shape?.dim;
  const shape = dims && dims.every((d) => d.value.case === 'dimValue') ? dims.map((d) => Number(d.value.value)) : null;
  return { elemType: type.value.elemType, shape };
}

/** Names of outer-scope tensors that a node's subgraphs (If/Loop/Scan bodies) read. */
export function subgraphReads(node: NodeProto): string[] {
  const reads = new Set<string>();
  const visit = (g: GraphProto) => {
    const local = new Set([...g.input.map((i) => i.name), ...g.initializer.map((t) => t.name), ...g.node.flatMap((n) => n.output)]);
    for (const n of g.node) {
      for (const i of n.input) if (i && !local.has(i)) reads.add(i);
      for (const a of n.attribute) {
        if (a.g) visit(a.g);
        for (const sub of a.graphs) visit(sub);
      }
    }
  };
  for (const a of node.attribute) {
    if (a.g) visit(a.g);
    for (const sub of a.graphs) visit(sub);
  }
  return [...reads];
}

/** Nodes in a topological order (the stored order when it already is one); throws on a cycle. */
function topologicalOrder(graph: GraphProto): NodeProto[] {
  const producerIndex = new Map<string, number>();
  graph.node.forEach((n, i) => n.output.forEach((o) => o && producerIndex.set(o, i)));
  const deps = graph.node.map((n) => [...new Set([...n.input, ...subgraphReads(n)].filter((i) => i && producerIndex.has(i)).map((i) => producerIndex.get(i)!))]);
  const state = new Uint8Array(graph.node.length); // 0 new, 1 visiting, 2 done
  const order: NodeProto[] = [];
  const visit = (root: number) => {
    const stack: [number, number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [i, k] = top;
      if (k === 0) {
        if (state[i] === 2) {
          stack.pop();
          continue;
        }
        state[i] = 1;
      }
      if (k < deps[i].length) {
        top[1]++;
        const d = deps[i][k];
        if (state[d] === 1) throw new Error(`The graph has a cycle through node ${graph.node[d].name || graph.node[d].opType}`);
        if (state[d] === 0) stack.push([d, 0]);
        continue;
      }
      state[i] = 2;
      order.push(graph.node[i]);
      stack.pop();
    }
  };
  for (let i = 0; i < graph.node.length; i++) if (state[i] === 0) visit(i);
  return order;
}

export interface InferOptions {
  /** opset of the default domain */
  opset: number;
  /** static shapes for graph inputs (overrides what the graph declares, e.g. a symbolic batch) */
  inputShapes: Map<string, number[]>;
  /** folder of the model file, for initializers stored as external data */
  modelDir: string | null;
  /**
   * external data files already read, shared with the caller for the span of one transform; without
   * it the files are cached only while the inference runs (the facts may be kept long after)
   */
  externalFiles?: ExternalFileCache;
}

/** The constant values of a node's inputs, each looked up (and decoded) only when first read. */
function lazyValues(names: readonly string[], lookup: (name: string) => ConstTensor | null): (ConstTensor | null)[] {
  const out = new Array<ConstTensor | null>(names.length);
  names.forEach((name, k) => {
    let read = false;
    let v: ConstTensor | null = null;
    Object.defineProperty(out, k, {
      enumerable: true,
      get: () => {
        if (!read) {
          v = lookup(name);
          read = true;
        }
        return v;
      },
    });
  });
  return out;
}

export function inferGraph(graph: GraphProto, options: InferOptions): GraphFacts {
  const info = new Map<string, TensorInfo>();
  const constantProtos = new Map<string, TensorProto>();
  const values = new Map<string, ConstTensor | null>();
  const constant = new Set<string>();
  const declared = new Map<string, TensorInfo>();
  for (const v of [...graph.valueInfo, ...graph.output, ...graph.input]) {
    const d = declaredInfo(v);
    if (d) declared.set(v.name, d);
  }
  for (const t of graph.initializer) {
    info.set(t.name, { elemType: t.dataType, shape: t.dims.map(Number) });
    constantProtos.set(t.name, t);
    constant.add(t.name);
  }
  for (const input of graph.input) {
    if (constant.has(input.name)) continue;
    const d = declared.get(input.name);
    const shape = options.inputShapes.get(input.name) ?? d?.shape ?? null;
    info.set(input.name, { elemType: d?.elemType ?? 0, shape });
  }
  let files: ExternalFileCache | undefined = options.externalFiles ?? new Map();
  const value = (name: string): ConstTensor | null => {
    if (values.has(name)) return values.get(name)!;
    const proto = constantProtos.get(name);
    let decoded: ConstTensor | null = null;
    if (proto) {
      try {
        decoded = decodeTensor(proto, options.modelDir, files);
      } catch {
        decoded = null;
      }
    }
    values.set(name, decoded);
    return decoded;
  };
  const order = topologicalOrder(graph);
  for (const node of order) {
    const attrs = new Attributes(node);
    const isDefault = isDefaultDomain(node.domain);
    const inputs = node.input.map((i) => (i ? (info.get(i) ?? null) : null));
    const smallValue = (i: string) => {
      if (!i || !constant.has(i)) return null;
      const meta = info.get(i);
      return meta?.shape && product(meta.shape) <= MAX_EVALUATED_ELEMENTS ? value(i) : null;
    };
    // lazy: most constant inputs (weights, biases, BN parameters) are never read by a shape step
    const inputValues = lazyValues(node.input, smallValue);
    const inferred = isDefault ? inferNodeOutputs({ opType: node.opType, opset: options.opset, attrs, inputs, values: inputValues, outputCount: node.output.length }) : null;
    const outputs: TensorInfo[] = node.output.map((o, k) => {
      const mine = inferred?.[k];
      const fromModel = declared.get(o);
      return {
        elemType: mine?.elemType || fromModel?.elemType || 0,
        shape: mine?.shape ?? fromModel?.shape ?? null,
      };
    });
    node.output.forEach((o, k) => o && info.set(o, outputs[k]));
    if (!isDefault) continue;
    if (node.opType === 'Constant') {
      const t = attrs.tensor('value');
      if (t) constantProtos.set(node.output[0], t);
      constant.add(node.output[0]);
      if (!t) values.set(node.output[0], evaluateNode({ opType: node.opType, attrs, inputs: [], outputs, inputShape: null })?.[0] ?? null);
      continue;
    }
    // Shape/Size need only the input's static shape; everything else needs every input constant.
    const shapeOnly = node.opType === 'Shape' || node.opType === 'Size';
    const allConstant = node.input.every((i) => !i || constant.has(i));
    if (!shapeOnly && !(allConstant && node.input.length > 0)) continue;
    if (!shapeOnly && inputValues.some((v, k) => node.input[k] && !v)) continue;
    const inputShape = inputs[0]?.shape ?? null;
    const result = evaluateNode({ opType: node.opType, attrs, inputs: inputValues, outputs, inputShape });
    if (!result) continue;
    node.output.forEach((o, k) => {
      if (!o) return;
      values.set(o, result[k]);
      constant.add(o);
    });
  }
  files = options.externalFiles;
  return {
    info,
    order,
    value: (name) => (constant.has(name) ? value(name) : null),
    isConstant: (name) => constant.has(name),
  };
}
