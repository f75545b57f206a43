// One small ONNX graph per VJP rule variant (attributes, opsets, broadcasting, edge cases), with
// inputs kept away from kinks, and which check applies: the adjoint test for graphs linear or
// affine in the differentiated inputs, float32 central differences for the rest.
import { create } from '@bufbuild/protobuf';
import { TensorProtoSchema, type NodeProto, type TensorProto } from 'onnx-buf';
import { floatAttr, floatTensor, int64Tensor, intAttr, intsAttr, node, seededRandom, serialise, stringAttr, valueInfo } from './onnx-builder';

export interface InputSpec {
  dims: number[];
  /** uniform range (default [−1, 1]) */
  range?: [number, number];
  /** kink positions: values closer than `margin` are pushed to kink ± margin */
  kinks?: number[];
  margin?: number;
  /** distinct values (a shuffled ramp, centred): no ties, for MaxPool */
  distinct?: boolean;
}

export interface VjpCase {
  name: string;
  check: 'adjoint' | 'fd';
  opset?: number;
  inputs: Record<string, InputSpec>;
  /** float initializers (random in [−1, 1] unless data is given) and int64 1-D constants */
  floats?: Record<string, { dims: number[]; data?: number[] }>;
  ints?: Record<string, number[]>;
  /** int64 constants of any shape (indices) */
  intTensors?: Record<string, { dims: number[]; data: number[] }>;
  nodes: NodeProto[];
  output: { name: string; dims: number[] };
}

export function inputData(spec: InputSpec, seed: number): Float32Array {
  const random = seededRandom(seed);
  const count = spec.dims.reduce((a, b) => a * b, 1);
  if (spec.distinct) {
    const ramp = Array.from({ length: count }, (_, i) => i - (count - 1) / 2);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ramp[i], ramp[j]] = [ramp[j], ramp[i]];
    }
    return Float32Array.from(ramp);
  }
  const [lo, hi] = spec.range ?? [-1, 1];
  const margin = spec.margin ?? 0.05;
  return Float32Array.from({ length: count }, () => {
    let v = lo + (hi - lo) * random();
    for (const k of spec.kinks ?? []) if (Math.abs(v - k) < margin) v = k + (v < k ? -margin : margin);
    return v;
  });
}

function intTensor(name: string, dims: number[], data: number[]): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: 7, int64Data: data.map(BigInt) });
}

export function buildCase(c: VjpCase, seed = 1): Uint8Array {
  const random = seededRandom(seed + 1000);
  const initializers: TensorProto[] = [
    ...Object.entries(c.floats ?? {}).map(([name, f]) => {
      const count = f.dims.reduce((a, b) => a * b, 1);
      return floatTensor(name, f.dims, Float32Array.from(f.data ?? Array.from({ length: count }, () => 2 * random() - 1)));
    }),
    ...Object.entries(c.ints ?? {}).map(([name, values]) => int64Tensor(name, values)),
    ...Object.entries(c.intTensors ?? {}).map(([name, t]) => intTensor(name, t.dims, t.data)),
  ];
  return serialise({
    inputs: Object.entries(c.inputs).map(([name, s]) => valueInfo(name, s.dims)),
    outputs: [valueInfo(c.output.name, c.output.dims)],
    nodes: c.nodes,
    initializers,
    opset: c.opset ?? 13,
  });
}

const n = node;
const x4 = (dims: number[], extra: Partial<InputSpec> = {}) => ({ x: { dims, ...extra } });
const conv = (name: string, attrs: NodeProto['attribute'], inDims: number[], wDims: number[], outDims: number[], bias = true): VjpCase => ({
  name,
  check: 'adjoint',
  inputs: x4(inDims),
  floats: { W: { dims: wDims }, ...(bias ? { B: { dims: [wDims[0]] } } : {}) },
  nodes: [n('Conv', ['x', 'W', ...(bias ? ['B'] : [])], ['y'], attrs)],
  output: { name: 'y', dims: outDims },
});
const pool = (name: string, op: string, attrs: NodeProto['attribute'], inDims: number[], outDims: number[], check: 'adjoint' | 'fd' = 'adjoint'): VjpCase => ({
  name,
  check,
  inputs: x4(inDims, op.endsWith('MaxPool') ? { distinct: true } : {}),
  nodes: [n(op, ['x'], ['y'], attrs)],
  output: { name: 'y', dims: outDims },
});
const unary = (op: string, input: InputSpec, attrs: NodeProto['attribute'] = [], opset = 13): VjpCase => ({
  name: `${op}${attrs.length ? ` ${attrs.map((a) => a.name).join(',')}` : ''}`,
  check: 'fd',
  opset,
  inputs: { x: input },
  nodes: [n(op, ['x'], ['y'], attrs)],
  output: { name: 'y', dims: input.dims },
});

