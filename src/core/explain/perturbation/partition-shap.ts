// Partition SHAP: Owen values over a hierarchy of the image, following shap's PartitionExplainer
// (`owen`, fixed_context=None, max_evals 500 by default, f(x) and f(masked) included): nodes are taken
// from a priority queue by |Δf|·weight; expanding a node evaluates its two children on each side of
// its context and queues the four (child, context) pairs at half weight; when the budget is spent,
// unexpanded nodes keep their Δf, which is then shared down in proportion to pixel count
// (shap's lower_credit). The values sum to f(x) − f(masked) exactly. The hierarchy is a balanced
// split of the image (halving the longer side down to single pixels: `segments=pixels`, default) or a
// balanced split of superpixels by centroid (`segments=grid:K|slic:N|quickshift`).
import type { Segmentation } from '../../segmentation/types';
import type { Prng } from '../../random/prng';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { ScoreEvaluator } from '../evaluate';
import { BATCH_PARAM, defaultSegmentation, featureResult, featureSpace, OUTPUT_PARAM, samplesParam, SEED_PARAM, seededRng, segmentsParam } from './features';
import { copyPixels, layoutOf, MASKER_PARAMS, maskerReplacement, type TensorLayout } from './maskers';

/** A node of the hierarchy: a set of pixels that can be split in two. */
export interface PartitionNode {
  /** pixels covered */
  readonly size: number;
  /** the two halves, or null for a leaf (the same objects on every call) */
  children(): [PartitionNode, PartitionNode] | null;
  /** visits every pixel index the node covers */
  forEachPixel(visit: (pixel: number) => void): void;
  /** copies every channel of the node's pixels from `source` into `dst` (the fill's hot path) */
  copyInto(layout: TensorLayout, source: Float32Array, dst: Float32Array): void;
  /** credit accumulated on this node (shap's dvalues) */
  credit: number;
  expanded: boolean;
}

/** A rectangle of the image, halved along its longer side (columns first on ties). */
class RectangleNode implements PartitionNode {
  credit = 0;
  expanded = false;
  private halves: [RectangleNode, RectangleNode] | null | undefined;
  constructor(
    readonly imageWidth: number,
    readonly top: number,
    readonly left: number,
    readonly bottom: number,
    readonly right: number,
  ) {}
  get size(): number {
    return (this.bottom - this.top) * (this.right - this.left);
  }
  children(): [RectangleNode, RectangleNode] | null {
    if (this.halves !== undefined) return this.halves;
    const h = this.bottom - this.top;
    const w = this.right - this.left;
    const { imageWidth: iw, top, left, bottom, right } = this;
    if (h * w <= 1) this.halves = null;
    else if (w >= h) {
      const mid = left + Math.floor(w / 2);
      this.halves = [new RectangleNode(iw, top, left, bottom, mid), new RectangleNode(iw, top, mid, bottom, right)];
    } else {
      const mid = top + Math.floor(h / 2);
      this.halves = [new RectangleNode(iw, top, left, mid, right), new RectangleNode(iw, mid, left, bottom, right)];
    }
    return this.halves;
  }
  forEachPixel(visit: (pixel: number) => void): void {
    for (let y = this.top; y < this.bottom; y++) for (let x = this.left; x < this.right; x++) visit(y * this.imageWidth + x);
  }
  copyInto(layout: TensorLayout, source: Float32Array, dst: Float32Array): void {
    const { channels, channelStride, pixelStride } = layout;
    for (let c = 0; c < channels; c++) {
      for (let y = this.top; y < this.bottom; y++) {
        const start = c * channelStride + (y * this.imageWidth + this.left) * pixelStride;
        const end = c * channelStride + (y * this.imageWidth + this.right) * pixelStride;
        if (pixelStride === 1) dst.set(source.subarray(start, end), start);
        else for (let i = start; i < end; i += pixelStride) dst[i] = source[i];
      }
    }
  }
}

