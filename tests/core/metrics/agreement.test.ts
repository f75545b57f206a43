// Agreement metrics on hand-computed cases: region rasterisation (rectangle, ellipse, polygon,
// freehand; arrows and text ignored; a map placed over part of the image), the pointing game,
// relevance mass inside (positive part only) and the top-k % IoU (ties in row-major order).
import { describe, expect, it } from 'vitest';
import { agreementWithRegions } from '../../../src/core/metrics/agreement';
import { pointingGame } from '../../../src/core/metrics/pointing-game';
import { mapGrid, pointInShape, regionMask } from '../../../src/core/metrics/region-mask';
import { relevanceMassInside } from '../../../src/core/metrics/relevance-mass';
import { topKIoU } from '../../../src/core/metrics/topk-iou';

const maskString = (mask: Uint8Array, width: number) =>
  Array.from({ length: mask.length / width }, (_, r) => Array.from(mask.subarray(r * width, (r + 1) * width)).join('')).join('/');

describe('region masks', () => {
  const grid = mapGrid(4, 4, { x: 0, y: 0, width: 1, height: 1 }, 4, 4);

  it('rasterise rectangles from either corner order by cell centre', () => {
    expect(maskString(regionMask(grid, [{ kind: 'rectangle', points: [[3, 2], [1, 0]] }]), 4)).toBe('0110/0110/0000/0000');
  });

  it('rasterise an ellipse inscribed in its box', () => {
    expect(maskString(regionMask(grid, [{ kind: 'ellipse', points: [[0, 0], [4, 4]] }]), 4)).toBe('0110/1111/1111/0110');
  });

  it('rasterise polygons and freehand outlines with the even-odd rule, and ignore arrows and text', () => {
    const triangle = { kind: 'polygon' as const, points: [[0, 0], [4, 0], [0, 4]] as [number, number][] };
    expect(maskString(regionMask(grid, [triangle, { kind: 'arrow', points: [[3, 3], [3.9, 3.9]] }, { kind: 'text', points: [[3.5, 3.5]] }]), 4)).toBe('1110/1100/1000/0000');
    expect(pointInShape({ kind: 'freehand', points: [[0, 0], [2, 0], [2, 2], [0, 2]] }, 1, 1)).toBe(true);
    expect(pointInShape({ kind: 'freehand', points: [[0, 0], [2, 0], [2, 2], [0, 2]] }, 3, 1)).toBe(false);
  });

  it('place a map that covers part of the image (centre crop) in image coordinates', () => {
    // A 2×2 map over the middle half of a 100×40 image: cells are 25×10 pixels from (25, 10).
    const cropped = mapGrid(2, 2, { x: 0.25, y: 0.25, width: 0.5, height: 0.5 }, 100, 40);
    expect(cropped).toEqual({ width: 2, height: 2, x0: 25, y0: 10, cellWidth: 25, cellHeight: 10 });
    expect(maskString(regionMask(cropped, [{ kind: 'rectangle', points: [[0, 0], [40, 40]] }]), 2)).toBe('10/10');
  });
});

describe('metrics', () => {
  const mask = Uint8Array.from([1, 1, 0, 0]);

  it('pointing game: the first maximum decides', () => {
    expect(pointingGame([3, 1, 2, 0], mask)).toEqual({ hit: true, index: 0 });
    expect(pointingGame([1, 1, 5, 0], mask)).toEqual({ hit: false, index: 2 });
    expect(pointingGame([4, 1, 4, 0], mask)).toEqual({ hit: true, index: 0 });
  });

  it('relevance mass: positive relevance inside over all positive relevance', () => {
    expect(relevanceMassInside([3, -5, 1, 0], mask)).toBeCloseTo(3 / 4, 15);
    expect(relevanceMassInside([-1, -1, -1, -1], mask)).toBe(0);
  });

  it('top-k IoU: k % of cells, ties in row-major order', () => {
    // 50 % of 4 = 2 cells: indices 2 and 0 → intersection 1, union 3
    expect(topKIoU([2, 0, 3, 1], mask, 50)).toBeCloseTo(1 / 3, 15);
    // all equal: the first two cells are the top 50 % → perfect overlap
    expect(topKIoU([1, 1, 1, 1], mask, 50)).toBe(1);
    // at least one cell
    expect(topKIoU([0, 9, 0, 0], mask, 1)).toBe(0.5);
    expect(() => topKIoU([1], [1], 0)).toThrow(/k must be/);
  });

  it('combine into one agreement record, or none without a region', () => {
    const grid = mapGrid(2, 2, { x: 0, y: 0, width: 1, height: 1 }, 20, 20);
    const left = { kind: 'rectangle' as const, points: [[0, 0], [10, 20]] as [number, number][] };
    // the left column = cells 0 and 2, which also hold the top 50 % (3 and 2): relevance rank 2/2
    const record = agreementWithRegions([3, 1, 2, 0], grid, [left], 'now', 50);
    expect(record).toEqual({ pointingHit: true, pointingAt: [5, 5], massInside: 5 / 6, relevanceRank: 1, topKIoU: 1, topKPercent: 50, regionCells: 2, mapCells: 4, computedAt: 'now' });
    expect(agreementWithRegions([3, 1, 2, 0], grid, [{ kind: 'arrow', points: [[0, 0], [1, 1]] }], 'now')).toBeNull();
  });
});
