// Cascading model-parameter randomisation (Adebayo et al., "Sanity checks for saliency maps",
// NeurIPS 2018): the model's parametrised layers are re-initialised one more at a time from the
// top (the classifier first), the explanation is recomputed on each randomised model, and its map
// is compared with the original by Spearman rank correlation (of the values and of their absolute
// values) and SSIM. A method whose map barely changes when the weights it should depend on are
// destroyed explains the image more than the model; such a result is reported as it is.
import type { RandomisationSummary } from '../../api/metrics-schemas';
import type { ParametrisedLayer } from '../model/randomise-weights';
import { spearman } from './rank-correlation';
import { ssim } from './ssim';

const RANK_CORRELATION_THRESHOLD = 0.5;
/** how many top layers count as "the top layers" for the verdict */
export const TOP_LAYERS = 2;

export interface RandomisationInput {
  original: ArrayLike<number>;
  width: number;
  height: number;
  /** the layers in forward order (see model/randomise-weights) */
  layers: readonly ParametrisedLayer[];
  /** how many steps to take from the top (default: every layer) */
  maxSteps?: number;
  seed: number;
  /** the explanation's map on the model with `randomised` layers re-initialised */
  mapWith(randomised: readonly ParametrisedLayer[], step: number): Promise<ArrayLike<number>>;
  checkCancelled(): void;
}

export async function cascadingRandomisation(input: RandomisationInput): Promise<RandomisationSummary> {
  const fromTop = [...input.layers].reverse();
  const stepCount = Math.min(fromTop.length, input.maxSteps ?? fromTop.length);
  const absOriginal = Array.from(input.original, Math.abs);
  const steps: RandomisationSummary['steps'] = [];
  for (let k = 1; k <= stepCount; k++) {
    input.checkCancelled();
    const randomised = fromTop.slice(0, k);
    const map = await input.mapWith(randomised, k);
    steps.push({
      randomised: randomised.map((l) => l.name),
      spearman: spearman(input.original, map),
      spearmanAbs: spearman(absOriginal, Array.from(map, Math.abs)),
      ssim: ssim(input.original, map, input.width, input.height),
    });
  }
  const correlations = steps.map((s) => s.spearman);
  const firstBelow = correlations.findIndex((r) => r < RANK_CORRELATION_THRESHOLD);
  const separatesAt = firstBelow < 0 ? null : firstBelow + 1;
  const atTopLayers = correlations[Math.min(TOP_LAYERS, correlations.length) - 1];
  const verdict = atTopLayers !== undefined && atTopLayers < RANK_CORRELATION_THRESHOLD ? 'separates' : separatesAt === null ? 'insensitive' : 'partial';
  return { layerCount: input.layers.length, seed: input.seed, steps, threshold: RANK_CORRELATION_THRESHOLD, separatesAt, verdict };
}
