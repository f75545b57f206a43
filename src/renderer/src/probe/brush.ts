// The probe brush: strokes painted on the viewer become a 0/1 mask at model-input resolution, so
// what the user sees painted is exactly what the engine hides. The viewer draws the image in
// preview pixels; the model sees `region` of it (the centre crop, or all of it when the card
// stretches) resized to the mask's width × height, so a round brush on screen is an ellipse here.
import type { ModelRegion } from '../../../core/image/model-region';

export interface BrushGeometry {
  /** the preview's size in its own pixels (the viewer's image layer units) */
  previewWidth: number;
  previewHeight: number;
  region: ModelRegion;
  /** the model input's size: the mask's */
  maskWidth: number;
  maskHeight: number;
}

export interface MaskPoint {
  x: number;
  y: number;
}

/** A preview pixel position → continuous model-input pixel coordinates (pixel centres at k + 0.5). */
export function previewToMask(geometry: BrushGeometry, x: number, y: number): MaskPoint {
  const { previewWidth, previewHeight, region, maskWidth, maskHeight } = geometry;
  return {
    x: ((x / previewWidth - region.x) / region.width) * maskWidth,
    y: ((y / previewHeight - region.y) / region.height) * maskHeight,
  };
}

/** A brush radius in preview pixels → its radii in model-input pixels (x and y differ when stretched). */
export function brushRadii(geometry: BrushGeometry, radius: number): { rx: number; ry: number } {
  const { previewWidth, previewHeight, region, maskWidth, maskHeight } = geometry;
  return { rx: (radius / (previewWidth * region.width)) * maskWidth, ry: (radius / (previewHeight * region.height)) * maskHeight };
}

/**
 * Sets (value 1) or clears (value 0) every mask pixel whose centre lies within the ellipse of radii
 * rx, ry swept from `from` to `to` (a capsule), so a fast drag leaves no gaps. Returns how many
 * pixels changed.
 */
export function stampStroke(mask: Uint8Array, width: number, height: number, from: MaskPoint, to: MaskPoint, rx: number, ry: number, value: 0 | 1): number {
  if (!(rx > 0 && ry > 0)) return 0;
  // In units where the ellipse is a unit circle the swept shape is a capsule of radius 1.
  const ax = from.x / rx;
  const ay = from.y / ry;
  const dx = to.x / rx - ax;
  const dy = to.y / ry - ay;
  const lengthSq = dx * dx + dy * dy;
  const x0 = Math.max(0, Math.floor(Math.min(from.x, to.x) - rx));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(from.x, to.x) + rx));
  const y0 = Math.max(0, Math.floor(Math.min(from.y, to.y) - ry));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(from.y, to.y) + ry));
  let changed = 0;
  for (let y = y0; y <= y1; y++) {
    const py = (y + 0.5) / ry - ay;
    for (let x = x0; x <= x1; x++) {
      const px = (x + 0.5) / rx - ax;
      const t = lengthSq > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / lengthSq)) : 0;
      const ex = px - t * dx;
      const ey = py - t * dy;
      if (ex * ex + ey * ey > 1) continue;
      const i = y * width + x;
      if (mask[i] !== value) {
        mask[i] = value;
        changed++;
      }
    }
  }
  return changed;
}

/** The mask as translucent RGBA for the viewer (painted pixels tinted, the rest clear). */
export function maskToRgba(mask: Uint8Array, colour: readonly [number, number, number, number]): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(mask.length * 4);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    rgba.set(colour, 4 * i);
  }
  return rgba;
}
