// The gradient transform: appends the backward pass of an ONNX model as standard ai.onnx nodes, so
// one onnxruntime session returns the outputs, and the gradients of score = Σ seed ⊙ output with
// respect to the input and any named intermediate tensors. It walks the graph in reverse
// topological order and asks one rule per op (a RuleSet) for each node's VJP; it names no op itself.
import { create } from '@bufbuild/protobuf';
import { NodeProtoSchema, ValueInfoProtoSchema, type GraphProto, type ModelProto, type NodeProto, type ValueInfoProto } from 'onnx-buf';
import { BackwardEmitter, checkFloatType, describeNode } from './emitter';
import { Attributes } from './onnx/attributes';
import { defaultOpset, isDefaultDomain } from './onnx/domain';
import { elemTypeLabel, isFloatType } from './onnx/tensor';
import { UnsupportedError, type RuleNode } from './rule';
import { standardRuleSet, type RuleSet } from './rules';
import { inferGraph, subgraphReads } from './shapes/infer';

/** Opsets whose ai.onnx signatures the rules follow (13–18 as exported by PyTorch; 11–12 and 19–21 where
 * the ops are the same — attribute checks refuse forms the rules do not know). */
const SUPPORTED_OPSETS = { min: 11, max: 21 } as const;

export interface TransformOptions {
  /** tensors to differentiate with respect to: graph inputs and/or intermediate tensors */
  wrt: readonly string[];
  /** graph outputs whose weighted sum is the score; default the first graph output */
  scores?: readonly string[];
  /** 'softmax': the score weighs the softmax of each score output (last axis), e.g. a class probability */
  scoreActivation?: 'none' | 'softmax';
  /** fixes a symbolic first dim (the batch) of every graph input */
  batch?: number;
  /** static shapes of graph inputs, overriding what the model declares */
  inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** which VJP rules to use (default: the standard set) */
  ruleSet?: RuleSet;
  /** folder of the model file, for initializers stored as external data */
  modelDir?: string | null;
}

export interface TransformResult {
  /** the same ModelProto, extended in place */
  model: ModelProto;
  /** score output → name of its seed input (same shape as the output) */
  seeds: Record<string, string>;
  /** wrt tensor → name of the graph output holding its gradient */
  gradients: Record<string, string>;
  /** intermediate wrt tensors, now also graph outputs (their activations) */
  activations: string[];
  /** static shapes of the inputs the transformed model expects */
  inputShapes: Record<string, number[]>;
  stats: { forwardNodes: number; differentiatedNodes: number; backwardNodes: number };
}

const PREFIX = 'sightline.bw/';

function allNames(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) names.add(v.name);
  for (const t of graph.initializer) names.add(t.name);
  for (const n of graph.node) {
    names.add(n.name);
    n.input.forEach((i) => names.add(i));
    n.output.forEach((o) => names.add(o));
  }
  return names;
}

function unique(names: Set<string>, base: string): string {
  let name = base;
  for (let k = 2; names.has(name); k++) name = `${base}#${k}`;
  names.add(name);
  return name;
}

function uniquePrefix(names: Set<string>): string {
  for (let k = 1; ; k++) {
    const prefix = k === 1 ? PREFIX : `sightline.bw${k}/`;
    if (![...names].some((n) => n.startsWith(prefix))) return prefix;
  }
}

function tensorValueInfo(name: string, elemType: number, shape: number[] | null): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: { elemType, shape: shape ? { dim: shape.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } })) } : undefined },
      },
    },
  });
}

/** Fixes every graph input's shape (batch and overrides) in the model and returns the shapes. */
function fixInputShapes(graph: GraphProto, options: TransformOptions): Map<string, number[]> {
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const shapes = new Map<string, number[]>();
  for (const input of graph.input) {
    if (initializers.has(input.name)) continue;
    const type = input.type?.value;
    if (!type || type.case !== 'tensorType') throw new UnsupportedError(`Graph input "${input.name}" is not a tensor`);
    const given = options.inputShapes?.[input.name];
    const dims = type.value.shape?.dim ?? [];
    const shape = given
      ? [...given]
      : dims.map((d, i) => {
          if (d.value.case === 'dimValue') return Number(d.value.value);
          if (i === 0 && options.batch !== undefined) return options.batch;
          throw new UnsupportedError(`Graph input "${input.name}" has a dynamic dim ${i} (${d.value.case === 'dimParam' ? d.value.value : 'unnamed'}); give its size`);
        });
    shapes.set(input.name, shape);
    input.type = tensorValueInfo(input.name, type.value.elemType, shape).type;
  }
  return shapes;
}

