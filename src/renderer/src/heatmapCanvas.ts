// Pixels into offscreen canvases at their own resolution (Konva scales them): a colour-mapped
// heatmap, and any RGBA buffer (the probe's mask, a DICOM frame).
import { heatmapToRgba, type ColormapId, type DisplayScale } from '../../core/display/colormap';

/** A canvas of width × height showing `rgba` (4 bytes a pixel, row by row). */
export function rgbaToCanvas(rgba: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas context');
  context.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas;
}

export function renderHeatmapCanvas(
  values: Float32Array,
  width: number,
  height: number,
  scale: DisplayScale,
  colormap: ColormapId,
  threshold: number,
): HTMLCanvasElement {
  return rgbaToCanvas(heatmapToRgba(values, scale, colormap, threshold), width, height);
}
