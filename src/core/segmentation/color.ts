// Colour conversion for superpixels: sRGB in [0, 1] → CIE Lab (D65, 2° observer), a port of
// scikit-image 0.19 `rgb2lab` (rgb2xyz with the 0.04045 sRGB knee, then xyz2lab with the 0.008856
// knee and 7.787·t + 16/116 below it), in float64. Gray images get the L of the gray level.
import type { PixelImage } from './types';

const XYZ_FROM_RGB = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
];
const D65_WHITE = [0.95047, 1, 1.08883];

function linearise(v: number): number {
  return v > 0.04045 ? Math.pow((v + 0.055) / 1.055, 2.4) : v / 12.92;
}

function labCompand(t: number): number {
  return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
}

/** Lab of one linear-light XYZ triple. */
function xyzToLab(x: number, y: number, z: number, out: Float64Array, offset: number): void {
  const fx = labCompand(x / D65_WHITE[0]);
  const fy = labCompand(y / D65_WHITE[1]);
  const fz = labCompand(z / D65_WHITE[2]);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/**
 * The image in Lab, [H, W, 3] float64. RGB follows skimage's rgb2lab; a gray image is the gray
 * level replicated in R, G and B (so a = b = 0 up to rounding), computed without faking the RGB image.
 * Images with other channel counts cannot be converted.
 */
export function toLab(image: PixelImage): Float64Array {
  const pixels = image.width * image.height;
  const out = new Float64Array(pixels * 3);
  if (image.channels === 3) {
    for (let p = 0; p < pixels; p++) {
      const r = linearise(image.data[3 * p]);
      const g = linearise(image.data[3 * p + 1]);
      const b = linearise(image.data[3 * p + 2]);
      const [mx, my, mz] = XYZ_FROM_RGB;
      xyzToLab(r * mx[0] + g * mx[1] + b * mx[2], r * my[0] + g * my[1] + b * my[2], r * mz[0] + g * mz[1] + b * mz[2], out, 3 * p);
    }
    return out;
  }
  if (image.channels === 1) {
    const rowSums = XYZ_FROM_RGB.map((row) => row[0] + row[1] + row[2]);
    for (let p = 0; p < pixels; p++) {
      const v = linearise(image.data[p]);
      xyzToLab(v * rowSums[0], v * rowSums[1], v * rowSums[2], out, 3 * p);
    }
    return out;
  }
  throw new Error(`Only RGB and gray images can be converted to Lab (this one has ${image.channels} channels)`);
}