export const VJP_CASES: VjpCase[] = [
  // Conv: strides with remainder, asymmetric pads, auto_pad, dilations, groups, depthwise, 1-D
  conv('Conv k3 s1 p1 + bias', [intsAttr('pads', [1, 1, 1, 1])], [2, 3, 6, 5], [4, 3, 3, 3], [2, 4, 6, 5]),
  conv('Conv k3 s2 p1, H=7 (stride remainder)', [intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1])], [1, 2, 7, 8], [3, 2, 3, 3], [1, 3, 4, 4]),
  conv('Conv k5 s3 asymmetric pads', [intsAttr('strides', [3, 3]), intsAttr('pads', [1, 2, 0, 1])], [1, 2, 11, 9], [2, 2, 5, 5], [1, 2, 3, 3], false),
  conv('Conv dilation 2', [intsAttr('dilations', [2, 2]), intsAttr('pads', [2, 1, 2, 1])], [1, 2, 8, 7], [3, 2, 3, 3], [1, 3, 8, 5]),
  conv('Conv group 2', [intAttr('group', 2), intsAttr('pads', [1, 1, 1, 1])], [1, 4, 5, 5], [6, 2, 3, 3], [1, 6, 5, 5]),
  conv('Conv depthwise s2', [intAttr('group', 4), intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1])], [1, 4, 6, 6], [4, 1, 3, 3], [1, 4, 3, 3]),
  conv('Conv auto_pad SAME_UPPER s2', [stringAttr('auto_pad', 'SAME_UPPER'), intsAttr('strides', [2, 2])], [1, 2, 7, 6], [2, 2, 4, 4], [1, 2, 4, 3]),
  conv('Conv auto_pad SAME_LOWER', [stringAttr('auto_pad', 'SAME_LOWER')], [1, 2, 5, 5], [2, 2, 2, 2], [1, 2, 5, 5]),
  conv('Conv 1-D k3 s2', [intsAttr('strides', [2]), intsAttr('pads', [1, 0])], [2, 3, 9], [2, 3, 3], [2, 2, 4]),
  conv('Conv k1 s2 (projection shortcut)', [intsAttr('strides', [2, 2])], [1, 4, 6, 6], [3, 4, 1, 1], [1, 3, 3, 3], false),
  // Gemm and MatMul: linear in one operand with the other constant; bilinear cases by differences
  {
    name: 'Gemm transB, α, β, C broadcast (A and C vary)',
    check: 'adjoint',
    inputs: { A: { dims: [3, 4] }, C: { dims: [5] } },
    floats: { B: { dims: [5, 4] } },
    nodes: [n('Gemm', ['A', 'B', 'C'], ['y'], [intAttr('transB', 1), floatAttr('alpha', 0.7), floatAttr('beta', 1.3)])],
    output: { name: 'y', dims: [3, 5] },
  },
  {
    name: 'Gemm transA, B varies',
    check: 'adjoint',
    inputs: { B: { dims: [4, 5] } },
    floats: { A: { dims: [4, 3] }, C: { dims: [3, 5] } },
    nodes: [n('Gemm', ['A', 'B', 'C'], ['y'], [intAttr('transA', 1)])],
    output: { name: 'y', dims: [3, 5] },
  },
  {
    name: 'Gemm both operands (transA, transB)',
    check: 'fd',
    inputs: { A: { dims: [4, 3] }, B: { dims: [5, 4] } },
    nodes: [n('Gemm', ['A', 'B'], ['y'], [intAttr('transA', 1), intAttr('transB', 1)])],
    output: { name: 'y', dims: [3, 5] },
  },
  {
    name: 'MatMul batch broadcast, A varies',
    check: 'adjoint',
    inputs: { A: { dims: [2, 1, 3, 4] } },
    floats: { B: { dims: [5, 4, 6] } },
    nodes: [n('MatMul', ['A', 'B'], ['y'])],
    output: { name: 'y', dims: [2, 5, 3, 6] },
  },
  {
    name: 'MatMul 1-D operands',
    check: 'fd',
    inputs: { A: { dims: [4] }, B: { dims: [2, 4, 3] } },
    nodes: [n('MatMul', ['A', 'B'], ['y'])],
    output: { name: 'y', dims: [2, 3] },
  },
  {
    name: 'MatMul both operands, batch broadcast',
    check: 'fd',
    inputs: { A: { dims: [3, 4] }, B: { dims: [2, 4, 5] } },
    nodes: [n('MatMul', ['A', 'B'], ['y'])],
    output: { name: 'y', dims: [2, 3, 5] },
  },
  // broadcasting arithmetic
  {
    name: 'Add and Sub with broadcasting, both inputs vary',
    check: 'adjoint',
    inputs: { A: { dims: [2, 3, 4, 5] }, B: { dims: [3, 1, 5] }, C: { dims: [1, 5] } },
    nodes: [n('Add', ['A', 'B'], ['s']), n('Sub', ['C', 's'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4, 5] },
  },
  {
    name: 'Add of a constant (affine)',
    check: 'adjoint',
    inputs: { x: { dims: [3, 4] } },
    floats: { b: { dims: [4] } },
    nodes: [n('Add', ['x', 'b'], ['y'])],
    output: { name: 'y', dims: [3, 4] },
  },
  {
    name: 'Mul and Div by constants (broadcast)',
    check: 'adjoint',
    inputs: { x: { dims: [2, 3, 4] } },
    floats: { m: { dims: [3, 1] }, d: { dims: [4], data: [0.5, -2, 1.5, 3] } },
    nodes: [n('Mul', ['x', 'm'], ['p']), n('Div', ['p', 'd'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'Mul fan-in x·x + x',
    check: 'fd',
    inputs: { x: { dims: [3, 4] } },
    nodes: [n('Mul', ['x', 'x'], ['sq']), n('Add', ['sq', 'x'], ['y'])],
    output: { name: 'y', dims: [3, 4] },
  },
  {
    name: 'Mul and Div of two inputs with broadcasting',
    check: 'fd',
    inputs: { A: { dims: [2, 3, 4] }, B: { dims: [3, 1], range: [0.5, 2] } },
    nodes: [n('Mul', ['A', 'B'], ['p']), n('Div', ['p', 'B'], ['q']), n('Div', ['q', 'B'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'Pow, base and exponent vary',
    check: 'fd',
    inputs: { A: { dims: [3, 4], range: [0.5, 2] }, B: { dims: [4], range: [-1.5, 2.5] } },
    nodes: [n('Pow', ['A', 'B'], ['y'])],
    output: { name: 'y', dims: [3, 4] },
  },
  {
    name: 'Pow with a constant exponent 2 (decomposed LayerNorm)',
    check: 'fd',
    inputs: { x: { dims: [2, 5] } },
    floats: { two: { dims: [], data: [2] } },
    nodes: [n('Pow', ['x', 'two'], ['y'])],
    output: { name: 'y', dims: [2, 5] },
  },
  // elementwise nonlinearities, inputs away from kinks
  unary('Relu', { dims: [2, 3, 4], kinks: [0] }),
  {
    name: 'Clip min 0 max 6 (ReLU6)',
    check: 'fd',
    inputs: { x: { dims: [3, 8], range: [-2, 8], kinks: [0, 6], margin: 0.1 } },
    floats: { lo: { dims: [], data: [0] }, hi: { dims: [], data: [6] } },
    nodes: [n('Clip', ['x', 'lo', 'hi'], ['y'])],
    output: { name: 'y', dims: [3, 8] },
  },
  {
    name: 'Clip min only',
    check: 'fd',
    inputs: { x: { dims: [10], kinks: [-0.2] } },
    floats: { lo: { dims: [], data: [-0.2] } },
    nodes: [n('Clip', ['x', 'lo'], ['y'])],
    output: { name: 'y', dims: [10] },
  },
  unary('Sigmoid', { dims: [2, 6], range: [-4, 4] }),
  unary('HardSigmoid', { dims: [3, 8], range: [-5, 5], kinks: [-3, 3], margin: 0.1 }, [floatAttr('alpha', 1 / 6), floatAttr('beta', 0.5)]),
  unary('HardSwish', { dims: [3, 8], range: [-5, 5], kinks: [-3, 3], margin: 0.1 }, [], 14),
  unary('Erf', { dims: [2, 6], range: [-2, 2] }),
  unary('Tanh', { dims: [2, 6], range: [-2, 2] }),
  unary('Sqrt', { dims: [2, 6], range: [0.5, 3] }),
  unary('Exp', { dims: [2, 6] }),
  unary('Log', { dims: [2, 6], range: [0.5, 3] }),
  unary('Reciprocal', { dims: [2, 6], range: [0.5, 3] }),
  unary('Abs', { dims: [2, 6], kinks: [0] }),
  unary('Neg', { dims: [2, 6] }),
  unary('LeakyRelu', { dims: [3, 6], kinks: [0] }, [floatAttr('alpha', 0.2)]),
  unary('Elu', { dims: [3, 6], range: [-2, 2], kinks: [0] }, [floatAttr('alpha', 0.7)]),
  unary('Selu', { dims: [3, 6], range: [-2, 2], kinks: [0] }),
  unary('Celu', { dims: [3, 6], range: [-2, 2], kinks: [0] }, [floatAttr('alpha', 1.5)]),
  unary('Softplus', { dims: [3, 6], range: [-3, 3] }),
  unary('Softsign', { dims: [3, 6], range: [-3, 3], kinks: [0] }),
  {
    name: 'PRelu, per-channel slope',
    check: 'fd',
    inputs: { x: { dims: [2, 3, 4], kinks: [0] } },
    floats: { slope: { dims: [3, 1], data: [0.1, -0.3, 0.5] } },
    nodes: [n('PRelu', ['x', 'slope'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'Floor, Ceil, Round, Sign, Hardmax (zero derivative) plus x·x',
    check: 'fd',
    inputs: { x: { dims: [12], range: [-3, 3], kinks: [-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3], margin: 0.1 } },
    nodes: [
      n('Floor', ['x'], ['f']),
      n('Ceil', ['x'], ['c']),
      n('Round', ['x'], ['r']),
      n('Sign', ['x'], ['s']),
      n('Hardmax', ['x'], ['h'], [intAttr('axis', 0)]),
      n('Mul', ['x', 'x'], ['sq']),
      n('Sum', ['f', 'c', 'r', 's', 'h', 'sq'], ['y']),
    ],
    output: { name: 'y', dims: [12] },
  },
  {
    name: 'Sum and Mean of three inputs with broadcasting',
    check: 'adjoint',
    inputs: { a: { dims: [2, 3] }, b: { dims: [3] }, c: { dims: [2, 1] } },
    nodes: [n('Sum', ['a', 'b', 'c'], ['s']), n('Mean', ['s', 'b', 'c'], ['y'])],
    output: { name: 'y', dims: [2, 3] },
  },
  // normalisation and softmax
  {
    name: 'BatchNormalization (inference, affine)',
    check: 'adjoint',
    inputs: { x: { dims: [2, 3, 4, 4] } },
    floats: { s: { dims: [3] }, b: { dims: [3] }, m: { dims: [3] }, v: { dims: [3], data: [0.5, 1.2, 2] } },
    nodes: [n('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], [floatAttr('epsilon', 1e-3)])],
    output: { name: 'y', dims: [2, 3, 4, 4] },
  },
  {
    name: 'LayerNormalization axis −1',
    check: 'fd',
    opset: 17,
    inputs: { x: { dims: [2, 3, 8] } },
    floats: { scale: { dims: [8] }, bias: { dims: [8] } },
    nodes: [n('LayerNormalization', ['x', 'scale', 'bias'], ['y'], [floatAttr('epsilon', 1e-6)])],
    output: { name: 'y', dims: [2, 3, 8] },
  },
  {
    name: 'LayerNormalization axis 1 (last two dims), Mean and InvStdDev outputs used',
    check: 'fd',
    opset: 17,
    inputs: { x: { dims: [2, 3, 4] } },
    floats: { scale: { dims: [3, 4] } },
    nodes: [
      n('LayerNormalization', ['x', 'scale'], ['ln', 'mu', 'rstd'], [intAttr('axis', 1)]),
      n('Mul', ['mu', 'rstd'], ['stats']),
      n('Add', ['ln', 'stats'], ['y']),
    ],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'Softmax axis 1',
    check: 'fd',
    inputs: { x: { dims: [2, 5, 3], range: [-2, 2] } },
    nodes: [n('Softmax', ['x'], ['y'], [intAttr('axis', 1)])],
    output: { name: 'y', dims: [2, 5, 3] },
  },
  unary('Softmax', { dims: [3, 7], range: [-2, 2] }),
  {
    name: 'Softmax opset 11 (coerced to 2-D from axis 1)',
    check: 'fd',
    opset: 11,
    inputs: { x: { dims: [2, 3, 4], range: [-2, 2] } },
    nodes: [n('Softmax', ['x'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'LogSoftmax axis 1',
    check: 'fd',
    inputs: { x: { dims: [3, 6], range: [-2, 2] } },
    nodes: [n('LogSoftmax', ['x'], ['y'], [intAttr('axis', 1)])],
    output: { name: 'y', dims: [3, 6] },
  },
  // pooling and reductions
  pool('MaxPool k3 s2 p1', 'MaxPool', [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1])], [1, 2, 7, 7], [1, 2, 4, 4], 'fd'),
  pool('MaxPool k3 s2 ceil_mode', 'MaxPool', [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intAttr('ceil_mode', 1)], [1, 2, 6, 6], [1, 2, 3, 3], 'fd'),
  pool('MaxPool k2 dilation 2, pads', 'MaxPool', [intsAttr('kernel_shape', [2, 2]), intsAttr('dilations', [2, 2]), intsAttr('pads', [1, 0, 0, 1])], [1, 2, 6, 5], [1, 2, 5, 4], 'fd'),
  pool('MaxPool 1-D k2 s2', 'MaxPool', [intsAttr('kernel_shape', [2]), intsAttr('strides', [2])], [2, 3, 8], [2, 3, 4], 'fd'),
  pool('AveragePool k3 s2 p1, count_include_pad 0', 'AveragePool', [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1])], [1, 2, 7, 6], [1, 2, 4, 3]),
  pool('AveragePool k3 s2 p1, count_include_pad 1', 'AveragePool', [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1]), intAttr('count_include_pad', 1)], [1, 2, 7, 6], [1, 2, 4, 3]),
  pool('AveragePool k3 s2 ceil_mode', 'AveragePool', [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intAttr('ceil_mode', 1)], [1, 2, 6, 6], [1, 2, 3, 3]),
  pool('AveragePool k3 s2 p1 ceil_mode, count_include_pad 1', 'AveragePool', [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1]), intAttr('ceil_mode', 1), intAttr('count_include_pad', 1)], [1, 1, 6, 6], [1, 1, 4, 4]),
  pool('AveragePool k2 s2 (DenseNet transition)', 'AveragePool', [intsAttr('kernel_shape', [2, 2]), intsAttr('strides', [2, 2])], [2, 3, 4, 6], [2, 3, 2, 3]),
  pool('GlobalAveragePool', 'GlobalAveragePool', [], [2, 3, 5, 4], [2, 3, 1, 1]),
  pool('GlobalMaxPool', 'GlobalMaxPool', [], [2, 3, 5, 4], [2, 3, 1, 1], 'fd'),
  {
    name: 'ConvTranspose s2, pads, output_padding, groups',
    check: 'adjoint',
    inputs: x4([1, 4, 4, 5]),
    floats: { W: { dims: [4, 3, 3, 3] }, B: { dims: [6] } },
    nodes: [n('ConvTranspose', ['x', 'W', 'B'], ['y'], [intsAttr('strides', [2, 2]), intsAttr('pads', [1, 0, 1, 1]), intsAttr('output_padding', [1, 0]), intAttr('group', 2)])],
    output: { name: 'y', dims: [1, 6, 8, 10] },
  },
  {
    name: 'Tile',
    check: 'adjoint',
    inputs: x4([2, 3]),
    ints: { repeats: [3, 2] },
    nodes: [n('Tile', ['x', 'repeats'], ['y'])],
    output: { name: 'y', dims: [6, 6] },
  },
  {
    name: 'ReduceMean axes attribute (opset 13), keepdims 0',
    check: 'adjoint',
    inputs: x4([2, 3, 4]),
    nodes: [n('ReduceMean', ['x'], ['y'], [intsAttr('axes', [-1, 0]), intAttr('keepdims', 0)])],
    output: { name: 'y', dims: [3] },
  },
  {
    name: 'ReduceMean axes input (opset 18), keepdims 1',
    check: 'adjoint',
    opset: 18,
    inputs: x4([2, 3, 4, 5]),
    ints: { axes: [2, 3] },
    nodes: [n('ReduceMean', ['x', 'axes'], ['y'])],
    output: { name: 'y', dims: [2, 3, 1, 1] },
  },
  {
    name: 'ReduceSum axes input, keepdims 0',
    check: 'adjoint',
    inputs: x4([2, 3, 4]),
    ints: { axes: [1] },
    nodes: [n('ReduceSum', ['x', 'axes'], ['y'], [intAttr('keepdims', 0)])],
    output: { name: 'y', dims: [2, 4] },
  },
  ...['ReduceSumSquare', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMin'].map(
    (op): VjpCase => ({
      name: `${op} axes [1] (attribute, opset 13)`,
      check: 'fd',
      inputs: x4([2, 5, 3], op.endsWith('Max') || op.endsWith('Min') ? { distinct: true } : { kinks: [0] }),
      nodes: [n(op, ['x'], ['y'], [intsAttr('axes', [1])])],
      output: { name: 'y', dims: [2, 1, 3] },
    }),
  ),
  {
    name: 'ReduceLogSum all axes, keepdims 0 (positive data)',
    check: 'fd',
    inputs: x4([3, 4], { range: [0.5, 2] }),
    nodes: [n('ReduceLogSum', ['x'], ['y'], [intAttr('keepdims', 0)])],
    output: { name: 'y', dims: [] },
  },
  {
    name: 'ReduceSum all axes (no axes input)',
    check: 'adjoint',
    inputs: x4([2, 3]),
    nodes: [n('ReduceSum', ['x'], ['y'])],
    output: { name: 'y', dims: [1, 1] },
  },
  // moving elements
  {
    name: 'Concat of three inputs, axis 1',
    check: 'adjoint',
    inputs: { a: { dims: [2, 1, 3] }, b: { dims: [2, 4, 3] }, c: { dims: [2, 2, 3] } },
    nodes: [n('Concat', ['a', 'b', 'c'], ['y'], [intAttr('axis', 1)])],
    output: { name: 'y', dims: [2, 7, 3] },
  },
  {
    name: 'Split by sizes (input), one output unused',
    check: 'adjoint',
    inputs: x4([2, 6, 3]),
    ints: { split: [2, 1, 3] },
    floats: { w: { dims: [2, 2, 3] } },
    nodes: [n('Split', ['x', 'split'], ['s0', 's1', 's2'], [intAttr('axis', 1)]), n('Mul', ['s0', 'w'], ['p']), n('Concat', ['p', 's2'], ['y'], [intAttr('axis', 1)])],
    output: { name: 'y', dims: [2, 5, 3] },
  },
  {
    name: 'Split num_outputs (opset 18), negative axis',
    check: 'adjoint',
    opset: 18,
    inputs: x4([2, 6]),
    nodes: [n('Split', ['x'], ['s0', 's1', 's2'], [intAttr('axis', -1), intAttr('num_outputs', 3)]), n('Sub', ['s0', 's2'], ['y'])],
    output: { name: 'y', dims: [2, 2] },
  },
  {
    name: 'Slice: clamped start, steps 3 and −2',
    check: 'adjoint',
    inputs: x4([5, 10, 12]),
    ints: { starts: [-100, 1, -1], ends: [100, 9, -10], axes: [0, 1, 2], steps: [1, 3, -2] },
    nodes: [n('Slice', ['x', 'starts', 'ends', 'axes', 'steps'], ['y'])],
    output: { name: 'y', dims: [5, 3, 5] },
  },
  {
    name: 'Slice: default axes and steps',
    check: 'adjoint',
    inputs: x4([4, 6]),
    ints: { starts: [1, 2], ends: [3, 100] },
    nodes: [n('Slice', ['x', 'starts', 'ends'], ['y'])],
    output: { name: 'y', dims: [2, 4] },
  },
  {
    name: 'Gather axis 1, repeated and negative indices',
    check: 'adjoint',
    inputs: x4([2, 3, 4]),
    intTensors: { q: { dims: [2, 2], data: [0, -1, 2, 0] } },
    nodes: [n('Gather', ['x', 'q'], ['y'], [intAttr('axis', 1)])],
    output: { name: 'y', dims: [2, 2, 2, 4] },
  },
  {
    name: 'Gather scalar index (class token)',
    check: 'adjoint',
    inputs: x4([2, 5, 3]),
    intTensors: { q: { dims: [], data: [0] } },
    nodes: [n('Gather', ['x', 'q'], ['y'], [intAttr('axis', 1)])],
    output: { name: 'y', dims: [2, 3] },
  },
  {
    name: 'Reshape, Flatten, Unsqueeze, Squeeze, Transpose',
    check: 'adjoint',
    inputs: x4([2, 3, 4]),
    ints: { shape: [0, -1, 2], axes0: [1], axes1: [1] },
    nodes: [
      n('Reshape', ['x', 'shape'], ['r']),
      n('Transpose', ['r'], ['t'], [intsAttr('perm', [2, 0, 1])]),
      n('Unsqueeze', ['t', 'axes0'], ['u']),
      n('Squeeze', ['u', 'axes1'], ['s']),
      n('Flatten', ['s'], ['y'], [intAttr('axis', 2)]),
    ],
    output: { name: 'y', dims: [4, 6] },
  },
  {
    name: 'Transpose default (reversed) permutation',
    check: 'adjoint',
    inputs: x4([2, 3, 4]),
    nodes: [n('Transpose', ['x'], ['y'])],
    output: { name: 'y', dims: [4, 3, 2] },
  },
  {
    name: 'Expand (3,1) → (2,3,4)',
    check: 'adjoint',
    inputs: x4([3, 1]),
    ints: { shape: [2, 3, 4] },
    nodes: [n('Expand', ['x', 'shape'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'Pad constant with a value',
    check: 'adjoint',
    inputs: x4([2, 3, 4]),
    ints: { pads: [0, 1, 2, 1, 0, 3] },
    floats: { value: { dims: [], data: [0.5] } },
    nodes: [n('Pad', ['x', 'pads', 'value'], ['y'])],
    output: { name: 'y', dims: [3, 4, 9] },
  },
  {
    name: 'Pad reflect',
    check: 'adjoint',
    inputs: x4([1, 2, 5, 6]),
    ints: { pads: [0, 0, 1, 2, 0, 0, 2, 1] },
    nodes: [n('Pad', ['x', 'pads'], ['y'], [stringAttr('mode', 'reflect')])],
    output: { name: 'y', dims: [1, 2, 8, 9] },
  },
  {
    name: 'Pad edge',
    check: 'adjoint',
    inputs: x4([2, 4]),
    ints: { pads: [1, 2, 2, 1] },
    nodes: [n('Pad', ['x', 'pads'], ['y'], [stringAttr('mode', 'edge')])],
    output: { name: 'y', dims: [5, 7] },
  },
  {
    name: 'Pad with negative pads (crop), axes input (opset 18)',
    check: 'adjoint',
    opset: 18,
    inputs: x4([3, 6]),
    ints: { pads: [-1, 2, 2, -1], axes: [1, 0] },
    nodes: [n('Pad', ['x', 'pads', '', 'axes'], ['y'])],
    output: { name: 'y', dims: [4, 7] },
  },
  {
    name: 'Where with broadcasting, both branches vary',
    check: 'adjoint',
    inputs: { a: { dims: [3, 4] }, b: { dims: [2, 3, 1] } },
    floats: { t: { dims: [2, 1, 4] }, zero: { dims: [], data: [0] } },
    nodes: [n('Greater', ['t', 'zero'], ['c']), n('Where', ['c', 'a', 'b'], ['y'])],
    output: { name: 'y', dims: [2, 3, 4] },
  },
  {
    name: 'Identity, Dropout (inference), Cast float → double, CastLike → float',
    check: 'adjoint',
    opset: 15,
    inputs: x4([2, 3]),
    floats: { like: { dims: [], data: [0] } },
    nodes: [n('Identity', ['x'], ['i']), n('Dropout', ['i'], ['d']), n('Cast', ['d'], ['c64'], [intAttr('to', 11)]), n('CastLike', ['c64', 'like'], ['y'])],
    output: { name: 'y', dims: [2, 3] },
  },
];
