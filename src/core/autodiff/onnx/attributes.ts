// Reading and writing ONNX node attributes: typed getters with defaults over a NodeProto's
// AttributeProto list, and the attribute values the transform writes on the nodes it emits.
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType as AttrType, type AttributeProto, type NodeProto, type TensorProto } from 'onnx-buf';

/** A value for an emitted attribute: number (int), {f} (float), string, int list, float list, tensor. */
export type AttributeValue = number | { float: number } | string | number[] | { floats: number[] } | { tensor: TensorProto };

export class Attributes {
  private readonly byName: Map<string, AttributeProto>;

  constructor(node: NodeProto) {
    this.byName = new Map(node.attribute.map((a) => [a.name, a]));
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? Number(a.i) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? a.f : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a ? new TextDecoder().decode(a.s) : fallback;
  }

  ints(name: string): number[] | null {
    const a = this.byName.get(name);
    return a ? a.ints.map(Number) : null;
  }

  floats(name: string): number[] | null {
    const a = this.byName.get(name);
    return a ? [...a.floats] : null;
  }

  tensor(name: string): TensorProto | null {
    return this.byName.get(name)?.t ?? null;
  }
}

export function makeAttribute(name: string, value: AttributeValue): AttributeProto {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`Attribute ${name}=${value}: ints need an integer; use {float}`);
    return create(AttributeProtoSchema, { name, type: AttrType.INT, i: BigInt(value) });
  }
  if (typeof value === 'string') return create(AttributeProtoSchema, { name, type: AttrType.STRING, s: new TextEncoder().encode(value) as Uint8Array<ArrayBuffer> });
  if (Array.isArray(value)) return create(AttributeProtoSchema, { name, type: AttrType.INTS, ints: value.map((v) => BigInt(v)) });
  if ('float' in value) return create(AttributeProtoSchema, { name, type: AttrType.FLOAT, f: value.float });
  if ('floats' in value) return create(AttributeProtoSchema, { name, type: AttrType.FLOATS, floats: value.floats });
  return create(AttributeProtoSchema, { name, type: AttrType.TENSOR, t: value.tensor });
}
