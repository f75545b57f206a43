// Relevance rank accuracy (Arras et al., "CLEVR-XAI", Information Fusion 2022): with K the number
// of cells in the region, the share of the map's K highest cells that lie inside it. Ties are
// broken in row-major order (as topk-iou.ts); an empty region gives 0.
import { pixelsByRelevance } from './pixel-order';

export function relevanceRankAccuracy(values: ArrayLike<number>, mask: ArrayLike<number>): number {
  if (values.length !== mask.length) throw new Error(`relevance rank: map has ${values.length} cells, mask ${mask.length}`);
  let regionCells = 0;
  for (let i = 0; i < mask.length; i++) regionCells += mask[i] === 1 ? 1 : 0;
  if (regionCells === 0) return 0;
  const order = pixelsByRelevance(values);
  let inside = 0;
  for (let k = 0; k < regionCells; k++) inside += mask[order[k]] === 1 ? 1 : 0;
  return inside / regionCells;
}