/** A set of superpixels, split in two equal-count halves along the longer extent of their centroids. */
class SuperpixelNode implements PartitionNode {
  credit = 0;
  expanded = false;
  readonly size: number;
  private halves: [SuperpixelNode, SuperpixelNode] | null | undefined;
  constructor(
    readonly features: number[],
    private readonly space: { centroids: Float64Array; featurePixels: Int32Array[] },
  ) {
    this.size = features.reduce((sum, f) => sum + space.featurePixels[f].length, 0);
  }
  children(): [SuperpixelNode, SuperpixelNode] | null {
    if (this.halves !== undefined) return this.halves;
    if (this.features.length <= 1) return (this.halves = null);
    const { centroids } = this.space;
    const extent = (axis: number) => {
      const values = this.features.map((f) => centroids[2 * f + axis]);
      return Math.max(...values) - Math.min(...values);
    };
    const axis = extent(1) >= extent(0) ? 1 : 0; // 0 = row, 1 = column
    const sorted = [...this.features].sort((a, b) => centroids[2 * a + axis] - centroids[2 * b + axis] || a - b);
    const half = Math.floor(sorted.length / 2);
    this.halves = [new SuperpixelNode(sorted.slice(0, half), this.space), new SuperpixelNode(sorted.slice(half), this.space)];
    return this.halves;
  }
  forEachPixel(visit: (pixel: number) => void): void {
    for (const f of this.features) for (const p of this.space.featurePixels[f]) visit(p);
  }
  copyInto(layout: TensorLayout, source: Float32Array, dst: Float32Array): void {
    for (const f of this.features) copyPixels(layout, this.space.featurePixels[f], source, dst);
  }
  /** pixels of one superpixel */
  sizeOf(feature: number): number {
    return this.space.featurePixels[feature].length;
  }
}

/** Per-feature centroids (row, column). */
function centroidsOf(segmentation: Segmentation): Float64Array {
  const sums = new Float64Array(3 * segmentation.count);
  segmentation.labels.forEach((label, p) => {
    sums[3 * label] += Math.floor(p / segmentation.width);
    sums[3 * label + 1] += p % segmentation.width;
    sums[3 * label + 2]++;
  });
  const out = new Float64Array(2 * segmentation.count);
  for (let f = 0; f < segmentation.count; f++) {
    out[2 * f] = sums[3 * f] / Math.max(1, sums[3 * f + 2]);
    out[2 * f + 1] = sums[3 * f + 1] / Math.max(1, sums[3 * f + 2]);
  }
  return out;
}

/** Nodes kept (showing the input) in a context, as a shared linked list. */
interface Context {
  node: PartitionNode;
  next: Context | null;
}

interface QueueEntry {
  priority: number;
  tieBreak: number;
  context: Context | null;
  f00: number;
  f11: number;
  node: PartitionNode;
  weight: number;
}

/** Min-heap on (priority, tieBreak), as Python's PriorityQueue on shap's tuples. */
class EntryHeap {
  private readonly items: QueueEntry[] = [];
  get length(): number {
    return this.items.length;
  }
  private less(a: QueueEntry, b: QueueEntry): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.tieBreak < b.tieBreak);
  }
  push(entry: QueueEntry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): QueueEntry {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.less(items[l], items[best])) best = l;
        if (r < items.length && this.less(items[r], items[best])) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

export interface OwenOptions {
  root: PartitionNode;
  maxEvals: number;
  /** largest number of masked inputs per round */
  batchLimit: number;
  rng: Prng;
  /** writes the input with the context's nodes kept and everything else masked */
  fill(context: Context | null, dst: Float32Array): void;
  evaluator: ScoreEvaluator;
}

/** shap's `owen` (fixed_context=None); returns f(x), f(masked) and the evaluations used. Credits land on the nodes. */
async function owenValues(options: OwenOptions): Promise<{ fx: number; fBase: number; evaluations: number }> {
  const { root, rng, evaluator } = options;
  const all: Context = { node: root, next: null };
  const [fBase, fx] = await evaluator.scores(2, (i, dst) => options.fill(i === 0 ? null : all, dst));
  const budget = options.maxEvals - 2;
  let used = 0;
  const queue = new EntryHeap();
  queue.push({ priority: 0, tieBreak: 0, context: null, f00: fBase, f11: fx, node: root, weight: 1 });
  while (queue.length > 0) {
    const batch: QueueEntry[] = [];
    while (queue.length > 0 && 2 * batch.length + 2 <= options.batchLimit && used + 2 * batch.length + 2 <= budget) {
      const entry = queue.pop();
      if (entry.node.children() === null) entry.node.credit += (entry.f11 - entry.f00) * entry.weight;
      else batch.push(entry);
    }
    if (batch.length === 0) {
      // the budget is spent: every queued node keeps its Δf
      while (queue.length > 0) {
        const entry = queue.pop();
        entry.node.credit += (entry.f11 - entry.f00) * entry.weight;
      }
      break;
    }
    const withChild = (entry: QueueEntry, side: 0 | 1): Context => ({ node: entry.node.children()![side], next: entry.context });
    const outputs = await evaluator.scores(2 * batch.length, (i, dst) => options.fill(withChild(batch[i >> 1], (i & 1) as 0 | 1), dst));
    used += 2 * batch.length;
    batch.forEach((entry, i) => {
      const [left, right] = entry.node.children()!;
      entry.node.expanded = true;
      const f10 = outputs[2 * i];
      const f01 = outputs[2 * i + 1];
      const weight = entry.weight / 2;
      const push = (node: PartitionNode, context: Context | null, f00: number, f11: number) =>
        queue.push({ priority: -Math.abs(f11 - f00) * weight, tieBreak: rng.normal(), context, f00, f11, node, weight });
      push(left, entry.context, entry.f00, f10);
      push(right, entry.context, entry.f00, f01);
      push(left, { node: right, next: entry.context }, f01, entry.f11);
      push(right, { node: left, next: entry.context }, f10, entry.f11);
    });
  }
  return { fx, fBase, evaluations: used + 2 };
}

