// Localisation of an explanation map against a region (a ground-truth lesion mask or the union of
// a clinician's region annotations), on the map's own grid: the pointing game, relevance mass
// inside, relevance rank accuracy and IoU of the top-k % cells — one call, the four files' metrics.
import { pointingGame } from './pointing-game';
import { relevanceMassInside } from './relevance-mass';
import { relevanceRankAccuracy } from './relevance-rank';
import { topKIoU } from './topk-iou';

export const DEFAULT_TOP_K_PERCENT = 20;

export interface Localisation {
  pointingHit: boolean;
  /** the map cell of the maximum */
  pointingIndex: number;
  massInside: number;
  relevanceRank: number;
  topKIoU: number;
  topKPercent: number;
  regionCells: number;
  mapCells: number;
}

export function localisation(values: ArrayLike<number>, mask: ArrayLike<number>, topKPercent = DEFAULT_TOP_K_PERCENT): Localisation {
  const pointing = pointingGame(values, mask);
  let regionCells = 0;
  for (let i = 0; i < mask.length; i++) regionCells += mask[i] === 1 ? 1 : 0;
  return {
    pointingHit: pointing.hit,
    pointingIndex: pointing.index,
    massInside: relevanceMassInside(values, mask),
    relevanceRank: relevanceRankAccuracy(values, mask),
    topKIoU: topKIoU(values, mask, topKPercent),
    topKPercent,
    regionCells,
    mapCells: mask.length,
  };
}
