// The plain-language sentence of each explanation section: where the map's positive weight lies
// (centroid → ninth of the image, through the overlay region), how concentrated it is (share in
// the top 10 % of cells), how much falls inside the annotation, and the trust level from the
// agreement figures and a surrogate's R² — every number checked by hand on small maps.
import { describe, expect, it } from 'vitest';
import type { Agreement } from '../../../src/api/case-schemas';
import { explanationSentence, mapFocus, trustOf } from '../../../src/core/report/plain-language';

const WHOLE = { x: 0, y: 0, width: 1, height: 1 };

function map(height: number, width: number, value: (r: number, c: number) => number) {
  const data = new Float32Array(height * width);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) data[r * width + c] = value(r, c);
  return { shape: [height, width], data };
}

function agreement(pointingHit: boolean, massInside: number, topKIoU: number): Agreement {
  return { pointingHit, pointingAt: [1, 1], massInside, topKIoU, topKPercent: 20, regionCells: 4, mapCells: 16, computedAt: '2026-01-01T00:00:00Z' };
}

describe('mapFocus', () => {
  it('finds a single hot cell: upper left, all weight in the top 10 %', () => {
    const focus = mapFocus(map(4, 4, (r, c) => (r === 0 && c === 0 ? 2 : 0)), WHOLE);
    expect(focus).toEqual({ positive: true, topShare: 1, centroid: [0.125, 0.125], where: 'upper left' });
  });

  it('reports a uniform map as spread: the top 2 of 16 cells hold 12.5 %', () => {
    const focus = mapFocus(map(4, 4, () => 1), WHOLE);
    expect(focus.topShare).toBeCloseTo(2 / 16, 12);
    expect(focus.where).toBe('centre');
  });

  it('places the map where it lies over the image (the overlay region), ignoring negative cells', () => {
    // The map covers the right half; its weight is in its left column, bottom row; −5 elsewhere.
    const focus = mapFocus(map(2, 2, (r, c) => (r === 1 && c === 0 ? 1 : -5)), { x: 0.5, y: 0, width: 0.5, height: 1 });
    expect(focus.centroid[0]).toBeCloseTo(0.625, 12);
    expect(focus.centroid[1]).toBeCloseTo(0.75, 12);
    expect(focus.where).toBe('lower middle');
  });

  it('says when no cell is positive', () => {
    expect(mapFocus(map(2, 2, () => -1), WHOLE).positive).toBe(false);
  });
});

describe('trustOf', () => {
  it('counts pointing hit, mass inside ≥ 50 % and IoU ≥ 0.3', () => {
    expect(trustOf(agreement(true, 0.5, 0.3), undefined)).toEqual({ level: 'high', weakFitR2: null });
    expect(trustOf(agreement(true, 0.49, 0.3), undefined).level).toBe('moderate');
    expect(trustOf(agreement(false, 0.49, 0.3), undefined).level).toBe('low');
    expect(trustOf(agreement(false, 0.1, 0.1), undefined).level).toBe('low');
    expect(trustOf(null, undefined).level).toBe('not measured');
  });

  it('lowers the level by one for a surrogate fit with R² < 0.5', () => {
    expect(trustOf(agreement(true, 0.9, 0.8), { r2: 0.42 })).toEqual({ level: 'moderate', weakFitR2: 0.42 });
    expect(trustOf(agreement(true, 0.9, 0.8), { r2: 0.5 }).level).toBe('high');
  });
});

describe('explanationSentence', () => {
  const hot = map(4, 4, (r, c) => (r === 3 && c === 3 ? 1 : 0));

  it('states place, share inside the annotation, peak and trust in one sentence', () => {
    expect(explanationSentence({ targetLabel: 'effusion', map: hot, region: WHOLE, agreement: agreement(true, 0.724, 0.35) })).toBe(
      'The map for “effusion” concentrates in the lower right of the image, where the top 10% of its area holds 100% of its positive weight; ' +
        '72% of that weight falls inside your annotation and its peak lies inside it, so it deserves reasonable trust as a pointer to what the model used, not as proof.',
    );
  });

  it('names a weak surrogate fit and a peak outside the annotation', () => {
    expect(explanationSentence({ targetLabel: 'nodule', map: hot, region: WHOLE, agreement: agreement(false, 0.2, 0.1), stats: { r2: 0.31 } })).toBe(
      'The map for “nodule” concentrates in the lower right of the image, where the top 10% of its area holds 100% of its positive weight; ' +
        '20% of that weight falls inside your annotation and its peak lies outside it, so it deserves little trust (its surrogate fit explains only R² = 0.31 of the model\'s response).',
    );
  });

  it('says trust was not measured without an annotation, and describes a spread map', () => {
    expect(explanationSentence({ targetLabel: 'normal', map: map(4, 4, () => 1), region: WHOLE, agreement: null })).toBe(
      'The map for “normal” is spread over the image around its centre, with only 13% of its positive weight in the top 10% of its area; ' +
        'no region is annotated, so how far to trust it was not measured — judge it by eye.',
    );
  });

  it('says a map without positive weight points at nothing', () => {
    expect(explanationSentence({ targetLabel: 'normal', map: map(2, 2, () => 0), region: WHOLE, agreement: null })).toBe(
      'The map for “normal” holds no positive weight anywhere, so it points at nothing and gives no reason to trust the prediction.',
    );
  });
});
