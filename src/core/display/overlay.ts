// The CLI's PNG: the heatmap over the image it explains, drawn with the same display rules as the
// viewer (default colormap for the sign, symmetric range for signed maps, opacity 0.5). The PDF
// report passes a case's saved colormap and threshold.
import sharp from 'sharp';
import type { Explanation } from '../../api/schemas';
import { dataUrlBytes } from '../image/data-url';
import { fromWire } from '../tensor/wire';
import { defaultColormap, displayScale, heatmapToRgba, type ColormapId } from './colormap';

export async function renderOverlayPng(
  previewDataUrl: string,
  result: Explanation,
  opacity = 0.5,
  look: { colormap?: ColormapId; threshold?: number } = {},
): Promise<Buffer> {
  const heatmap = fromWire(result.heatmap);
  const [h, w] = heatmap.shape;
  const rgba = heatmapToRgba(heatmap.data, displayScale(result.heatmapRange, result.signed), look.colormap ?? defaultColormap(result.signed), look.threshold ?? 0);
  const alpha = Math.round(opacity * 255);
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]) rgba[i] = alpha;
  const heatPng = sharp(Buffer.from(rgba.buffer), { raw: { width: w, height: h, channels: 4 } });
  if (!previewDataUrl) return heatPng.png().toBuffer();
  const base = dataUrlBytes(previewDataUrl);
  const meta = await sharp(base).metadata();
  const width = meta.width ?? w;
  const height = meta.height ?? h;
  const region = result.overlayRegion;
  const layer = await heatPng
    .resize({ width: Math.max(1, Math.round(region.width * width)), height: Math.max(1, Math.round(region.height * height)), fit: 'fill', kernel: 'linear' })
    .png()
    .toBuffer();
  return sharp(base)
    .composite([{ input: layer, left: Math.round(region.x * width), top: Math.round(region.y * height) }])
    .png()
    .toBuffer();
}
