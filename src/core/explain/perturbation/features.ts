// The interpretable features of LIME, KernelSHAP and Partition SHAP: superpixels (the `segments`
// parameter) over the model-input image, a masker's replacement tensor, and the two operations
// every such method needs: write the input with a subset of features kept, and paint per-feature
// values back onto the [H, W] grid. Also the parameters these methods share.
import type { ParamSpec } from '../../../api/schemas';
import { pixelImageFromTensor } from '../../image/pixels';
import { Prng } from '../../random/prng';
import { cachedSegmentation, parseSegmentsSpec, segmentImage, type SegmentsSpec } from '../../segmentation/segments';
import { segmentPixels, type PixelImage, type Segmentation } from '../../segmentation/types';
import type { DisplayStep, ExplainContext } from '../types';
import { copyPixels, layoutOf, maskerReplacement } from './maskers';

export const SEED_PARAM: ParamSpec = { name: 'seed', kind: 'int', default: 0, min: 0, max: 4294967295, description: 'seed of the random samples; the same seed gives the same result' };

export function samplesParam(defaultCount: number, what: string): ParamSpec {
  return { name: 'samples', kind: 'int', default: defaultCount, min: 1, max: 1_000_000, description: what };
}

export function segmentsParam(defaultSpec: string, extra = ''): ParamSpec {
  return {
    name: 'segments',
    kind: 'string',
    default: defaultSpec,
    description: `features: grid:K (K×K cells), slic:N (about N SLIC superpixels) or quickshift (lime_image's defaults)${extra}`,
  };
}

export const OUTPUT_PARAM: ParamSpec = {
  name: 'output',
  kind: 'enum',
  default: 'map',
  options: ['map', 'features'],
  description: 'map = [H, W] at model-input resolution; features = one value per feature (segment)',
};

export const BATCH_PARAM: ParamSpec = { name: 'batchSize', kind: 'int', default: 32, min: 1, max: 1024, description: 'most perturbed inputs per forward pass (adapted down for responsiveness)' };

/** The image the explainer segments: the decoded pixels when known, else the de-normalised tensor. */
function pixelsOf(ctx: Pick<ExplainContext, 'input' | 'model' | 'pixels'>): PixelImage {
  return ctx.pixels ?? pixelImageFromTensor(ctx.input, ctx.model.preprocessing);
}

/** Segments the input per `spec`, cached per input and spec (shared by every method on that input). */
function segmentationOf(ctx: Pick<ExplainContext, 'input' | 'model' | 'pixels'>, spec: SegmentsSpec): Segmentation {
  return cachedSegmentation(ctx.input.data, JSON.stringify(spec), () => segmentImage(pixelsOf(ctx), spec));
}

/** Superpixels for a masker that needs them when the method has none: quickshift, or an 8×8 grid for images quickshift cannot take (cached per input). */
export function defaultSegmentation(ctx: Pick<ExplainContext, 'input' | 'model' | 'pixels'>): Segmentation {
  // the channels of pixelsOf(ctx), known without building the image
  const channels = ctx.pixels?.channels ?? ctx.model.preprocessing.channels;
  const spec: SegmentsSpec = channels === 1 || channels === 3 ? { kind: 'quickshift' } : { kind: 'grid', cells: 8 };
  return segmentationOf(ctx, spec);
}

export interface FeatureSpace {
  segmentation: Segmentation;
  /** pixel indices of each feature */
  featurePixels: Int32Array[];
  replacement: Float32Array;
  /** writes the input with feature f kept where keep[f] is non-zero and hidden elsewhere */
  fill(keep: ArrayLike<number>, dst: Float32Array): void;
}

/** Segments the input per `segments` and builds the masker's replacement (seeded by `rng`). */
export function featureSpace(ctx: ExplainContext, method: string, rng: Prng): FeatureSpace {
  const spec = parseSegmentsSpec(String(ctx.params.segments), method);
  return featureSpaceOf(ctx, segmentationOf(ctx, spec), rng);
}

export function featureSpaceOf(ctx: ExplainContext, segmentation: Segmentation, rng: Prng): FeatureSpace {
  const featurePixels = segmentPixels(segmentation);
  const replacement = maskerReplacement(ctx, { segmentation: () => segmentation, rng: rng.fork(1) });
  const layout = layoutOf(ctx.model.preprocessing);
  const input = ctx.input.data;
  const copyFeature = (source: Float32Array, f: number, dst: Float32Array) => copyPixels(layout, featurePixels[f], source, dst);
  return {
    segmentation,
    featurePixels,
    replacement,
    fill(keep, dst) {
      // start from whichever side needs fewer features copied over it
      let kept = 0;
      for (let f = 0; f < keep.length; f++) if (keep[f]) kept++;
      const keptMajority = 2 * kept >= keep.length;
      dst.set(keptMajority ? input : replacement);
      for (let f = 0; f < keep.length; f++) {
        if (keptMajority && !keep[f]) copyFeature(replacement, f, dst);
        if (!keptMajority && keep[f]) copyFeature(input, f, dst);
      }
    },
  };
}

/** Per-feature values painted onto the [H, W] grid. */
function paintFeatures(segmentation: Segmentation, values: ArrayLike<number>): Float32Array {
  return Float32Array.from(segmentation.labels, (label) => values[label]);
}

/**
 * The raw result of a feature method: [H, W] painted (output=map), or [M] with a display step that
 * paints it (output=features; the segment map travels run-length encoded in the step).
 */
export function featureResult(ctx: ExplainContext, segmentation: Segmentation, values: ArrayLike<number>): { attribution: { shape: number[]; data: Float32Array }; display: DisplayStep[] } {
  if (ctx.params.output === 'features') {
    return {
      attribution: { shape: [segmentation.count], data: Float32Array.from(values) },
      display: [{ op: 'paint-segments', args: { width: segmentation.width, height: segmentation.height, runs: runLengths(segmentation.labels) } }],
    };
  }
  return { attribution: { shape: [segmentation.height, segmentation.width], data: paintFeatures(segmentation, values) }, display: [] };
}

/** [label, length, label, length, …] over the row-major labels. */
function runLengths(labels: Int32Array): number[] {
  const runs: number[] = [];
  for (let i = 0; i < labels.length; ) {
    let j = i + 1;
    while (j < labels.length && labels[j] === labels[i]) j++;
    runs.push(labels[i], j - i);
    i = j;
  }
  return runs;
}

export function seededRng(ctx: ExplainContext): Prng {
  return new Prng(Number(ctx.params.seed ?? 0));
}
