// The CLI's PNG: the heatmap over the image it explains, with the default display style.
import sharp from 'sharp';
import type { Explanation } from '../../api/schemas';
import { fromWire } from '../tensor/wire';
import { defaultColormap, heatmapToRgba } from './colormap';

export async function renderOverlayPng(previewDataUrl: string, result: Explanation, opacity = 0.5): Promise<Buffer> {
  const heatmap = fromWire(result.heatmap);
  const [h, w] = heatmap.shape;
  const rgba = heatmapToRgba(heatmap.data, { colormap: defaultColormap(result.signed), signed: result.signed, range: result.heatmapRange, threshold: 0, opacity });
  const heatPng = sharp(Buffer.from(rgba.buffer), { raw: { width: w, height: h, channels: 4 } });
  if (!previewDataUrl) return heatPng.png().toBuffer();
  const base = Buffer.from(previewDataUrl.slice(previewDataUrl.indexOf(',') + 1), 'base64');
  const meta = await sharp(base).metadata();
  const width = meta.width ?? w;
  const height = meta.height ?? h;
  const region = result.overlayRegion;
  const left = Math.round(region.x * width);
  const top = Math.round(region.y * height);
  const regionWidth = Math.max(1, Math.round(region.width * width));
  const regionHeight = Math.max(1, Math.round(region.height * height));
  const layer = await heatPng.resize({ width: regionWidth, height: regionHeight, fit: 'fill', kernel: 'linear' }).png().toBuffer();
  return sharp(base).composite([{ input: layer, left, top }]).png().toBuffer();
}
