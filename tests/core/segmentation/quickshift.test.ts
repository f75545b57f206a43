// Quickshift is a port of scikit-image 0.19.3 (Must show 1, issue 5): on the fixture image it must
// agree with resnet18/lime/segments.npy on ≥ 99 % of pixels after matching each segment to the
// fixture segment it overlaps most. Also its building blocks: numpy's legacy RandomState stream
// (values printed by numpy for seed 42) and skimage's rgb2lab (values of skimage 0.19's rgb2lab).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src/core/image/decode';
import { pixelImageFromDecoded } from '../../../src/core/image/pixels';
import { NumpyRandomState } from '../../../src/core/random/numpy-legacy';
import { toLab } from '../../../src/core/segmentation/color';
import { quickshift } from '../../../src/core/segmentation/quickshift';
import type { Segmentation } from '../../../src/core/segmentation/types';
import { fixture, imagePng, readNpyNumbers, reportFigure } from '../../helpers/fixtures';

/** Share of pixels whose segment's best-overlapping reference segment is the pixel's reference segment. */
function matchedAgreement(ours: Segmentation, reference: Float64Array): { agreement: number; disagreeing: number[] } {
  const overlap = new Map<string, number>();
  ours.labels.forEach((label, p) => {
    const key = `${label}|${reference[p]}`;
    overlap.set(key, (overlap.get(key) ?? 0) + 1);
  });
  const best = new Map<number, { ref: number; count: number }>();
  for (const [key, count] of overlap) {
    const [label, ref] = key.split('|').map(Number);
    const current = best.get(label);
    if (!current || count > current.count) best.set(label, { ref, count });
  }
  const disagreeing: number[] = [];
  ours.labels.forEach((label, p) => {
    if (best.get(label)!.ref !== reference[p]) disagreeing.push(p);
  });
  return { agreement: 1 - disagreeing.length / ours.labels.length, disagreeing };
}

describe('numpy legacy RandomState (MT19937, legacy_gauss)', () => {
  it('reproduces numpy 1.24 / 2.x RandomState(42) values', () => {
    const uniform = new NumpyRandomState(42);
    expect(uniform.randomSample()).toBe(0.3745401188473625);
    expect(uniform.randomSample()).toBe(0.9507143064099162);
    const normal = new NumpyRandomState(42);
    // np.random.RandomState(42).normal(scale=1e-5, size=5)
    expect([0, 1, 2, 3, 4].map(() => normal.normal(0, 1e-5))).toEqual([
      4.9671415301123275e-6, -1.3826430117118467e-6, 6.476885381006925e-6, 1.5230298564080255e-5, -2.3415337472333598e-6,
    ]);
  });
});

describe('rgb2lab (scikit-image 0.19)', () => {
  it('white, red, a gray and the same gray given as one channel', () => {
    const rgb = toLab({ width: 3, height: 1, channels: 3, data: Float64Array.from([1, 1, 1, 1, 0, 0, 0.5, 0.5, 0.5]) });
    // skimage.color.rgb2lab of white and red: skimage's matrix rows do not sum to the D65 white exactly,
    // so white has a = −0.00245, b = 0.00465 there too
    const expected = [100, -2.45493786e-3, 4.65342115e-3, 53.24058794, 80.09230823, 67.20275104];
    expected.forEach((v, i) => expect(rgb[i]).toBeCloseTo(v, 6));
    expect(rgb[6]).toBeCloseTo(53.38896474, 6);
    const gray = toLab({ width: 1, height: 1, channels: 1, data: Float64Array.from([0.5]) });
    for (let k = 0; k < 3; k++) expect(gray[k]).toBeCloseTo(rgb[6 + k], 10);
  });
});

describe('quickshift vs scikit-image 0.19.3 on the fixture image (lime_image defaults)', () => {
  it('agrees with segments.npy on ≥ 99 % of pixels after overlap matching', async () => {
    const image = await decodeImage(readFileSync(imagePng('chelsea')), 'chelsea.png');
    const started = performance.now();
    const ours = quickshift(pixelImageFromDecoded(image), { kernelSize: 4, maxDist: 200, ratio: 0.2, randomSeed: 42 });
    const ms = performance.now() - started;
    const reference = readNpyNumbers(fixture('resnet18', 'lime', 'segments.npy'));
    expect(reference.shape).toEqual([224, 224]);
    const { agreement, disagreeing } = matchedAgreement(ours, reference.data);
    let identicalLabels = 0;
    ours.labels.forEach((label, p) => {
      if (label === reference.data[p]) identicalLabels++;
    });
    reportFigure('quickshift agreement after overlap matching (chelsea, 224²)', `${(100 * agreement).toFixed(3)} % (${disagreeing.length} pixels differ)`);
    reportFigure('quickshift identical labels without matching', `${((100 * identicalLabels) / ours.labels.length).toFixed(3)} %`);
    reportFigure('quickshift segments / ms', `${ours.count} segments in ${ms.toFixed(0)} ms`);
    expect(ours.count).toBe(39);
    expect(agreement).toBeGreaterThanOrEqual(0.99);
  });
});

describe('quickshift on gray and 16-bit images, natively', () => {
  // a smooth two-region gray image with a gradient
  const width = 24;
  const height = 20;
  const gray8 = Array.from({ length: width * height }, (_, p) => {
    const x = p % width;
    const y = Math.floor(p / width);
    return Math.min(255, (x < 12 ? 40 : 190) + 2 * y + ((x * 7 + y * 3) % 5));
  });

  it('a gray image segments like the same gray replicated in R, G and B', () => {
    const small = { kernelSize: 2, maxDist: 6 };
    const gray = quickshift({ width, height, channels: 1, data: Float64Array.from(gray8, (v) => v / 255) }, small);
    const rgb = quickshift({ width, height, channels: 3, data: Float64Array.from(gray8.flatMap((v) => [v, v, v]), (v) => v / 255) }, small);
    expect(gray.count).toBeGreaterThan(1);
    expect(Array.from(gray.labels)).toEqual(Array.from(rgb.labels));
  });

  it('16-bit samples (v·257) give the segments of the 8-bit image', async () => {
    const eight = pixelImageFromDecoded({ width, height, channels: 1, bitDepth: 8, format: 'png', data: Uint8Array.from(gray8) });
    const sixteen = pixelImageFromDecoded({ width, height, channels: 1, bitDepth: 16, format: 'png', data: Uint16Array.from(gray8, (v) => v * 257) });
    const small = { kernelSize: 2, maxDist: 6 };
    const segments = quickshift(eight, small);
    expect(segments.count).toBeGreaterThan(1);
    expect(Array.from(quickshift(sixteen, small).labels)).toEqual(Array.from(segments.labels));
  });
});
