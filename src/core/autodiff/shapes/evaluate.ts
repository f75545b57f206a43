// Evaluates small constant tensors on the host (shape subgraphs: Shape → Gather → Concat → Reshape,
// ConstantOfShape/Equal/Where → Expand, …), so that every shape, axis, pad and index a VJP rule
// reads is a known number. Only ops seen in such subgraphs; anything else stays unknown.
import type { Attributes } from '../onnx/attributes';
import { decodeTensor, ElemType, isFloatType, type ConstTensor } from '../onnx/tensor';
import { normalizeAxis, product, resolveSlice, rowMajorStrides, shapeOpRange } from './dims';
import type { TensorInfo } from './op-shapes';

/** Larger results are not evaluated: shape subgraphs are tiny, weights are not folded here. */
export const MAX_EVALUATED_ELEMENTS = 4096;

export interface EvalNode {
  opType: string;
  attrs: Attributes;
  inputs: (ConstTensor | null)[];
  /** the shapes of the node's outputs, already inferred */
  outputs: TensorInfo[];
  /** the static shape of input 0 (for Shape and Size, whose input has no known value) */
  inputShape: number[] | null;
}

type Evaluator = (n: EvalNode) => ConstTensor[] | null;

function roundTo(elemType: number, v: number): number {
  if (elemType === ElemType.FLOAT) return Math.fround(v);
  if (elemType === ElemType.BOOL) return v ? 1 : 0;
  if (isFloatType(elemType)) return v;
  return Math.trunc(v);
}

/** Gathers out[i] = x[index(i)] for an output of `shape`, where `source` maps output coordinates to an input flat index. */
function mapIndices(shape: number[], source: (coords: number[]) => number): number[] {
  const count = product(shape);
  const strides = rowMajorStrides(shape);
  const out = new Array<number>(count);
  const coords = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < count; i++) {
    let rest = i;
    for (let d = 0; d < shape.length; d++) {
      coords[d] = Math.floor(rest / strides[d]);
      rest -= coords[d] * strides[d];
    }
    out[i] = source(coords);
  }
  return out;
}

/** Flat index into `shape` of output coordinates under numpy broadcasting (trailing alignment). */
function broadcastIndex(shape: number[], outRank: number): (coords: number[]) => number {
  const strides = rowMajorStrides(shape);
  const lead = outRank - shape.length;
  return (coords) => {
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat += (shape[d] === 1 ? 0 : coords[lead + d]) * strides[d];
    return flat;
  };
}

const elementwise = (fn: (...v: number[]) => number): Evaluator => (n) => {
  const out = n.outputs[0];
  if (!out.shape || n.inputs.some((v) => !v)) return null;
  const ins = n.inputs as ConstTensor[];
  const maps = ins.map((v) => broadcastIndex(v.dims, out.shape!.length));
  const data = mapIndices(out.shape, (c) => {
    const flat = maps.map((m) => m(c));
    return roundTo(out.elemType, fn(...ins.map((v, k) => v.data[flat[k]])));
  });
  return [{ elemType: out.elemType, dims: out.shape, data }];
};

/** Ops that only move elements: the output is x gathered at positions computed from the output's coordinates. */
const moves = (source: (n: EvalNode, x: ConstTensor) => ((coords: number[]) => number) | null): Evaluator => (n) => {
  const x = n.inputs[0];
  const out = n.outputs[0];
  if (!x || !out.shape) return null;
  const map = source(n, x);
  if (!map) return null;
  const data = mapIndices(out.shape, (c) => x.data[map(c)]);
  return [{ elemType: out.elemType, dims: out.shape, data }];
};

function flatCopy(n: EvalNode): ConstTensor[] | null {
  const x = n.inputs[0];
  const out = n.outputs[0];
  if (!x || !out.shape) return null;
  return [{ elemType: out.elemType, dims: out.shape, data: x.data.map((v) => roundTo(out.elemType, v)) }];
}