interface WalkState {
  emitter: BackwardEmitter;
  contributions: Map<string, string[]>;
  summed: Map<string, string | null>;
}

/** The total gradient of a tensor: its contributions summed once (after all its consumers ran). */
function gradientOf(state: WalkState, name: string): string | null {
  if (state.summed.has(name)) return state.summed.get(name)!;
  const parts = state.contributions.get(name) ?? [];
  const total = parts.length === 0 ? null : parts.length === 1 ? parts[0] : state.emitter.emit(parts.length === 2 ? 'Add' : 'Sum', parts, 1)[0];
  state.summed.set(name, total);
  return total;
}

function addContribution(state: WalkState, name: string, gradient: string): void {
  const list = state.contributions.get(name) ?? [];
  list.push(gradient);
  state.contributions.set(name, list);
}

function nodeReads(node: NodeProto): string[] {
  return [...node.input.filter(Boolean), ...subgraphReads(node)];
}

export function appendBackward(model: ModelProto, options: TransformOptions): TransformResult {
  const graph = model.graph;
  if (!graph) throw new UnsupportedError('The model has no graph');
  const opset = defaultOpset(model);
  if (opset < SUPPORTED_OPSETS.min || opset > SUPPORTED_OPSETS.max) {
    throw new UnsupportedError(`Unsupported opset ${opset}: the gradient rules follow ai.onnx opsets ${SUPPORTED_OPSETS.min}–${SUPPORTED_OPSETS.max}`);
  }
  const ruleSet = options.ruleSet ?? standardRuleSet;
  const names = allNames(graph);
  const prefix = uniquePrefix(names);
  const forwardNodes = graph.node.length;
  const inputShapes = fixInputShapes(graph, options);

  const scoreOutputs = [...(options.scores ?? [graph.output[0]?.name])];
  if (scoreOutputs.some((s) => !s || !graph.output.some((o) => o.name === s))) throw new Error(`Score outputs must be graph outputs; got ${scoreOutputs.join(', ')}`);
  // the tensor each seed weighs: the output itself, or its softmax
  const weighed = scoreOutputs.map((s) => {
    if ((options.scoreActivation ?? 'none') === 'none') return s;
    const probabilities = unique(names, `${prefix}softmax:${s}`);
    graph.node.push(create(NodeProtoSchema, { opType: 'Softmax', name: unique(names, `${prefix}n_softmax:${s}`), input: [s], output: [probabilities] }));
    return probabilities;
  });
  // each external data file is read once for the whole transform (shape steps and the rules' constants)
  const facts = inferGraph(graph, { opset, inputShapes, modelDir: options.modelDir ?? null, externalFiles: new Map() });
  for (const w of options.wrt) {
    if (!facts.info.has(w)) throw new Error(`No tensor named "${w}" in the model`);
    if (facts.isConstant(w)) throw new Error(`"${w}" is a constant of the model; gradients are taken with respect to inputs and activations`);
  }

  // Forward-reachable from the requested tensors (float tensors only) …
  const active = new Set<string>(options.wrt);
  for (const node of facts.order) {
    if (!nodeReads(node).some((i) => active.has(i))) continue;
    for (const o of node.output) {
      const type = facts.info.get(o)?.elemType ?? 0;
      if (o && (type === 0 || isFloatType(type))) active.add(o);
    }
  }
  // … and backward-reachable from the score.
  const upstream = new Set<string>(weighed);
  for (const node of [...facts.order].reverse()) {
    if (node.output.some((o) => upstream.has(o))) nodeReads(node).forEach((i) => upstream.add(i));
  }

  const emitter = new BackwardEmitter(facts, prefix);
  const state: WalkState = { emitter, contributions: new Map(), summed: new Map() };
  const seeds: Record<string, string> = {};
  scoreOutputs.forEach((s, k) => {
    const info = facts.info.get(weighed[k]);
    if (!info?.shape || !isFloatType(info.elemType)) throw new UnsupportedError(`Score output "${s}" must be a float tensor with a static shape`);
    seeds[s] = unique(names, scoreOutputs.length === 1 ? 'seed' : `seed:${s}`);
    graph.input.push(tensorValueInfo(seeds[s], info.elemType, info.shape));
    addContribution(state, weighed[k], seeds[s]);
  });

  let differentiatedNodes = 0;
  for (let position = facts.order.length - 1; position >= 0; position--) {
    const node = facts.order[position];
    if (!node.output.some((o) => active.has(o) && upstream.has(o))) continue;
    const grads = node.output.map((o) => (o && active.has(o) ? gradientOf(state, o) : null));
    if (grads.every((g) => g === null)) continue;
    const needed = node.input.map((i) => !!i && active.has(i));
    // a node that reads a requested tensor only inside a subgraph (If/Loop/Scan) must meet its (missing) rule, not be skipped
    if (!needed.some(Boolean) && !subgraphReads(node).some((i) => active.has(i))) continue;
    differentiatedNodes++;
    const ruleNode: RuleNode = {
      proto: node,
      opType: node.opType,
      label: node.name || `#${position} (${node.opType})`,
      opset,
      attrs: new Attributes(node),
      inputs: node.input,
      outputs: node.output,
    };
    const ctx = emitter.contextFor(ruleNode);
    const inDefaultDomain = isDefaultDomain(node.domain);
    const rule = inDefaultDomain ? ruleSet.rules.get(node.opType) : undefined;
    if (!rule) {
      const op = inDefaultDomain ? node.opType : `${node.domain}:${node.opType}`;
      throw new UnsupportedError(`Unsupported ${describeNode({ ...ruleNode, opType: op })}: no gradient rule for this op in rule set "${ruleSet.id}"`);
    }
    for (const attribute of ruleNode.attrs.names()) {
      if (!rule.attributes.includes(attribute)) ctx.unsupported(`attribute "${attribute}" is not handled by its gradient rule`);
    }
    needed.forEach((need, i) => {
      if (!need) return;
      if (rule.differentiableInputs !== 'all' && !rule.differentiableInputs.includes(i)) {
        ctx.unsupported(`no gradient with respect to input ${i} ("${node.input[i]}"); only input(s) ${rule.differentiableInputs.join(', ')} are differentiated`);
      }
      checkFloatType(ctx, node.input[i]);
    });
    node.output.forEach((o, k) => grads[k] && checkFloatType(ctx, o));
    const result = rule.backward(ctx, grads, needed);
    needed.forEach((need, i) => {
      if (!need) return;
      const g = result[i];
      if (!g) throw new Error(`Gradient rule for ${node.opType} returned no gradient for needed input ${i} at node ${ruleNode.label}`);
      addContribution(state, node.input[i], g);
    });
  }

  const gradients: Record<string, string> = {};
  const activations: string[] = [];
  const graphOutputs = new Set(graph.output.map((o) => o.name));
  for (const w of options.wrt) {
    const info = facts.info.get(w)!;
    if (!info.shape) throw new UnsupportedError(`The shape of "${w}" cannot be inferred statically`);
    if (!isFloatType(info.elemType)) throw new UnsupportedError(`"${w}" is ${elemTypeLabel(info.elemType)}; gradients exist for float tensors only`);
    // a tensor the score does not depend on has a true zero gradient
    const total = gradientOf(state, w) ?? emitter.zeros(info.shape, info.elemType);
    const out = unique(names, `grad:${w}`);
    emitter.nodes.push(create(NodeProtoSchema, { opType: 'Identity', name: unique(names, `${prefix}n_grad:${w}`), input: [total], output: [out] }));
    graph.output.push(tensorValueInfo(out, info.elemType, info.shape));
    gradients[w] = out;
    if (!inputShapes.has(w) && !graphOutputs.has(w)) {
      graph.output.push(tensorValueInfo(w, info.elemType, null));
      activations.push(w);
    }
  }
  graph.node.push(...emitter.nodes);
  graph.initializer.push(...emitter.initializers);
  return {
    model,
    seeds,
    gradients,
    activations,
    inputShapes: Object.fromEntries(inputShapes),
    stats: { forwardNodes, differentiatedNodes, backwardNodes: emitter.nodes.length },
  };
}
