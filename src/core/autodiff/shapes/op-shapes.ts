// Output element types and static shapes per op type (ai.onnx, opsets 13–21), for the ops of
// classifier exports and their shape subgraphs. An op missing here falls back to the shapes the
// model declares (value_info, graph outputs); a null result means "cannot tell".
import type { Attributes } from '../onnx/attributes';
import { ElemType, type ConstTensor } from '../onnx/tensor';
import { broadcastShapes, expandPads, normalizeAxis, product, reductionAxes, resolveSlice, shapeOpRange, windowGeometry, windowOutputSize } from './dims';

export interface TensorInfo {
  elemType: number;
  /** static dims, or null when unknown */
  shape: number[] | null;
}

export interface ShapeNode {
  opType: string;
  opset: number;
  attrs: Attributes;
  /** input infos; null for an omitted optional input ('') or an unknown tensor */
  inputs: (TensorInfo | null)[];
  /** known constant values of the inputs */
  values: (ConstTensor | null)[];
  outputCount: number;
}

type ShapeFn = (n: ShapeNode) => TensorInfo[] | null;

const known = (info: TensorInfo | null): info is TensorInfo & { shape: number[] } => !!info && info.shape !== null;

function shapeOf(n: ShapeNode, i: number): number[] | null {
  const info = n.inputs[i];
  return known(info) ? info.shape : null;
}

function typeOf(n: ShapeNode, i: number): number {
  return n.inputs[i]?.elemType ?? 0;
}

const same: ShapeFn = (n) => [{ elemType: typeOf(n, 0), shape: shapeOf(n, 0) }];

function broadcastOf(n: ShapeNode, indices: number[]): number[] | null {
  const shapes = indices.map((i) => shapeOf(n, i));
  if (shapes.some((s) => s === null)) return null;
  return broadcastShapes(shapes as number[][]);
}

const broadcastAll = (elemType: (n: ShapeNode) => number): ShapeFn => (n) => [{ elemType: elemType(n), shape: broadcastOf(n, n.inputs.map((_, i) => i)) }];

/** Axes given as an input (newer opsets) or an attribute (older). */
function axesOf(n: ShapeNode, inputIndex: number): number[] | null | 'unknown' {
  if (n.inputs.length > inputIndex && n.inputs[inputIndex]) {
    const v = n.values[inputIndex];
    return v ? v.data : 'unknown';
  }
  return n.attrs.ints('axes');
}

function reduceShape(n: ShapeNode, axesInput: number): TensorInfo[] | null {
  const x = shapeOf(n, 0);
  const axes = axesOf(n, axesInput);
  if (!x || axes === 'unknown') return [{ elemType: typeOf(n, 0), shape: null }];
  const keep = n.attrs.int('keepdims', 1) === 1;
  const list = reductionAxes(axes, x.length, n.attrs.int('noop_with_empty_axes', 0) === 1);
  const shape: number[] = [];
  x.forEach((d, i) => {
    if (!list.includes(i)) shape.push(d);
    else if (keep) shape.push(1);
  });
  return [{ elemType: typeOf(n, 0), shape }];
}

function matmulShape(a: number[], b: number[]): number[] | null {
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  if (a2[a2.length - 1] !== b2[b2.length - 2]) return null;
  const batch = broadcastShapes([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return null;
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

/** Spatial output of Conv and the pools. */
function windowShape(n: ShapeNode, channels: number | null): number[] | null {
  const x = shapeOf(n, 0);
  if (!x) return null;
  const spatial = x.slice(2);
  const w = n.opType === 'Conv' ? shapeOf(n, 1) : null;
  const kernel = n.attrs.ints('kernel_shape') ?? (w ? w.slice(2) : null);
  if (!kernel) return null;
  const { strides, dilations, pads } = windowGeometry(n.attrs, spatial, kernel);
  const ceil = n.attrs.int('ceil_mode', 0) === 1;
  const out = spatial.map((d, i) => windowOutputSize(d, kernel[i], strides[i], dilations[i], pads[i], pads[spatial.length + i], ceil));
  return [x[0], channels ?? x[1], ...out];
}

function sliceShape(n: ShapeNode): number[] | null {
  const x = shapeOf(n, 0);
  const [starts, ends] = [n.values[1], n.values[2]];
  if (!x || !starts || !ends) return null;
  // null: not given (the defaults); undefined: given but not a known constant
  const axes = n.inputs[3] ? n.values[3]?.data : null;
  const steps = n.inputs[4] ? n.values[4]?.data : null;
  if (axes === undefined || steps === undefined) return null;
  const out = [...x];
  for (const s of resolveSlice(x, starts.data, ends.data, axes, steps)) out[s.axis] = s.count;
  return out;
}

function reshapeShape(x: number[], target: number[], allowZero: boolean): number[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const rest = product(out.filter((_, i) => i !== minus));
    out[minus] = rest === 0 ? 0 : product(x) / rest;
  }
  return out;
}

function splitSizes(n: ShapeNode, x: number[], axis: number): number[] | null {
  if (n.inputs[1]) return n.values[1]?.data ?? null;
  const attr = n.attrs.ints('split');
  if (attr) return attr;
  const parts = n.attrs.int('num_outputs', n.outputCount);
  const size = Math.ceil(x[axis] / parts);
  return Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(size, x[axis] - i * size)));
}

