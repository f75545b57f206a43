// Small shape arithmetic shared by shape inference, constant evaluation and the VJP rules:
// numpy broadcasting, axis normalisation, row-major strides, and ONNX's reduction axes, slices and
// sliding windows — one reading of each so that the inferred shapes and the rules agree.
import type { Attributes } from '../onnx/attributes';

export function product(values: readonly number[]): number {
  let n = 1;
  for (const v of values) n *= v;
  return n;
}

/** Numpy broadcasting of several shapes; null when they do not broadcast. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const lead = rank - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      const o = out[lead + i];
      if (d === o || d === 1) continue;
      if (o === 1) out[lead + i] = d;
      else return null;
    }
  }
  return out;
}

/** The dims [start, end) a Shape node returns of a rank-`rank` input: negative indices count from the end, both clamped. */
export function shapeOpRange(attrs: Attributes, rank: number): [number, number] {
  const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + rank : i, 0), rank);
  return [clamp(attrs.int('start', 0)), clamp(attrs.int('end', rank))];
}

/** An axis in [0, rank) from an ONNX axis that may be negative. */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= Math.max(rank, 1)) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** The axes a reduction reduces: the listed ones normalised; none listed means all of them, or none with noop_with_empty_axes. */
export function reductionAxes(listed: readonly number[] | null, rank: number, noopWithEmptyAxes: boolean): number[] {
  if (listed && listed.length) return listed.map((a) => normalizeAxis(a, rank));
  return noopWithEmptyAxes ? [] : [...Array(rank).keys()];
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** One axis of an ONNX Slice, clamped as the spec says: the first index, step and element count. */
export interface SliceAxis {
  axis: number;
  first: number;
  step: number;
  count: number;
}

function resolveSliceAxis(dim: number, start: number, end: number, step: number, axis: number): SliceAxis {
  if (step === 0) throw new Error('Slice step 0');
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, -1), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  const count = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
  return { axis, first: s, step, count };
}

/**
 * Every axis an ONNX Slice of a `dims`-shaped tensor touches, in the order listed (axes normalised;
 * axes default to 0, 1, … and steps to 1 for each start).
 */
export function resolveSlice(dims: readonly number[], starts: readonly number[], ends: readonly number[], axes?: readonly number[] | null, steps?: readonly number[] | null): SliceAxis[] {
  const axisList = axes ?? starts.map((_, i) => i);
  const stepList = steps ?? starts.map(() => 1);
  return axisList.map((a, i) => {
    const axis = normalizeAxis(a, dims.length);
    return resolveSliceAxis(dims[axis], starts[i], ends[i], stepList[i], axis);
  });
}

/** Pad's `pads` [begin..., end...] for the listed axes (the opset-18 `axes` input) as pads over all `rank` axes. */
export function expandPads(pads: readonly number[], axes: readonly number[], rank: number): number[] {
  const full = new Array<number>(2 * rank).fill(0);
  axes.forEach((a, i) => {
    const axis = normalizeAxis(a, rank);
    full[axis] = pads[i];
    full[rank + axis] = pads[axes.length + i];
  });
  return full;
}

/**
 * Conv/pool padding per spatial axis, with auto_pad resolved (SAME_UPPER puts the odd pixel at the
 * end, SAME_LOWER at the start); returns [begin..., end...] like the `pads` attribute.
 */
export function resolvePads(autoPad: string, pads: number[] | null, input: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  const n = input.length;
  if (autoPad === 'NOTSET') return pads ?? new Array<number>(2 * n).fill(0);
  if (autoPad === 'VALID') return new Array<number>(2 * n).fill(0);
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') throw new Error(`auto_pad=${autoPad}`);
  const out = new Array<number>(2 * n).fill(0);
  for (let i = 0; i < n; i++) {
    const outSize = Math.ceil(input[i] / strides[i]);
    const total = Math.max(0, (outSize - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - input[i]);
    const small = Math.floor(total / 2);
    out[i] = autoPad === 'SAME_UPPER' ? small : total - small;
    out[n + i] = total - out[i];
  }
  return out;
}

export interface WindowGeometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [begin..., end...] per spatial axis, auto_pad resolved */
  pads: number[];
}

/** A Conv/pool node's window attributes over `spatial` input dims, with ONNX's defaults (strides and dilations 1). */
export function windowGeometry(attrs: Attributes, spatial: number[], kernel: number[]): WindowGeometry {
  const strides = attrs.ints('strides') ?? spatial.map(() => 1);
  const dilations = attrs.ints('dilations') ?? spatial.map(() => 1);
  return { kernel, strides, dilations, pads: resolvePads(attrs.string('auto_pad', 'NOTSET'), attrs.ints('pads'), spatial, kernel, strides, dilations) };
}

/** Output size of a sliding window (Conv, pools) along one axis; ceil mode drops a window that starts in the end padding. */
export function windowOutputSize(input: number, kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number, ceilMode: boolean): number {
  const span = input + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (!ceilMode) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  if ((out - 1) * stride >= input + padBegin) out--;
  return out;
}
