// Collects the backward pass the rules emit: new nodes and initializers with collision-free,
// prefixed names, constants shared between rules, and a per-node RuleContext that turns every
// failure into an UnsupportedError naming the op, the node and the opset.
import { create } from '@bufbuild/protobuf';
import { NodeProtoSchema, type NodeProto, type TensorProto } from 'onnx-buf';
import { makeAttribute, type AttributeValue } from './onnx/attributes';
import { ElemType, elemTypeLabel, makeTensor, type ConstTensor } from './onnx/tensor';
import { UnsupportedError, type RuleContext, type RuleNode } from './rule';
import type { GraphFacts } from './shapes/infer';

export function describeNode(node: RuleNode): string {
  return `op ${node.opType} at node ${node.label} (opset ${node.opset})`;
}

export class BackwardEmitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  constructor(
    private readonly facts: GraphFacts,
    /** prefix of every generated name; the caller makes sure no model name starts with it */
    readonly prefix: string,
  ) {}

  name(base: string): string {
    this.counter += 1;
    return `${this.prefix}${base}_${this.counter}`;
  }

  emit(opType: string, inputs: readonly string[], outputCount: number, attrs: Record<string, AttributeValue> = {}): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.name(opType));
    this.nodes.push(
      create(NodeProtoSchema, {
        opType,
        name: this.name(`n_${opType}`),
        input: [...inputs],
        output: outputs,
        attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
      }),
    );
    return outputs;
  }

  constant(values: ArrayLike<number>, dims: readonly number[], elemType: number): string {
    // Small constants (scalars, shapes, axes) are shared; large ones are unique anyway.
    const key = values.length <= 64 ? `${elemType}|${dims.join(',')}|${Array.from(values).join(',')}` : null;
    const cached = key ? this.constants.get(key) : undefined;
    if (cached) return cached;
    const name = this.name(elemType === ElemType.INT64 ? 'i64' : 'const');
    this.initializers.push(makeTensor(name, elemType, dims, values));
    if (key) this.constants.set(key, name);
    return name;
  }

  zeros(dims: readonly number[], elemType: number): string {
    const zero = makeTensor('value', elemType, [1], [0]);
    return this.emit('ConstantOfShape', [this.constant(dims, [dims.length], ElemType.INT64)], 1, { value: { tensor: zero } })[0];
  }

  contextFor(node: RuleNode): RuleContext {
    const facts = this.facts;
    const fail = (what: string): never => {
      throw new UnsupportedError(`Unsupported ${describeNode(node)}: ${what}`);
    };
    return {
      node,
      shape: (name) => facts.info.get(name)?.shape ?? fail(`the shape of tensor "${name}" cannot be inferred statically`),
      elemType: (name) => facts.info.get(name)?.elemType || fail(`the element type of tensor "${name}" is unknown`),
      value: (name): ConstTensor => facts.value(name) ?? fail(`input "${name}" must be a constant (an initializer or computed from shapes)`),
      op: (opType, inputs, attrs) => this.emit(opType, inputs, 1, attrs)[0],
      ops: (opType, inputs, count, attrs) => this.emit(opType, inputs, count, attrs),
      scalar: (value, elemType) => this.constant([value], [], elemType),
      constant: (values, dims, elemType) => this.constant(values, dims, elemType),
      int64s: (values) => this.constant(values, [values.length], ElemType.INT64),
      zeros: (dims, elemType) => this.zeros(dims, elemType),
      unsupported: fail,
    };
  }
}

export function checkFloatType(ctx: RuleContext, name: string): void {
  const t = ctx.elemType(name);
  if (t !== ElemType.FLOAT && t !== ElemType.DOUBLE) ctx.unsupported(`tensor "${name}" is ${elemTypeLabel(t)}; gradients are computed for float32 and float64 only`);
}
