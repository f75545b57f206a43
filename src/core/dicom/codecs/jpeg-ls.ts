// JPEG-LS lossless and near-lossless frames (ITU-T T.87; PS3.5 A.4.3) with CharLS compiled to WASM.
// CharLS returns the stream's own layout: planes when the scan is not interleaved (ILV none).
import charlsFactory from '@cornerstonejs/codec-charls/decodewasmjs';
import { interleavePlanes } from './layout';
import { checkDecodedSize, type DecodedFrame, type FrameLayout } from './types';
import { bytesToSamples, decodeWithWasm } from './wasm';

const INTERLEAVE_NONE = 0;

export async function decodeJpegLs(encoded: Uint8Array, layout: FrameLayout): Promise<DecodedFrame> {
  const result = await decodeWithWasm('CharLS', charlsFactory, 'JpegLSDecoder', encoded, (decoder) =>
    (decoder as unknown as { getInterleaveMode(): number }).getInterleaveMode(),
  );
  checkDecodedSize('CharLS', layout, result.width, result.height, result.components);
  let samples = bytesToSamples(result.bytes, result.bitsPerSample, false);
  if (result.components > 1 && result.extra === INTERLEAVE_NONE) samples = interleavePlanes(samples, result.components);
  return { samples, convertedToRgb: false, shifted: false, decoder: 'CharLS (JPEG-LS)' };
}
