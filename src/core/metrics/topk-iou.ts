// IoU of the top-k % region: the k % of map cells with the highest values (at least one cell; ties
// broken by row-major order) against the annotated region, as intersection over union.
import { pixelsByRelevance, topCells } from './pixel-order';

export function topKIoU(values: ArrayLike<number>, mask: ArrayLike<number>, percent: number): number {
  if (values.length !== mask.length) throw new Error(`top-k IoU: map has ${values.length} cells, mask ${mask.length}`);
  if (!(percent > 0 && percent <= 100)) throw new Error(`top-k IoU: k must be in (0, 100] %, got ${percent}`);
  const n = values.length;
  if (n === 0) return 0;
  const count = Math.max(1, Math.round((percent / 100) * n));
  const top = topCells(pixelsByRelevance(values), count);
  let intersection = 0;
  let union = 0;
  for (let i = 0; i < n; i++) {
    if (top[i] === 1 && mask[i] === 1) intersection += 1;
    if (top[i] === 1 || mask[i] === 1) union += 1;
  }
  return union > 0 ? intersection / union : 0;
}
