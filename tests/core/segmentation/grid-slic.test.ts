// Grid and SLIC superpixels and the `segments` parameter: the grid equals the fixture's
// grid_segments.npy; SLIC gives about the requested number of connected segments on RGB and gray.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/api/contract';
import { gridSegments } from '../../../src/core/segmentation/grid';
import { parseSegmentsSpec } from '../../../src/core/segmentation/segments';
import { slic } from '../../../src/core/segmentation/slic';
import type { Segmentation } from '../../../src/core/segmentation/types';
import { fixture, readNpyNumbers } from '../../helpers/fixtures';

function isConnected(seg: Segmentation, label: number): boolean {
  const pixels: number[] = [];
  seg.labels.forEach((l, p) => l === label && pixels.push(p));
  const seen = new Set([pixels[0]]);
  const stack = [pixels[0]];
  while (stack.length) {
    const p = stack.pop()!;
    const [r, c] = [Math.floor(p / seg.width), p % seg.width];
    for (const [dr, dc] of [[0, 1], [0, -1], [1, 0], [-1, 0]]) {
      const [r2, c2] = [r + dr, c + dc];
      const q = r2 * seg.width + c2;
      if (r2 >= 0 && r2 < seg.height && c2 >= 0 && c2 < seg.width && seg.labels[q] === label && !seen.has(q)) {
        seen.add(q);
        stack.push(q);
      }
    }
  }
  return seen.size === pixels.length;
}

describe('grid segments', () => {
  it('grid:7 at 224² is the fixture grid_segments.npy exactly', () => {
    const reference = readNpyNumbers(fixture('resnet18', 'lime', 'grid_segments.npy'));
    const grid = gridSegments(224, 224, 7);
    expect(grid.count).toBe(49);
    expect(Array.from(grid.labels)).toEqual(Array.from(reference.data));
  });

  it('uneven sizes: every cell is used, rows and columns split as evenly as integers allow', () => {
    const grid = gridSegments(10, 7, 3);
    expect(grid.count).toBe(9);
    expect(new Set(grid.labels).size).toBe(9);
    expect(grid.labels[0]).toBe(0);
    expect(grid.labels[69]).toBe(8);
  });
});

describe('SLIC', () => {
  const width = 48;
  const height = 40;
  const rgb = Float64Array.from({ length: width * height * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    const [x, y, c] = [p % width, Math.floor(p / width), i % 3];
    return (x < 20 ? 0.2 : 0.8) + (y > 25 ? 0.05 * c : 0) + 0.002 * (x + y);
  });

  it('about N connected segments labelled 0..count−1, on RGB and gray', () => {
    for (const image of [
      { width, height, channels: 3, data: rgb },
      { width, height, channels: 1, data: Float64Array.from({ length: width * height }, (_, p) => rgb[3 * p]) },
    ]) {
      const seg = slic(image, { segments: 20 });
      expect(seg.count).toBeGreaterThanOrEqual(10);
      expect(seg.count).toBeLessThanOrEqual(40);
      expect(Math.max(...seg.labels)).toBe(seg.count - 1);
      for (let label = 0; label < seg.count; label++) expect(isConnected(seg, label)).toBe(true);
      // the colour edge at x = 20 is respected: no segment straddles it by more than a column
      for (let label = 0; label < seg.count; label++) {
        let left = 0;
        let right = 0;
        seg.labels.forEach((l, p) => l === label && (p % width < 19 ? left++ : p % width > 20 ? right++ : 0));
        expect(Math.min(left, right)).toBe(0);
      }
    }
  });
});

describe('the segments parameter', () => {
  it('parses grid:K, slic:N, quickshift and refuses the rest', () => {
    expect(parseSegmentsSpec('grid:7', 'lime')).toEqual({ kind: 'grid', cells: 7 });
    expect(parseSegmentsSpec('slic:50', 'lime')).toEqual({ kind: 'slic', segments: 50 });
    expect(parseSegmentsSpec('quickshift', 'lime')).toEqual({ kind: 'quickshift' });
    for (const bad of ['grid', 'grid:0', 'slic:x', 'felzenszwalb']) {
      expect(() => parseSegmentsSpec(bad, 'lime')).toThrow(ApiError);
    }
    expect(() => parseSegmentsSpec('grid:0', 'lime')).toThrow(/lime: segments="grid:0" is not one of grid:K/);
  });
});
