// Shared shapes of the superpixel code: a pixel image in unit range (HWC, any channel count, from
// 8- or 16-bit samples) and a segmentation (one integer label per pixel, labels 0..count−1).

export interface PixelImage {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB); other counts are treated as plain feature channels */
  channels: number;
  /** interleaved samples in [0, 1], row-major */
  data: Float64Array;
}

export interface Segmentation {
  width: number;
  height: number;
  /** label per pixel, row-major, in 0..count−1 */
  labels: Int32Array;
  count: number;
}

/** Relabels arbitrary integer labels to 0..count−1 in increasing order of the original label (np.unique's inverse). */
export function compactLabels(width: number, height: number, raw: ArrayLike<number>): Segmentation {
  const distinct = [...new Set(Array.from(raw))].sort((a, b) => a - b);
  const index = new Map(distinct.map((label, i) => [label, i]));
  const labels = Int32Array.from(raw, (label) => index.get(label)!);
  return { width, height, labels, count: distinct.length };
}

/** Pixel indices per segment, for fast masking. */
export function segmentPixels(segmentation: Segmentation): Int32Array[] {
  const sizes = new Int32Array(segmentation.count);
  for (const label of segmentation.labels) sizes[label]++;
  const lists = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(segmentation.count);
  segmentation.labels.forEach((label, p) => {
    lists[label][filled[label]++] = p;
  });
  return lists;
}
