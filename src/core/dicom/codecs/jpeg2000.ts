// JPEG 2000 (ISO/IEC 15444-1; PS3.5 A.4.4) frames with OpenJPEG compiled to WASM, and the adapter
// shared with HTJ2K. The decoders undo the multi-component transform, so YBR_ICT / YBR_RCT come out
// as RGB (PS3.5 A.4.4 note).
import openjpegFactory from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import { checkDecodedSize, type DecodedFrame, type FrameLayout } from './types';
import { bytesToSamples, decodeWithWasm } from './wasm';

/** The file says the codestream used the irreversible or reversible colour transform. */
export function isComponentTransformed(layout: FrameLayout): boolean {
  return layout.photometric === 'YBR_ICT' || layout.photometric === 'YBR_RCT';
}

/** One frame through a JPEG 2000 family decoder class of a Cornerstone WASM module. */
export async function decodeJ2kFamily(
  codec: { name: string; factory: (options: Record<string, unknown>) => Promise<unknown>; className: string; label: string },
  encoded: Uint8Array,
  layout: FrameLayout,
): Promise<DecodedFrame> {
  const result = await decodeWithWasm(codec.name, codec.factory, codec.className, encoded);
  checkDecodedSize(codec.name, layout, result.width, result.height, result.components);
  return {
    samples: bytesToSamples(result.bytes, result.bitsPerSample, result.signed),
    convertedToRgb: isComponentTransformed(layout),
    shifted: false,
    decoder: codec.label,
  };
}

const OPENJPEG = { name: 'OpenJPEG', factory: openjpegFactory, className: 'J2KDecoder', label: 'OpenJPEG (JPEG 2000)' };

export function decodeJpeg2000(encoded: Uint8Array, layout: FrameLayout): Promise<DecodedFrame> {
  return decodeJ2kFamily(OPENJPEG, encoded, layout);
}
