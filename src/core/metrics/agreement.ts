// Agreement of one explanation map with the clinician's region annotations: the pointing game,
// relevance mass inside and IoU of the top-k % cells, all on the map's own grid (the [H, W]
// display map, placed over the image where the model saw it). Null when no region is annotated.
import type { Agreement } from '../../api/case-schemas';
import { pointingGame } from './pointing-game';
import { cellCentre, isRegion, regionMask, type MapGrid, type RegionShape } from './region-mask';
import { relevanceMassInside } from './relevance-mass';
import { topKIoU } from './topk-iou';

export const DEFAULT_TOP_K_PERCENT = 20;

export function agreementWithRegions(
  values: ArrayLike<number>,
  grid: MapGrid,
  shapes: readonly RegionShape[],
  computedAt: string,
  topKPercent = DEFAULT_TOP_K_PERCENT,
): Agreement | null {
  if (!shapes.some(isRegion)) return null;
  const mask = regionMask(grid, shapes);
  const pointing = pointingGame(values, mask);
  let regionCells = 0;
  for (const m of mask) regionCells += m;
  return {
    pointingHit: pointing.hit,
    pointingAt: cellCentre(grid, pointing.index),
    massInside: relevanceMassInside(values, mask),
    topKIoU: topKIoU(values, mask, topKPercent),
    topKPercent,
    regionCells,
    mapCells: mask.length,
    computedAt,
  };
}
