// High-Throughput JPEG 2000 (ISO/IEC 15444-15; PS3.5 A.4.11) frames with OpenJPH compiled to WASM,
// through the JPEG 2000 family adapter.
import openjphFactory from '@cornerstonejs/codec-openjph';
import { decodeJ2kFamily } from './jpeg2000';
import type { DecodedFrame, FrameLayout } from './types';

const OPENJPH = { name: 'OpenJPH', factory: openjphFactory, className: 'HTJ2KDecoder', label: 'OpenJPH (HTJ2K)' };

export function decodeHtj2k(encoded: Uint8Array, layout: FrameLayout): Promise<DecodedFrame> {
  return decodeJ2kFamily(OPENJPH, encoded, layout);
}