function padsOf(n: ShapeNode, rank: number): number[] | null {
  if (n.opset < 11) return n.attrs.ints('pads');
  const pads = n.values[1]?.data;
  if (!pads) return null;
  if (!n.inputs[3]) return pads;
  const axes = n.values[3]?.data;
  if (!axes) return null;
  return expandPads(pads, axes, rank);
}

function constantOutput(n: ShapeNode): TensorInfo[] {
  const t = n.attrs.tensor('value');
  if (t) return [{ elemType: t.dataType, shape: t.dims.map(Number) }];
  if (n.attrs.has('value_float')) return [{ elemType: ElemType.FLOAT, shape: [] }];
  if (n.attrs.has('value_int')) return [{ elemType: ElemType.INT64, shape: [] }];
  const floats = n.attrs.floats('value_floats');
  if (floats) return [{ elemType: ElemType.FLOAT, shape: [floats.length] }];
  const ints = n.attrs.ints('value_ints');
  if (ints) return [{ elemType: ElemType.INT64, shape: [ints.length] }];
  return [{ elemType: 0, shape: null }];
}

const BOOL = () => ElemType.BOOL;
const first = (n: ShapeNode) => typeOf(n, 0);

const UNARY_SAME = [
  'Abs', 'Acos', 'Acosh', 'Asin', 'Asinh', 'Atan', 'Atanh', 'Ceil', 'Celu', 'Clip', 'Cos', 'Cosh', 'CumSum', 'Elu', 'Erf', 'Exp', 'Floor',
  'Gelu', 'HardSigmoid', 'HardSwish', 'Hardmax', 'Identity', 'InstanceNormalization', 'LRN', 'LeakyRelu', 'Log', 'LogSoftmax',
  'MeanVarianceNormalization', 'Mish', 'Neg', 'Reciprocal', 'Relu', 'Round', 'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Sinh',
  'Softmax', 'Softplus', 'Softsign', 'Sqrt', 'Tan', 'Tanh', 'ThresholdedRelu', 'Trilu',
];

