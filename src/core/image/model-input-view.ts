// The model input as a picture: a model tensor undone back to 8-bit display values through the
// card's own preprocessing (x · std + mean, ÷ scale; channel order and layout), so what a probe
// hides and how its masker fills the gap can be shown exactly as the model receives it.
import sharp from 'sharp';
import type { ResolvedPreprocessing } from '../../api/schemas';
import { pngDataUrl } from './data-url';

/** Interleaved RGB bytes of one model input (batch 1). Gray models give R = G = B. */
export function modelInputRgb(data: Float32Array, prep: ResolvedPreprocessing): Uint8Array {
  const plane = prep.width * prep.height;
  const rgb = new Uint8Array(plane * 3);
  const index = (c: number, p: number) => (prep.layout === 'NCHW' ? c * plane + p : p * prep.channels + c);
  const scale = prep.scale > 0 ? prep.scale : 1 / 255;
  for (let k = 0; k < 3; k++) {
    const c = prep.channels === 1 ? 0 : prep.channelOrder === 'BGR' ? prep.channels - 1 - k : Math.min(k, prep.channels - 1);
    const mean = prep.mean[c] ?? 0;
    const std = prep.std[c] ?? 1;
    for (let p = 0; p < plane; p++) {
      const value = (data[index(c, p)] * std + mean) / scale;
      rgb[p * 3 + k] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return rgb;
}

/** The model input as a PNG data URL. */
export async function modelInputPng(data: Float32Array, prep: ResolvedPreprocessing): Promise<string> {
  return pngDataUrl(await sharp(modelInputRgb(data, prep), { raw: { width: prep.width, height: prep.height, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer());
}
