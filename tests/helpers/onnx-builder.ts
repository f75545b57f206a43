// Builds tiny ONNX models in-process (no Python): a ModelProto written with onnx-buf. Two kinds:
// - linearModel: input [N, ...dims] → Flatten → MatMul W [numel, classes] (→ Add bias) → logits.
//   f(x)[k] = Σ_i W[i, k] · x_flat[i] (+ b[k]), so every explanation of it can be computed by hand.
// - regionMeanModel: input [N, C, H, W] → Slice (a known spatial box) → ReduceMean → [N, 1], then
//   Concat with its negation → logits [N, 2] = [mean(region), −mean(region)].
// - regionOnlyModel: a nonlinear model of one region that ignores the rest of the image exactly.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

const FLOAT = 1;
const INT64 = 7;

/** A dimension: a number is fixed, a string is symbolic (a dynamic axis). */
export type Dim = number | string;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` float32 values uniform in [lo, hi), from `seed`. */
export function randomFloats(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

export function valueInfo(name: string, dims: Dim[], elemType = FLOAT): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType,
          shape: {
            dim: dims.map((d) => (typeof d === 'number' ? { value: { case: 'dimValue' as const, value: BigInt(d) } } : { value: { case: 'dimParam' as const, value: d } })),
          },
        },
      },
    },
  });
}

export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  const copy = new Float32Array(data);
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: FLOAT,
    rawData: new Uint8Array(copy.buffer),
  });
}

export function int64Tensor(name: string, values: number[]): TensorProto {
  return create(TensorProtoSchema, { name, dims: [BigInt(values.length)], dataType: INT64, int64Data: values.map(BigInt) });
}

export function intAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
}

export function intsAttr(name: string, values: number[]): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INTS, ints: values.map(BigInt) });
}

export function floatAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value });
}

export function stringAttr(name: string, value: string): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode(value) });
}

export function node(opType: string, inputs: string[], outputs: string[], attribute: AttributeProto[] = []): NodeProto {
  return create(NodeProtoSchema, { opType, input: inputs, output: outputs, name: `${opType}_${outputs[0]}`, attribute });
}

export interface ModelParts {
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  nodes: NodeProto[];
  initializers: TensorProto[];
  opset?: number;
  metadata?: Record<string, string>;
}

export function serialise(parts: ModelParts): Uint8Array {
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'sightline-tests',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: BigInt(parts.opset ?? 13) }],
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: create(GraphProtoSchema, {
      name: 'tiny',
      node: parts.nodes,
      initializer: parts.initializers,
      input: parts.inputs,
      output: parts.outputs,
    }),
  });
  return toBinary(ModelProtoSchema, model);
}

export interface LinearModelOptions {
  /** input dims without batch, in the model's layout: [C, H, W] (NCHW) or [H, W, C] (NHWC) */
  dims: number[];
  classes: number;
  /** W as [numel, classes] row-major; random from `seed` when omitted */
  weights?: Float32Array;
  bias?: Float32Array;
  seed?: number;
  /** the batch dim: 'N' (dynamic, default) or a fixed number */
  batch?: Dim;
  inputName?: string;
  outputName?: string;
  /** ONNX metadata_props (e.g. the embedded card `sightline.card`) */
  metadata?: Record<string, string>;
  /** element type of the input (1 = float32; anything else makes an invalid image model) */
  inputElemType?: number;
}

export interface BuiltLinearModel {
  bytes: Uint8Array;
  /** W [numel, classes] row-major */
  weights: Float32Array;
  bias: Float32Array | null;
  numel: number;
  classes: number;
}

export function linearModel(options: LinearModelOptions): BuiltLinearModel {
  const numel = options.dims.reduce((a, b) => a * b, 1);
  const weights = options.weights ?? randomFloats(numel * options.classes, options.seed ?? 1, -0.5, 0.5);
  if (weights.length !== numel * options.classes) throw new Error(`weights need ${numel * options.classes} values`);
  const batch = options.batch ?? 'N';
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'logits';
  const nodes = [node('Flatten', [inputName], ['flat'], [intAttr('axis', 1)])];
  const initializers = [floatTensor('W', [numel, options.classes], weights)];
  if (options.bias) {
    nodes.push(node('MatMul', ['flat', 'W'], ['scores']));
    nodes.push(node('Add', ['scores', 'b'], [outputName]));
    initializers.push(floatTensor('b', [options.classes], options.bias));
  } else {
    nodes.push(node('MatMul', ['flat', 'W'], [outputName]));
  }
  const bytes = serialise({
    inputs: [valueInfo(inputName, [batch, ...options.dims], options.inputElemType ?? FLOAT)],
    outputs: [valueInfo(outputName, [batch, options.classes])],
    nodes,
    initializers,
    metadata: options.metadata,
  });
  return { bytes, weights, bias: options.bias ?? null, numel, classes: options.classes };
}

/** f(x)[k] = Σ_i W[i,k] x[i] + b[k], in float64: the hand computation the tests compare against. */
export function linearForward(model: BuiltLinearModel, x: ArrayLike<number>): number[] {
  const out = Array.from({ length: model.classes }, (_, k) => (model.bias ? model.bias[k] : 0));
  for (let i = 0; i < model.numel; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    for (let k = 0; k < model.classes; k++) out[k] += model.weights[i * model.classes + k] * xi;
  }
  return out;
}

export interface Region {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** logits [N, 2] = [mean of x[:, :, region], −mean], for input [N, C, H, W]. */
export function regionMeanModel(options: { channels: number; height: number; width: number; region: Region; batch?: Dim }): Uint8Array {
  const { region } = options;
  const batch = options.batch ?? 'N';
  return serialise({
    inputs: [valueInfo('input', [batch, options.channels, options.height, options.width])],
    outputs: [valueInfo('logits', [batch, 2])],
    nodes: [
      node('Slice', ['input', 'starts', 'ends', 'axes'], ['box']),
      node('ReduceMean', ['box'], ['mean4'], [intsAttr('axes', [1, 2, 3]), intAttr('keepdims', 1)]),
      node('Reshape', ['mean4', 'shape2'], ['mean']),
      node('Neg', ['mean'], ['negmean']),
      node('Concat', ['mean', 'negmean'], ['logits'], [intAttr('axis', 1)]),
    ],
    initializers: [
      int64Tensor('starts', [region.top, region.left]),
      int64Tensor('ends', [region.top + region.height, region.left + region.width]),
      int64Tensor('axes', [2, 3]),
      int64Tensor('shape2', [-1, 1]),
    ],
    opset: 13,
  });
}

/**
 * logits [N, 2] = [s², −s²] with s = Σ relu(W ⊙ x) over [C, H, W], W random in [0.2, 1) inside
 * `region` and exactly 0 outside it: a nonlinear model (features interact through the square) that
 * ignores every pixel outside the region bit for bit (their products are ±0 whatever they hold).
 */
export function regionOnlyModel(options: { channels: number; height: number; width: number; region: Region; seed?: number; batch?: Dim }): Uint8Array {
  const { channels, height, width, region } = options;
  const weights = randomFloats(channels * height * width, options.seed ?? 5, 0.2, 1);
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const inside = y >= region.top && y < region.top + region.height && x >= region.left && x < region.left + region.width;
        if (!inside) weights[(c * height + y) * width + x] = 0;
      }
  const batch = options.batch ?? 'N';
  return serialise({
    inputs: [valueInfo('input', [batch, channels, height, width])],
    outputs: [valueInfo('logits', [batch, 2])],
    nodes: [
      node('Mul', ['input', 'W'], ['weighted']),
      node('Relu', ['weighted'], ['rectified']),
      node('ReduceSum', ['rectified', 'axes'], ['sum'], [intAttr('keepdims', 1)]),
      node('Mul', ['sum', 'sum'], ['square4']),
      node('Reshape', ['square4', 'shape2'], ['square']),
      node('Neg', ['square'], ['negsquare']),
      node('Concat', ['square', 'negsquare'], ['logits'], [intAttr('axis', 1)]),
    ],
    initializers: [floatTensor('W', [1, channels, height, width], weights), int64Tensor('axes', [1, 2, 3]), int64Tensor('shape2', [-1, 1])],
    opset: 13,
  });
}

/** Writes `<dir>/<name>.onnx` and, when a card is given, its sidecar `<dir>/<name>.json`. */
export function writeModel(dir: string, name: string, bytes: Uint8Array, card?: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.onnx`);
  writeFileSync(path, bytes);
  if (card !== undefined) writeFileSync(join(dir, `${name}.json`), JSON.stringify(card, null, 1));
  return path;
}
