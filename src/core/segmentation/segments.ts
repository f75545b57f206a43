// The `segments` parameter of the feature-based explainers: `grid:K` (K×K cells), `slic:N`
// (about N SLIC superpixels) or `quickshift` (lime_image's defaults), computed on the pixel image.
import { ApiError } from '../../api/contract';
import { gridSegments } from './grid';
import { quickshift } from './quickshift';
import { slic } from './slic';
import type { PixelImage, Segmentation } from './types';

export type SegmentsSpec = { kind: 'grid'; cells: number } | { kind: 'slic'; segments: number } | { kind: 'quickshift' };

export function parseSegmentsSpec(text: string, method: string): SegmentsSpec {
  const [kind, arg] = text.trim().toLowerCase().split(':');
  const count = arg === undefined ? Number.NaN : Number(arg);
  const positive = Number.isInteger(count) && count >= 1;
  if (kind === 'quickshift' && arg === undefined) return { kind };
  if (kind === 'grid' && positive) return { kind, cells: count };
  if (kind === 'slic' && positive) return { kind, segments: count };
  throw new ApiError('BAD_PARAMS', `${method}: segments="${text}" is not one of grid:K (K×K cells), slic:N (about N superpixels), quickshift`);
}

const cache = new WeakMap<object, Map<string, Segmentation>>();

/**
 * Segments once per image and spec: `owner` is an object that lives exactly as long as the image
 * (the engine's prepared input tensor), so repeated explanations of one input skip the segmentation.
 */
export function cachedSegmentation(owner: object, key: string, compute: () => Segmentation): Segmentation {
  let byKey = cache.get(owner);
  if (!byKey) cache.set(owner, (byKey = new Map()));
  let segmentation = byKey.get(key);
  if (!segmentation) byKey.set(key, (segmentation = compute()));
  return segmentation;
}

export function segmentImage(image: PixelImage, spec: SegmentsSpec): Segmentation {
  switch (spec.kind) {
    case 'grid':
      return gridSegments(image.width, image.height, spec.cells);
    case 'slic':
      return slic(image, { segments: spec.segments });
    case 'quickshift':
      return quickshift(image);
  }
}