const EVALUATORS: Record<string, Evaluator> = {
  Constant: (n) => {
    const t = n.attrs.tensor('value');
    if (t) return [decodeTensor(t)];
    if (n.attrs.has('value_float')) return [{ elemType: ElemType.FLOAT, dims: [], data: [n.attrs.float('value_float', 0)] }];
    if (n.attrs.has('value_int')) return [{ elemType: ElemType.INT64, dims: [], data: [n.attrs.int('value_int', 0)] }];
    const floats = n.attrs.floats('value_floats');
    if (floats) return [{ elemType: ElemType.FLOAT, dims: [floats.length], data: floats }];
    const ints = n.attrs.ints('value_ints');
    if (ints) return [{ elemType: ElemType.INT64, dims: [ints.length], data: ints }];
    return null;
  },
  Shape: (n) => {
    const x = n.inputShape;
    const out = n.outputs[0];
    if (!x || !out.shape) return null;
    const [start, end] = shapeOpRange(n.attrs, x.length);
    return [{ elemType: ElemType.INT64, dims: out.shape, data: x.slice(start, end) }];
  },
  Size: (n) => (n.inputShape ? [{ elemType: ElemType.INT64, dims: [], data: [product(n.inputShape)] }] : null),
  Identity: flatCopy,
  Cast: flatCopy,
  Reshape: flatCopy,
  Flatten: flatCopy,
  Squeeze: flatCopy,
  Unsqueeze: flatCopy,
  Add: elementwise((a, b) => a + b),
  Sub: elementwise((a, b) => a - b),
  Mul: elementwise((a, b) => a * b),
  Div: (n) => elementwise(isFloatType(n.outputs[0].elemType) ? (a, b) => a / b : (a, b) => Math.trunc(a / b))(n),
  Max: elementwise((...v) => Math.max(...v)),
  Min: elementwise((...v) => Math.min(...v)),
  Neg: elementwise((a) => -a),
  Abs: elementwise((a) => Math.abs(a)),
  Floor: elementwise((a) => Math.floor(a)),
  Ceil: elementwise((a) => Math.ceil(a)),
  Sqrt: elementwise((a) => Math.sqrt(a)),
  Equal: elementwise((a, b) => (a === b ? 1 : 0)),
  Less: elementwise((a, b) => (a < b ? 1 : 0)),
  Greater: elementwise((a, b) => (a > b ? 1 : 0)),
  LessOrEqual: elementwise((a, b) => (a <= b ? 1 : 0)),
  GreaterOrEqual: elementwise((a, b) => (a >= b ? 1 : 0)),
  Not: elementwise((a) => (a ? 0 : 1)),
  And: elementwise((a, b) => (a && b ? 1 : 0)),
  Or: elementwise((a, b) => (a || b ? 1 : 0)),
  Where: elementwise((c, a, b) => (c ? a : b)),
  Expand: moves((n, x) => broadcastIndex(x.dims, n.outputs[0].shape!.length)),
  Gather: moves((n, x) => {
    const q = n.inputs[1];
    if (!q) return null;
    const axis = normalizeAxis(n.attrs.int('axis', 0), x.dims.length);
    const strides = rowMajorStrides(x.dims);
    const qStrides = rowMajorStrides(q.dims);
    return (c) => {
      let qFlat = 0;
      for (let d = 0; d < q.dims.length; d++) qFlat += c[axis + d] * qStrides[d];
      const index = q.data[qFlat] < 0 ? q.data[qFlat] + x.dims[axis] : q.data[qFlat];
      let flat = index * strides[axis];
      for (let d = 0; d < axis; d++) flat += c[d] * strides[d];
      for (let d = axis + 1; d < x.dims.length; d++) flat += c[d + q.dims.length - 1] * strides[d];
      return flat;
    };
  }),
  Slice: moves((n, x) => {
    const [starts, ends] = [n.inputs[1], n.inputs[2]];
    if (!starts || !ends) return null;
    const first = x.dims.map(() => 0);
    const step = x.dims.map(() => 1);
    for (const s of resolveSlice(x.dims, starts.data, ends.data, n.inputs[3]?.data, n.inputs[4]?.data)) {
      first[s.axis] = s.first;
      step[s.axis] = s.step;
    }
    const strides = rowMajorStrides(x.dims);
    return (c) => c.reduce((flat, v, d) => flat + (first[d] + v * step[d]) * strides[d], 0);
  }),
  Concat: (n) => {
    const out = n.outputs[0];
    if (!out.shape || n.inputs.some((v) => !v)) return null;
    const ins = n.inputs as ConstTensor[];
    const axis = normalizeAxis(n.attrs.int('axis', 0), out.shape.length);
    const offsets: number[] = [];
    ins.reduce((off, v) => (offsets.push(off), off + v.dims[axis]), 0);
    const strides = ins.map((v) => rowMajorStrides(v.dims));
    const data = mapIndices(out.shape, (c) => {
      let k = ins.length - 1;
      while (offsets[k] > c[axis]) k--;
      const local = [...c];
      local[axis] -= offsets[k];
      return roundTo(out.elemType, ins[k].data[local.reduce((f, v, d) => f + v * strides[k][d], 0)]);
    });
    return [{ elemType: out.elemType, dims: out.shape, data }];
  },
  ConstantOfShape: (n) => {
    const out = n.outputs[0];
    if (!out.shape) return null;
    const t = n.attrs.tensor('value');
    const value = t ? decodeTensor(t).data[0] : 0;
    return [{ elemType: out.elemType, dims: out.shape, data: new Array<number>(product(out.shape)).fill(value) }];
  },
  Range: (n) => {
    const out = n.outputs[0];
    const [start, delta] = [n.inputs[0], n.inputs[2]];
    if (!out.shape || !start || !delta) return null;
    return [{ elemType: out.elemType, dims: out.shape, data: Array.from({ length: out.shape[0] }, (_, i) => roundTo(out.elemType, start.data[0] + i * delta.data[0])) }];
  },
  ReduceProd: (n) => reduceAll(n, product),
  ReduceSum: (n) => reduceAll(n, (v) => v.reduce((a, b) => a + b, 0)),
};

/** Reductions of a whole 1-D tensor (product of a shape); other axes stay unknown. */
function reduceAll(n: EvalNode, fn: (values: number[]) => number): ConstTensor[] | null {
  const x = n.inputs[0];
  const out = n.outputs[0];
  if (!x || !out.shape || x.dims.length !== 1 || product(out.shape) !== 1) return null;
  return [{ elemType: out.elemType, dims: out.shape, data: [roundTo(out.elemType, fn(x.data))] }];
}

export function evaluateNode(n: EvalNode): ConstTensor[] | null {
  const fn = EVALUATORS[n.opType];
  if (!fn) return null;
  if (n.outputs.some((o) => !o.shape || product(o.shape) > MAX_EVALUATED_ELEMENTS)) return null;
  try {
    return fn(n);
  } catch {
    return null;
  }
}
