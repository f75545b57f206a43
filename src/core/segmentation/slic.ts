// SLIC superpixels (Achanta et al. 2012) following scikit-image's `slic` defaults: Lab colour,
// compactness 10, 10 iterations, seeds on a regular grid of step S = sqrt(H·W / n), a 2S search
// window, then connectivity enforced (components under half a nominal segment join a neighbour).
// Not bit-exact to scikit-image (seeding and relabelling details differ); no reference is tested.
import { toLab } from './color';
import type { PixelImage, Segmentation } from './types';

export interface SlicOptions {
  segments?: number;
  compactness?: number;
  iterations?: number;
}

export function slic(image: PixelImage, options: SlicOptions = {}): Segmentation {
  const { width, height } = image;
  const target = Math.max(1, options.segments ?? 100);
  const compactness = options.compactness ?? 10;
  const iterations = options.iterations ?? 10;
  const lab = image.channels === 1 || image.channels === 3 ? toLab(image) : Float64Array.from(image.data, (v) => 100 * v);
  const channels = image.channels === 1 || image.channels === 3 ? 3 : image.channels;
  const pixels = width * height;
  const step = Math.max(1, Math.round(Math.sqrt(pixels / target)));
  const start = Math.floor(step / 2);

  // centre = [row, col, colour...]
  const centres: number[][] = [];
  for (let r = start; r < height; r += step) {
    for (let c = start; c < width; c += step) {
      const p = r * width + c;
      centres.push([r, c, ...lab.subarray(p * channels, (p + 1) * channels)]);
    }
  }
  const spatialWeight = (compactness * compactness) / (step * step);
  const nearest = new Int32Array(pixels).fill(-1);
  const distance = new Float64Array(pixels);
  for (let iteration = 0; iteration < iterations; iteration++) {
    distance.fill(Number.POSITIVE_INFINITY);
    let changed = false;
    centres.forEach((centre, k) => {
      const [cr, cc] = centre;
      const rMin = Math.max(0, Math.floor(cr - 2 * step));
      const rMax = Math.min(height, Math.ceil(cr + 2 * step + 1));
      const cMin = Math.max(0, Math.floor(cc - 2 * step));
      const cMax = Math.min(width, Math.ceil(cc + 2 * step + 1));
      for (let r = rMin; r < rMax; r++) {
        for (let c = cMin; c < cMax; c++) {
          const p = r * width + c;
          let d = ((cr - r) ** 2 + (cc - c) ** 2) * spatialWeight;
          for (let ch = 0; ch < channels; ch++) d += (lab[p * channels + ch] - centre[2 + ch]) ** 2;
          if (d < distance[p]) {
            distance[p] = d;
            if (nearest[p] !== k) changed = true;
            nearest[p] = k;
          }
        }
      }
    });
    if (!changed) break;
    const sums = centres.map(() => new Float64Array(2 + channels));
    const counts = new Float64Array(centres.length);
    for (let p = 0; p < pixels; p++) {
      const k = nearest[p];
      if (k < 0) continue;
      counts[k]++;
      sums[k][0] += Math.floor(p / width);
      sums[k][1] += p % width;
      for (let ch = 0; ch < channels; ch++) sums[k][2 + ch] += lab[p * channels + ch];
    }
    centres.forEach((centre, k) => {
      if (counts[k] > 0) for (let i = 0; i < centre.length; i++) centre[i] = sums[k][i] / counts[k];
    });
  }
  return enforceConnectivity(width, height, nearest, Math.floor((0.5 * pixels) / centres.length));
}

/**
 * Relabels 4-connected components in raster order; a component smaller than `minSize` takes the
 * label of the component next to its first pixel (as scikit-image's _enforce_label_connectivity).
 */
function enforceConnectivity(width: number, height: number, raw: Int32Array, minSize: number): Segmentation {
  const pixels = width * height;
  const labels = new Int32Array(pixels).fill(-1);
  const queue = new Int32Array(pixels);
  let count = 0;
  for (let seed = 0; seed < pixels; seed++) {
    if (labels[seed] >= 0) continue;
    const r0 = Math.floor(seed / width);
    const c0 = seed % width;
    // the label of an already labelled neighbour, for merging a small component
    let adjacent = -1;
    if (c0 > 0 && labels[seed - 1] >= 0) adjacent = labels[seed - 1];
    else if (r0 > 0 && labels[seed - width] >= 0) adjacent = labels[seed - width];
    const label = count;
    labels[seed] = label;
    let head = 0;
    let tail = 0;
    queue[tail++] = seed;
    while (head < tail) {
      const p = queue[head++];
      const r = Math.floor(p / width);
      const c = p % width;
      const visit = (q: number) => {
        if (labels[q] < 0 && raw[q] === raw[seed]) {
          labels[q] = label;
          queue[tail++] = q;
        }
      };
      if (c > 0) visit(p - 1);
      if (c < width - 1) visit(p + 1);
      if (r > 0) visit(p - width);
      if (r < height - 1) visit(p + width);
    }
    if (tail < minSize && adjacent >= 0) {
      for (let i = 0; i < tail; i++) labels[queue[i]] = adjacent;
    } else {
      count++;
    }
  }
  return { width, height, labels, count };
}
