// The one plain-language sentence that opens each explanation's section of the PDF report, for
// readers who are not machine-learning experts: where the map's positive weight concentrates, how
// much of it falls inside the clinician's annotation, and how far to trust it — all from figures.
import type { Agreement } from '../../api/case-schemas';
import type { Region } from '../../api/schemas';
import type { Float32Tensor } from '../tensor/npy';

/** Where a map lies over the image, as fractions of its width and height (the engine's overlayRegion). */
export type OverlayRegion = Region;

export interface MapFocus {
  /** false when no cell holds positive weight */
  positive: boolean;
  /** the share of the positive weight held by the top 10 % of cells (0–1) */
  topShare: number;
  /** the centroid of the positive weight, as fractions of the image's width and height */
  centroid: [number, number];
  /** the centroid's ninth of the image in words ("upper left", "centre" …) */
  where: string;
}

export type TrustLevel = 'high' | 'moderate' | 'low' | 'not measured';

/** The share of cells whose weight is compared with the rest: "the top 10 % of its area". */
export const TOP_AREA_SHARE = 0.1;
/** Below this top-area share a map counts as spread out (uniform weight would give 10 %). */
const CONCENTRATED_SHARE = 0.25;
/** Below this R² a surrogate (LIME, KernelSHAP) explains too little of the model to be trusted as it is. */
const WEAK_FIT_R2 = 0.5;

const NINTHS = [
  ['upper left', 'upper middle', 'upper right'],
  ['left middle', 'centre', 'right middle'],
  ['lower left', 'lower middle', 'lower right'],
];

/** Where the positive weight of an [H, W] map lies and how concentrated it is. */
export function mapFocus(map: Float32Tensor, region: OverlayRegion): MapFocus {
  const [height, width] = map.shape.slice(-2);
  const weights = Array.from(map.data, (v) => (v > 0 ? v : 0));
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return { positive: false, topShare: 0, centroid: [0.5, 0.5], where: 'centre' };
  let cx = 0;
  let cy = 0;
  weights.forEach((w, i) => {
    cx += w * (region.x + (((i % width) + 0.5) / width) * region.width);
    cy += w * (region.y + ((Math.floor(i / width) + 0.5) / height) * region.height);
  });
  const centroid: [number, number] = [cx / total, cy / total];
  const count = Math.max(1, Math.round(TOP_AREA_SHARE * weights.length));
  const top = [...weights].sort((a, b) => b - a).slice(0, count).reduce((a, b) => a + b, 0);
  const third = (f: number) => Math.min(2, Math.max(0, Math.floor(f * 3)));
  return { positive: true, topShare: top / total, centroid, where: NINTHS[third(centroid[1])][third(centroid[0])] };
}

/**
 * How far to trust a map, from its agreement with the annotation (pointing game, mass inside ≥ 50 %,
 * top-k IoU ≥ 0.3: all three high, two moderate, fewer low) and, for surrogates, the fit's R².
 */
export function trustOf(agreement: Agreement | null, stats: Record<string, unknown> | undefined): { level: TrustLevel; weakFitR2: number | null } {
  const r2 = typeof stats?.r2 === 'number' ? stats.r2 : null;
  const weakFitR2 = r2 !== null && r2 < WEAK_FIT_R2 ? r2 : null;
  if (!agreement) return { level: 'not measured', weakFitR2 };
  const passed = [agreement.pointingHit, agreement.massInside >= 0.5, agreement.topKIoU >= 0.3].filter(Boolean).length;
  const levels: TrustLevel[] = ['low', 'low', 'moderate', 'high'];
  // A weak surrogate fit lowers the level by one: the map explains a model that is not quite the real one.
  const index = Math.max(0, passed - (weakFitR2 === null ? 0 : 1));
  return { level: levels[index], weakFitR2 };
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

const TRUST_PHRASE: Record<Exclude<TrustLevel, 'not measured'>, string> = {
  high: 'reasonable trust as a pointer to what the model used, not as proof',
  moderate: 'cautious trust',
  low: 'little trust',
};

export interface SentenceInput {
  targetLabel: string;
  map: Float32Tensor;
  region: OverlayRegion;
  agreement: Agreement | null;
  stats?: Record<string, unknown>;
}

/** One sentence, ending in a full stop, built only from the figures of the explanation. */
export function explanationSentence({ targetLabel, map, region, agreement, stats }: SentenceInput): string {
  const focus = mapFocus(map, region);
  const subject = `The map for “${targetLabel}”`;
  if (!focus.positive) return `${subject} holds no positive weight anywhere, so it points at nothing and gives no reason to trust the prediction.`;
  const place =
    focus.topShare >= CONCENTRATED_SHARE
      ? `${subject} concentrates in the ${focus.where} of the image, where the top 10% of its area holds ${percent(focus.topShare)} of its positive weight`
      : `${subject} is spread over the image around its ${focus.where}, with only ${percent(focus.topShare)} of its positive weight in the top 10% of its area`;
  const { level, weakFitR2 } = trustOf(agreement, stats);
  const fit = weakFitR2 === null ? '' : ` (its surrogate fit explains only R² = ${weakFitR2.toFixed(2)} of the model's response)`;
  if (!agreement || level === 'not measured') return `${place}; no region is annotated, so how far to trust it was not measured${fit} — judge it by eye.`;
  const peak = agreement.pointingHit ? 'inside' : 'outside';
  return `${place}; ${percent(agreement.massInside)} of that weight falls inside your annotation and its peak lies ${peak} it, so it deserves ${TRUST_PHRASE[level]}${fit}.`;
}
