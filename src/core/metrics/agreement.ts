// Agreement of one explanation map with the clinician's region annotations: the pointing game,
// relevance mass inside, relevance rank and IoU of the top-k % cells, all on the map's own grid
// (the [H, W] display map, placed over the image where the model saw it). Null when no region is annotated.
import type { Agreement } from '../../api/case-schemas';
import { DEFAULT_TOP_K_PERCENT, localisation } from './localisation';
import { cellCentre, isRegion, regionMask, type MapGrid, type RegionShape } from './region-mask';

export function agreementWithRegions(
  values: ArrayLike<number>,
  grid: MapGrid,
  shapes: readonly RegionShape[],
  computedAt: string,
  topKPercent = DEFAULT_TOP_K_PERCENT,
): Agreement | null {
  if (!shapes.some(isRegion)) return null;
  const mask = regionMask(grid, shapes);
  const found = localisation(values, mask, topKPercent);
  return {
    pointingHit: found.pointingHit,
    pointingAt: cellCentre(grid, found.pointingIndex),
    massInside: found.massInside,
    topKIoU: found.topKIoU,
    relevanceRank: found.relevanceRank,
    topKPercent,
    regionCells: found.regionCells,
    mapCells: found.mapCells,
    computedAt,
  };
}
