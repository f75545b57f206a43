// Quickshift superpixels, a port of scikit-image 0.19.3 `segmentation.quickshift` (and its Cython
// `_quickshift_cython`): Lab conversion (convert2lab=True), colour scaled by `ratio`, Parzen density
// with a Gaussian kernel over colour + position, numpy RandomState(random_seed) noise of scale 1e-5
// to break ties, a link from each pixel to its nearest denser neighbour within ceil(3·kernel_size),
// links longer than max_dist cut, labels numbered by root pixel index (np.unique's inverse).
// Defaults are lime_image's: kernel_size 4, max_dist 200, ratio 0.2; sigma 0 (no smoothing).
import { NumpyRandomState } from '../random/numpy-legacy';
import { toLab } from './color';
import type { PixelImage, Segmentation } from './types';
import { compactLabels } from './types';

export interface QuickshiftOptions {
  ratio?: number;
  kernelSize?: number;
  maxDist?: number;
  /** convert RGB (or gray) to Lab first, as scikit-image's default; false = use the channels as they are */
  convertToLab?: boolean;
  randomSeed?: number;
}

const LIME_QUICKSHIFT: Required<QuickshiftOptions> = { ratio: 0.2, kernelSize: 4, maxDist: 200, convertToLab: true, randomSeed: 42 };

export function quickshift(image: PixelImage, options: QuickshiftOptions = {}): Segmentation {
  const { ratio, kernelSize, maxDist, convertToLab, randomSeed } = { ...LIME_QUICKSHIFT, ...options };
  const { width, height } = image;
  const features = convertToLab ? toLab(image) : Float64Array.from(image.data);
  const channels = convertToLab ? 3 : image.channels;
  for (let i = 0; i < features.length; i++) features[i] *= ratio;

  const inverseKernelSq = -0.5 / (kernelSize * kernelSize);
  const kernelWidth = Math.ceil(3 * kernelSize);
  const pixelCount = width * height;
  // the same sums as scikit-image: colour channels in order, then rows, then columns
  const squaredDistance =
    channels === 3
      ? (p: number, q: number, dr: number, dc: number) => {
          const t0 = features[3 * p] - features[3 * q];
          const t1 = features[3 * p + 1] - features[3 * q + 1];
          const t2 = features[3 * p + 2] - features[3 * q + 2];
          return t0 * t0 + t1 * t1 + t2 * t2 + dr * dr + dc * dc;
        }
      : (p: number, q: number, dr: number, dc: number) => {
          let dist = 0;
          for (let ch = 0; ch < channels; ch++) {
            const t = features[p * channels + ch] - features[q * channels + ch];
            dist += t * t;
          }
          return dist + dr * dr + dc * dc;
        };

  // Parzen densities. The kernel is symmetric, so each pair (p, q) with q after p in raster order is
  // computed once and added to both; the self term adds exp(0) = 1. Sums in another order than
  // scikit-image's differ by rounding only (far below the 1e-5 tie-breaking noise).
  const densities = new Float64Array(pixelCount).fill(1);
  for (let r = 0; r < height; r++) {
    const rMax = Math.min(r + kernelWidth + 1, height);
    for (let c = 0; c < width; c++) {
      const p = r * width + c;
      // the rest of row r, then the following rows of the window
      for (let c2 = c + 1; c2 < Math.min(c + kernelWidth + 1, width); c2++) {
        const q = r * width + c2;
        const k = Math.exp(squaredDistance(p, q, 0, c - c2) * inverseKernelSq);
        densities[p] += k;
        densities[q] += k;
      }
      const cMin = Math.max(c - kernelWidth, 0);
      const cMax = Math.min(c + kernelWidth + 1, width);
      for (let r2 = r + 1; r2 < rMax; r2++) {
        for (let c2 = cMin; c2 < cMax; c2++) {
          const q = r2 * width + c2;
          const k = Math.exp(squaredDistance(p, q, r - r2, c - c2) * inverseKernelSq);
          densities[p] += k;
          densities[q] += k;
        }
      }
    }
  }
  // scikit-image adds the noise after the densities, in C order over (height, width)
  const random = new NumpyRandomState(randomSeed);
  for (let p = 0; p < pixelCount; p++) densities[p] += random.normal(0, 0.00001);

  const parent = new Int32Array(pixelCount);
  for (let r = 0; r < height; r++) {
    const rMin = Math.max(r - kernelWidth, 0);
    const rMax = Math.min(r + kernelWidth + 1, height);
    for (let c = 0; c < width; c++) {
      const cMin = Math.max(c - kernelWidth, 0);
      const cMax = Math.min(c + kernelWidth + 1, width);
      const p = r * width + c;
      const density = densities[p];
      let closest = Number.MAX_VALUE;
      let link = p;
      for (let r2 = rMin; r2 < rMax; r2++) {
        for (let c2 = cMin; c2 < cMax; c2++) {
          const q = r2 * width + c2;
          if (densities[q] > density) {
            const dist = squaredDistance(p, q, r - r2, c - c2);
            if (dist < closest) {
              closest = dist;
              link = q;
            }
          }
        }
      }
      parent[p] = Math.sqrt(closest) > maxDist ? p : link;
    }
  }
  // flatten the forest: every pixel points at its root
  const root = new Int32Array(pixelCount);
  for (let p = 0; p < pixelCount; p++) {
    let q = p;
    while (parent[q] !== q) q = parent[q];
    root[p] = q;
  }
  return compactLabels(width, height, root);
}
