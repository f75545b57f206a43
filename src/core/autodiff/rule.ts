// What a VJP rule is and what it may ask of the transform: one rule per op type (or per family
// with one Jacobian, like the reshape-likes), receiving the upstream gradients of the node's
// outputs and emitting standard ai.onnx nodes that compute the gradients of its inputs.
import type { NodeProto } from 'onnx-buf';
import type { Attributes, AttributeValue } from './onnx/attributes';
import type { ConstTensor } from './onnx/tensor';

/** Raised at transform time for anything the engine cannot differentiate exactly. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

export interface RuleNode {
  proto: NodeProto;
  opType: string;
  /** node name for messages (the op and its position when the model leaves it empty) */
  label: string;
  /** opset of the default domain */
  opset: number;
  attrs: Attributes;
  inputs: readonly string[];
  outputs: readonly string[];
}

/** The emitter a rule writes through: every tensor it names is new (prefixed), constants are deduplicated. */
export interface RuleContext {
  readonly node: RuleNode;
  /** static shape of a forward tensor; unsupported when it cannot be inferred */
  shape(name: string): number[];
  elemType(name: string): number;
  /** the value of a constant input (initializer, Constant, folded shape subgraph); unsupported otherwise */
  value(name: string): ConstTensor;
  /** emits one node and returns its (single) output */
  op(opType: string, inputs: readonly string[], attrs?: Record<string, AttributeValue>): string;
  /** emits one node with several outputs */
  ops(opType: string, inputs: readonly string[], outputCount: number, attrs?: Record<string, AttributeValue>): string[];
  /** a constant scalar of the given element type */
  scalar(value: number, elemType: number): string;
  /** a constant tensor (float types or int64) */
  constant(values: ArrayLike<number>, dims: readonly number[], elemType: number): string;
  /** a 1-D int64 constant (shapes, axes, pads, starts …) */
  int64s(values: readonly number[]): string;
  /** zeros of a shape and element type */
  zeros(dims: readonly number[], elemType: number): string;
  /** throws UnsupportedError naming the op, the node and the opset, with `what` */
  unsupported(what: string): never;
}

export interface VjpRule {
  /** the op types (default domain) this rule differentiates */
  opTypes: readonly string[];
  /** attributes the rule reads; a node carrying any other attribute is refused */
  attributes: readonly string[];
  /** inputs through which a gradient can flow ('all' for variadic ops) */
  differentiableInputs: readonly number[] | 'all';
  /**
   * grads[k]: the gradient of output k (null when nothing downstream uses it);
   * needed[i]: whether input i needs a gradient. Returns one gradient per input (null where not needed),
   * each with exactly that input's shape.
   */
  backward(ctx: RuleContext, grads: readonly (string | null)[], needed: readonly boolean[]): (string | null)[];
  /**
   * Source of the rule's own code that lies outside `backward`: the per-op closure of a factory-built
   * rule (its derivative, factor or choice; its `backward` is the factory's shared body) and the
   * helper functions of the rule's file. Cache keys hash it with `backward`, so that editing such code
   * changes them. Rules whose `backward` holds all their own code leave it unset.
   */
  source?: string;
}
