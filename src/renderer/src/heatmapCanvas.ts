// Paints a colour-mapped heatmap into an offscreen canvas at its own resolution; Konva scales it.
import { heatmapToRgba, type ColormapId, type DisplayScale } from '../../core/display/colormap';

export function renderHeatmapCanvas(
  values: Float32Array,
  width: number,
  height: number,
  scale: DisplayScale,
  colormap: ColormapId,
  threshold: number,
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('No 2D canvas context for the heatmap');
  const rgba = heatmapToRgba(values, scale, colormap, threshold);
  context.putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}
