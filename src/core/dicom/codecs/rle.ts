// RLE Lossless frames (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits-coded
// segment per byte plane, most significant byte first, sample by sample.
import type { DecodedFrame, FrameLayout } from './types';

const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

export function decodeRle(encoded: Uint8Array, layout: FrameLayout): DecodedFrame {
  if (encoded.length < HEADER_BYTES) throw new Error(`the RLE frame is ${encoded.length} bytes, shorter than its 64-byte header`);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  const bytesPerSample = layout.bitsAllocated / 8;
  const expectedSegments = layout.samplesPerPixel * bytesPerSample;
  if (!Number.isInteger(bytesPerSample) || segmentCount !== expectedSegments || segmentCount > MAX_SEGMENTS) {
    throw new Error(`the RLE header lists ${segmentCount} segments; ${layout.samplesPerPixel} samples of ${layout.bitsAllocated} bits need ${expectedSegments}`);
  }
  const offsets = Array.from({ length: segmentCount }, (_, i) => view.getUint32(4 + 4 * i, true));
  const pixels = layout.rows * layout.columns;
  const planes = offsets.map((start, i) => {
    const end = i + 1 < segmentCount ? offsets[i + 1] : encoded.length;
    if (start < HEADER_BYTES || end > encoded.length || end < start) throw new Error(`RLE segment ${i + 1} lies outside the frame (${start}–${end} of ${encoded.length} bytes)`);
    return unpackBits(encoded.subarray(start, end), pixels, i + 1);
  });
  const count = pixels * layout.samplesPerPixel;
  const samples = bytesPerSample === 1 ? new Uint8Array(count) : bytesPerSample === 2 ? new Uint16Array(count) : new Uint32Array(count);
  for (let s = 0; s < layout.samplesPerPixel; s++) {
    for (let p = 0; p < pixels; p++) {
      let word = 0;
      for (let b = 0; b < bytesPerSample; b++) word = word * 256 + planes[s * bytesPerSample + b][p];
      samples[p * layout.samplesPerPixel + s] = word;
    }
  }
  return { samples, convertedToRgb: false, shifted: true, decoder: 'RLE Lossless (PS3.5 Annex G)' };
}

/** PackBits: n ≥ 0 copies n + 1 bytes; −127 ≤ n ≤ −1 repeats the next byte 1 − n times; −128 is a no-op. */
function unpackBits(segment: Uint8Array, length: number, index: number): Uint8Array {
  const out = new Uint8Array(length);
  let written = 0;
  let pos = 0;
  while (written < length && pos < segment.length) {
    const header = (segment[pos++] << 24) >> 24;
    if (header >= 0) {
      const run = Math.min(header + 1, length - written, segment.length - pos);
      out.set(segment.subarray(pos, pos + run), written);
      written += run;
      pos += header + 1;
    } else if (header !== -128) {
      const run = Math.min(1 - header, length - written);
      out.fill(segment[pos++], written, written + run);
      written += run;
    }
  }
  if (written < length) throw new Error(`RLE segment ${index} decodes to ${written} bytes; the frame needs ${length}`);
  return out;
}
