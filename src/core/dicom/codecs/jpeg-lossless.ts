// JPEG lossless, processes 14 and 14 SV1 (ITU-T T.81 Annex H; PS3.5 A.4.1), with
// jpeg-lossless-decoder-js (pure JavaScript). The output holds 1 or 2 bytes per sample, interleaved.
import { Decoder } from 'jpeg-lossless-decoder-js';
import { type DecodedFrame, type FrameLayout } from './types';

export function decodeJpegLossless(encoded: Uint8Array, layout: FrameLayout): DecodedFrame {
  const bytesPerSample = layout.bitsAllocated <= 8 ? 1 : 2;
  const copy = encoded.slice();
  let decoded: Uint8Array | Uint16Array;
  try {
    decoded = new Decoder().decode(copy.buffer, 0, copy.byteLength, bytesPerSample);
  } catch (error) {
    throw new Error(`the JPEG lossless decoder could not decode the frame (${error instanceof Error ? error.message : String(error)})`);
  }
  const expected = layout.rows * layout.columns * layout.samplesPerPixel;
  if (decoded.length !== expected) {
    throw new Error(`the JPEG lossless decoder produced ${decoded.length} samples; the file declares ${layout.columns}×${layout.rows}×${layout.samplesPerPixel}`);
  }
  return { samples: decoded, convertedToRgb: false, shifted: false, decoder: 'jpeg-lossless-decoder-js (JPEG lossless)' };
}