/** Shares each node's credit down to its leaves in proportion to size (shap's lower_credit). */
function lowerCredit(node: PartitionNode, inherited: number, assign: (leaf: PartitionNode, value: number) => void): void {
  const value = inherited + node.credit;
  const children = node.expanded ? node.children() : null;
  if (!children) {
    assign(node, value);
    return;
  }
  for (const child of children) lowerCredit(child, (value * child.size) / node.size, assign);
}

export const partitionShap: Explainer = {
  info: {
    id: 'partition-shap',
    label: 'Partition SHAP',
    family: 'perturbation',
    needs: 'forward',
    output: {
      shape: '[H, W] (segments=pixels: each pixel\'s Owen value; with superpixels each pixel carries its superpixel\'s), or [M] with output=features',
      meaning: 'Owen value of each pixel or superpixel in a balanced hierarchy for the target logit; the values sum to f(x) − f(masked)',
      signed: true,
      unit: 'SHAP value (Δ logit)',
    },
    reference: 'shap PartitionExplainer (Owen values, fixed_context=None, max_evals 500) with a balanced partition of the image',
    params: [
      samplesParam(500, 'evaluation budget, f(x) and f(masked) included (max_evals)'),
      SEED_PARAM,
      segmentsParam('pixels', '; pixels (default) = balanced halving of the image down to single pixels'),
      ...MASKER_PARAMS,
      OUTPUT_PARAM,
      BATCH_PARAM,
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const rng = seededRng(ctx);
    const { width, height } = ctx.model.preprocessing;
    const layout = layoutOf(ctx.model.preprocessing);
    const input = ctx.input.data;
    const pixelMode = String(ctx.params.segments) === 'pixels';
    let root: PartitionNode;
    let replacement: Float32Array;
    let segmentation: Segmentation | null = null;
    if (pixelMode) {
      root = new RectangleNode(width, 0, 0, height, width);
      replacement = maskerReplacement(ctx, { segmentation: () => defaultSegmentation(ctx), rng: rng.fork(1) });
    } else {
      const space = featureSpace(ctx, 'partition-shap', rng);
      segmentation = space.segmentation;
      replacement = space.replacement;
      root = new SuperpixelNode(Array.from({ length: segmentation.count }, (_, f) => f), { centroids: centroidsOf(segmentation), featurePixels: space.featurePixels });
    }
    const batchLimit = Number(ctx.params.batchSize ?? 32);
    const maxEvals = Math.max(2, Number(ctx.params.samples));
    const evaluator = new ScoreEvaluator(ctx, { maxBatch: batchLimit, total: maxEvals });
    const { fx, fBase, evaluations } = await owenValues({
      root,
      maxEvals,
      batchLimit: Math.max(2, batchLimit),
      rng: rng.fork(2),
      evaluator,
      fill(context, dst) {
        dst.set(replacement);
        for (let c = context; c; c = c.next) c.node.copyInto(layout, input, dst);
      },
    });
    ctx.progress(maxEvals, maxEvals);
    const stats = { seed: rng.seed, fx, fBaseline: fBase, forwardMs: evaluator.forwardMs, largestBatch: evaluator.largestBatch };
    if (segmentation) {
      const values = new Float64Array(segmentation.count);
      // a leaf node here holds one or more superpixels: its credit is shared by pixel count
      lowerCredit(root, 0, (leaf, value) => {
        for (const f of (leaf as SuperpixelNode).features) values[f] += (value * (root as SuperpixelNode).sizeOf(f)) / leaf.size;
      });
      return { ...featureResult(ctx, segmentation, values), evaluations, stats: { ...stats, features: segmentation.count } };
    }
    const map = new Float32Array(width * height);
    lowerCredit(root, 0, (leaf, value) => {
      const perPixel = value / leaf.size;
      leaf.forEachPixel((p) => {
        map[p] = perPixel;
      });
    });
    return { attribution: { shape: [height, width], data: map }, evaluations, display: [], stats };
  },
};
