// Putting a gradient back where a strided or offset selection took it from, one axis at a time:
// reverse (negative steps), zero-insert (steps > 1) and zero-pad to the input's extent; and taking
// one slab [start, end) of an axis (Concat's inputs, Pad's borders).
import type { RuleContext } from '../../rule';
import { reshapeTo } from './tensor-ops';

const INT64_MIN = -(2 ** 63);

/** t[start:end] along `axis`. */
export function sliceAxis(ctx: RuleContext, t: string, axis: number, start: number, end: number): string {
  return ctx.op('Slice', [t, ctx.int64s([start]), ctx.int64s([end]), ctx.int64s([axis])]);
}

/** t reversed along `axis`. */
export function reverseAxis(ctx: RuleContext, t: string, axis: number): string {
  return ctx.op('Slice', [t, ctx.int64s([-1]), ctx.int64s([INT64_MIN]), ctx.int64s([axis]), ctx.int64s([-1])]);
}

/** Inserts step−1 zeros after each element along `axis` (and drops the trailing ones): count → (count−1)·step+1. */
export function zeroInsert(ctx: RuleContext, t: string, shape: number[], axis: number, step: number): string {
  if (step === 1) return t;
  const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
  const pads = new Array<number>(2 * split.length).fill(0);
  pads[split.length + axis + 1] = step - 1;
  const padded = ctx.op('Pad', [reshapeTo(ctx, t, split), ctx.int64s(pads)], { mode: 'constant' });
  const merged = shape.map((d, i) => (i === axis ? d * step : d));
  const flat = reshapeTo(ctx, padded, merged);
  return sliceAxis(ctx, flat, axis, 0, (shape[axis] - 1) * step + 1);
}

/** Pads t with `before` and `after` zeros along `axis` (rank `rank`). */
export function padAxis(ctx: RuleContext, t: string, rank: number, axis: number, before: number, after: number): string {
  if (before === 0 && after === 0) return t;
  const pads = new Array<number>(2 * rank).fill(0);
  pads[axis] = before;
  pads[rank + axis] = after;
  return ctx.op('Pad', [t, ctx.int64s(pads)], { mode: 'constant' });
}
