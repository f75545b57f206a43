// JPEG baseline and extended, processes 1/2/4 (ITU-T T.81; PS3.5 A.4.1). The decoder is chosen by the
// SOF precision, not by Bits Allocated (python-gdcm #35): 8-bit → libjpeg-turbo (Cornerstone WASM),
// 12-bit → DCMTK's 12-bit IJG build (dcmjs-codecs WASM). The colour transform follows the file's
// Photometric Interpretation: YBR → the decoder converts to RGB once; RGB → no transform at all.
import libjpegFactory from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
import { decodeJpegLossless } from './jpeg-lossless';
import { checkDecodedSize, type DecodedFrame, type FrameLayout } from './types';
import { bytesToSamples, decodeWithWasm } from './wasm';

interface StartOfFrame {
  marker: number;
  precision: number;
  components: number;
}

/** The first SOFn segment of a JPEG stream (T.81 B.2.2), or null. */
export function readStartOfFrame(bytes: Uint8Array): StartOfFrame | null {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return pos + 9 < bytes.length ? { marker, precision: bytes[pos + 4], components: bytes[pos + 9] } : null;
    if (marker === 0xda) return null; // start of scan before any SOF
    pos += 2 + length;
  }
  return null;
}

const ADOBE_RGB_SEGMENT = new Uint8Array([
  0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00,
]);

/**
 * The stream with the JFIF APP0 and any Adobe APP14 segment replaced by an Adobe segment with
 * transform 0: libjpeg then treats three components as RGB and converts nothing. (libjpeg-turbo's
 * WASM build has no colour-transform switch; without the segment it guesses YCbCr.)
 */
export function markComponentsAsRgb(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 2), ADOBE_RGB_SEGMENT];
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker === 0xda) break;
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const isJfif = marker === 0xe0 && String.fromCharCode(...bytes.subarray(pos + 4, pos + 8)) === 'JFIF';
    const isAdobe = marker === 0xee && String.fromCharCode(...bytes.subarray(pos + 4, pos + 9)) === 'Adobe';
    if (!isJfif && !isAdobe) kept.push(bytes.subarray(pos, pos + 2 + length));
    pos += 2 + length;
  }
  kept.push(bytes.subarray(pos));
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of kept) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function isYbr(layout: FrameLayout): boolean {
  return layout.photometric.startsWith('YBR');
}

export async function decodeJpeg(encoded: Uint8Array, layout: FrameLayout): Promise<DecodedFrame> {
  const sof = readStartOfFrame(encoded);
  if (!sof) throw new Error('the JPEG stream has no start-of-frame segment');
  if (sof.marker === 0xc3) return decodeJpegLossless(encoded, layout);
  if (sof.precision === 12) return decodeJpeg12(encoded, layout);
  if (sof.precision !== 8) throw new Error(`JPEG sample precision ${sof.precision} is unsupported (8 and 12 bits are decoded)`);
  const rgbStream = layout.samplesPerPixel === 3 && !isYbr(layout);
  const stream = rgbStream ? markComponentsAsRgb(encoded) : encoded;
  const result = await decodeWithWasm('libjpeg-turbo', libjpegFactory, 'JPEGDecoder', stream);
  checkDecodedSize('libjpeg-turbo', layout, result.width, result.height, result.components);
  return {
    samples: bytesToSamples(result.bytes, 8, false),
    convertedToRgb: layout.samplesPerPixel === 3 && isYbr(layout),
    shifted: false,
    decoder: `libjpeg-turbo (JPEG 8-bit${rgbStream ? ', no colour transform' : ''})`,
  };
}

let dcmtkReady: Promise<typeof import('dcmjs-codecs')> | null = null;

function loadDcmtk(): Promise<typeof import('dcmjs-codecs')> {
  dcmtkReady ??= import('dcmjs-codecs').then(async (module) => {
    const codecs = (module as unknown as { default?: typeof import('dcmjs-codecs') }).default ?? module;
    if (!codecs.NativeCodecs.isInitialized()) await codecs.NativeCodecs.initializeAsync({ logCodecsInfo: false, logCodecsTrace: false });
    return codecs;
  });
  dcmtkReady.catch(() => (dcmtkReady = null));
  return dcmtkReady;
}

/** 12-bit JPEG (process 4) through DCMTK's IJG 12-bit decoder. */
async function decodeJpeg12(encoded: Uint8Array, layout: FrameLayout): Promise<DecodedFrame> {
  const { Context, NativeCodecs } = await loadDcmtk();
  const context = new Context({
    width: layout.columns,
    height: layout.rows,
    bitsAllocated: 16,
    bitsStored: layout.bitsStored,
    samplesPerPixel: layout.samplesPerPixel,
    pixelRepresentation: layout.pixelRepresentation,
    planarConfiguration: 0,
    photometricInterpretation: layout.photometric,
    encodedBuffer: encoded,
  });
  let decoded: Uint8Array | undefined;
  try {
    decoded = NativeCodecs.decodeJpeg(context, { convertColorspaceToRgb: isYbr(layout) }).getDecodedBuffer();
  } catch (error) {
    throw new Error(`DCMTK could not decode the 12-bit JPEG frame (${error instanceof Error ? error.message : String(error)})`);
  }
  const expected = layout.rows * layout.columns * layout.samplesPerPixel * 2;
  if (!decoded || decoded.length < expected) throw new Error(`DCMTK returned ${decoded?.length ?? 0} bytes for a 12-bit frame that needs ${expected}`);
  return {
    samples: bytesToSamples(decoded.slice(0, expected), 16, false),
    convertedToRgb: layout.samplesPerPixel === 3 && isYbr(layout),
    shifted: false,
    decoder: 'DCMTK IJG 12-bit via dcmjs-codecs (JPEG extended)',
  };
}