const SHAPES: Record<string, ShapeFn> = {
  ...Object.fromEntries(UNARY_SAME.map((op) => [op, same])),
  ...Object.fromEntries(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'PRelu', 'Max', 'Min', 'Sum', 'Mean', 'BitShift'].map((op) => [op, broadcastAll(first)])),
  ...Object.fromEntries(['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual', 'And', 'Or', 'Xor'].map((op) => [op, broadcastAll(BOOL)])),
  ...Object.fromEntries(['Not', 'IsNaN', 'IsInf'].map((op) => [op, (n: ShapeNode) => [{ elemType: ElemType.BOOL, shape: shapeOf(n, 0) }]])),
  ...Object.fromEntries(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'].map((op) => [op, (n: ShapeNode) => reduceShape(n, 1)])),
  Where: (n) => [{ elemType: typeOf(n, 1), shape: broadcastOf(n, [0, 1, 2]) }],
  Cast: (n) => [{ elemType: n.attrs.int('to', 0), shape: shapeOf(n, 0) }],
  CastLike: (n) => [{ elemType: typeOf(n, 1), shape: shapeOf(n, 0) }],
  Dropout: (n) => [same(n)![0], { elemType: ElemType.BOOL, shape: shapeOf(n, 0) }],
  BatchNormalization: same,
  LayerNormalization: (n) => {
    const x = shapeOf(n, 0);
    const axis = x ? normalizeAxis(n.attrs.int('axis', -1), x.length) : 0;
    const stats = x ? x.map((d, i) => (i < axis ? d : 1)) : null;
    return [same(n)![0], { elemType: ElemType.FLOAT, shape: stats }, { elemType: ElemType.FLOAT, shape: stats }];
  },
  MatMul: (n) => {
    const [a, b] = [shapeOf(n, 0), shapeOf(n, 1)];
    return [{ elemType: first(n), shape: a && b ? matmulShape(a, b) : null }];
  },
  Gemm: (n) => {
    const [a, b] = [shapeOf(n, 0), shapeOf(n, 1)];
    if (!a || !b) return [{ elemType: first(n), shape: null }];
    const m = n.attrs.int('transA', 0) ? a[1] : a[0];
    const k = n.attrs.int('transB', 0) ? b[0] : b[1];
    return [{ elemType: first(n), shape: [m, k] }];
  },
  Conv: (n) => [{ elemType: first(n), shape: windowShape(n, shapeOf(n, 1)?.[0] ?? null) }],
  ConvTranspose: (n) => {
    const [x, w] = [shapeOf(n, 0), shapeOf(n, 1)];
    if (!x || !w) return [{ elemType: first(n), shape: null }];
    const spatial = x.slice(2);
    const given = n.attrs.ints('output_shape');
    const kernel = n.attrs.ints('kernel_shape') ?? w.slice(2);
    const strides = n.attrs.ints('strides') ?? spatial.map(() => 1);
    const dilations = n.attrs.ints('dilations') ?? spatial.map(() => 1);
    const pads = n.attrs.ints('pads') ?? spatial.flatMap(() => [0, 0]);
    const extra = n.attrs.ints('output_padding') ?? spatial.map(() => 0);
    const out = given ?? spatial.map((h, i) => strides[i] * (h - 1) + extra[i] + dilations[i] * (kernel[i] - 1) + 1 - pads[i] - pads[spatial.length + i]);
    return [{ elemType: first(n), shape: [x[0], w[1] * n.attrs.int('group', 1), ...out] }];
  },
  MaxPool: (n) => {
    const shape = windowShape(n, null);
    return [{ elemType: first(n), shape }, { elemType: ElemType.INT64, shape }];
  },
  AveragePool: (n) => [{ elemType: first(n), shape: windowShape(n, null) }],
  LpPool: (n) => [{ elemType: first(n), shape: windowShape(n, null) }],
  ...Object.fromEntries(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'].map((op) => [op, (n: ShapeNode) => {
    const x = shapeOf(n, 0);
    return [{ elemType: first(n), shape: x ? [x[0], x[1], ...x.slice(2).map(() => 1)] : null }];
  }])),
  ...Object.fromEntries(['ArgMax', 'ArgMin'].map((op) => [op, (n: ShapeNode) => {
    const x = shapeOf(n, 0);
    if (!x) return [{ elemType: ElemType.INT64, shape: null }];
    const axis = normalizeAxis(n.attrs.int('axis', 0), x.length);
    const keep = n.attrs.int('keepdims', 1) === 1;
    return [{ elemType: ElemType.INT64, shape: x.flatMap((d, i) => (i !== axis ? [d] : keep ? [1] : [])) }];
  }])),
  Concat: (n) => {
    const shapes = n.inputs.map((_, i) => shapeOf(n, i));
    if (shapes.some((s) => !s)) return [{ elemType: first(n), shape: null }];
    const list = shapes as number[][];
    const axis = normalizeAxis(n.attrs.int('axis', 0), list[0].length);
    const out = [...list[0]];
    out[axis] = list.reduce((sum, s) => sum + s[axis], 0);
    return [{ elemType: first(n), shape: out }];
  },
  Split: (n) => {
    const x = shapeOf(n, 0);
    const unknown = Array.from({ length: n.outputCount }, () => ({ elemType: first(n), shape: null }));
    if (!x) return unknown;
    const axis = normalizeAxis(n.attrs.int('axis', 0), x.length);
    const sizes = splitSizes(n, x, axis);
    if (!sizes) return unknown;
    return sizes.map((size) => ({ elemType: first(n), shape: x.map((d, i) => (i === axis ? size : d)) }));
  },
  Slice: (n) => [{ elemType: first(n), shape: sliceShape(n) }],
  Gather: (n) => {
    const [x, q] = [shapeOf(n, 0), shapeOf(n, 1)];
    if (!x || !q) return [{ elemType: first(n), shape: null }];
    const axis = normalizeAxis(n.attrs.int('axis', 0), x.length);
    return [{ elemType: first(n), shape: [...x.slice(0, axis), ...q, ...x.slice(axis + 1)] }];
  },
  GatherElements: (n) => [{ elemType: first(n), shape: shapeOf(n, 1) }],
  Reshape: (n) => {
    const [x, target] = [shapeOf(n, 0), n.values[1]];
    return [{ elemType: first(n), shape: x && target ? reshapeShape(x, target.data, n.attrs.int('allowzero', 0) === 1) : null }];
  },
  Flatten: (n) => {
    const x = shapeOf(n, 0);
    if (!x) return [{ elemType: first(n), shape: null }];
    const axis = n.attrs.int('axis', 1);
    const a = axis < 0 ? axis + x.length : axis;
    return [{ elemType: first(n), shape: [product(x.slice(0, a)), product(x.slice(a))] }];
  },
  Transpose: (n) => {
    const x = shapeOf(n, 0);
    if (!x) return [{ elemType: first(n), shape: null }];
    const perm = n.attrs.ints('perm') ?? x.map((_, i) => x.length - 1 - i);
    return [{ elemType: first(n), shape: perm.map((p) => x[p]) }];
  },
  Squeeze: (n) => {
    const x = shapeOf(n, 0);
    const axes = axesOf(n, 1);
    if (!x || axes === 'unknown') return [{ elemType: first(n), shape: null }];
    const list = axes ? axes.map((a) => normalizeAxis(a, x.length)) : x.flatMap((d, i) => (d === 1 ? [i] : []));
    return [{ elemType: first(n), shape: x.filter((_, i) => !list.includes(i)) }];
  },
  Unsqueeze: (n) => {
    const x = shapeOf(n, 0);
    const axes = axesOf(n, 1);
    if (!x || !axes || axes === 'unknown') return [{ elemType: first(n), shape: null }];
    const rank = x.length + axes.length;
    const list = axes.map((a) => normalizeAxis(a, rank));
    const out: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) out.push(list.includes(i) ? 1 : x[k++]);
    return [{ elemType: first(n), shape: out }];
  },
  Expand: (n) => {
    const [x, target] = [shapeOf(n, 0), n.values[1]];
    return [{ elemType: first(n), shape: x && target ? broadcastShapes([x, target.data]) : null }];
  },
  Tile: (n) => {
    const [x, repeats] = [shapeOf(n, 0), n.values[1]];
    return [{ elemType: first(n), shape: x && repeats ? x.map((d, i) => d * repeats.data[i]) : null }];
  },
  Pad: (n) => {
    const x = shapeOf(n, 0);
    const pads = x ? padsOf(n, x.length) : null;
    return [{ elemType: first(n), shape: x && pads ? x.map((d, i) => d + pads[i] + pads[x.length + i]) : null }];
  },
  Shape: (n) => {
    const x = n.inputs[0];
    const rank = x?.shape?.length;
    if (rank === undefined) return [{ elemType: ElemType.INT64, shape: null }];
    const [start, end] = shapeOpRange(n.attrs, rank);
    return [{ elemType: ElemType.INT64, shape: [Math.max(0, end - start)] }];
  },
  Size: () => [{ elemType: ElemType.INT64, shape: [] }],
  ConstantOfShape: (n) => {
    const dims = n.values[0];
    const value = n.attrs.tensor('value');
    return [{ elemType: value ? value.dataType : ElemType.FLOAT, shape: dims ? dims.data : null }];
  },
  Constant: constantOutput,
  Range: (n) => {
    const [start, limit, delta] = [n.values[0], n.values[1], n.values[2]];
    const count = start && limit && delta ? Math.max(Math.ceil((limit.data[0] - start.data[0]) / delta.data[0]), 0) : null;
    return [{ elemType: first(n), shape: count === null ? null : [count] }];
  },
  OneHot: (n) => {
    const [q, depth] = [shapeOf(n, 0), n.values[1]];
    if (!q || !depth) return [{ elemType: typeOf(n, 2), shape: null }];
    const axis = n.attrs.int('axis', -1);
    const rank = q.length + 1;
    const a = axis < 0 ? axis + rank : axis;
    const out = [...q];
    out.splice(a, 0, depth.data[0]);
    return [{ elemType: typeOf(n, 2), shape: out }];
  },
  NonZero: (n) => [{ elemType: ElemType.INT64, shape: null }].slice(0, n.outputCount),
};

export function inferNodeOutputs(n: ShapeNode): TensorInfo[] | null {
  const fn = SHAPES[n.opType];
  if (!fn) return null;
  try {
    return fn(n);
  } catch {
    return null;
  }
}
