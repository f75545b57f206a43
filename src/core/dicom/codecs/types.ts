// What every codec adapter returns: one frame's samples as integers, interleaved with samples last
// (PS3.5 §8.2: each encapsulated frame decodes to Rows × Columns × Samples per Pixel values).
import type { PixelModule } from '../pixel-module';

export type SampleArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface DecodedFrame {
  /** interleaved samples (R,G,B per pixel for colour); integers as the codec or the file gives them */
  samples: SampleArray;
  /** the decoder turned YCbCr into RGB (JPEG baseline YBR, J2K YBR_ICT/RCT) */
  convertedToRgb: boolean;
  /** native words are shifted right by HighBit + 1 − BitsStored before masking; codec output is not */
  shifted: boolean;
  /** what decoded it, for the recorded steps */
  decoder: string;
}

export type FrameLayout = Pick<PixelModule, 'rows' | 'columns' | 'samplesPerPixel' | 'bitsAllocated' | 'bitsStored' | 'pixelRepresentation' | 'photometric' | 'planarConfiguration'>;

/** Refuses a decoder result whose size disagrees with the file's Image Pixel Module. */
export function checkDecodedSize(decoder: string, layout: FrameLayout, width: number, height: number, components: number): void {
  if (width !== layout.columns || height !== layout.rows || components !== layout.samplesPerPixel) {
    throw new Error(
      `${decoder} decoded ${width}×${height}×${components}, but the file declares ${layout.columns}×${layout.rows}×${layout.samplesPerPixel}`,
    );
  }
}
