// The Image Pixel Module (PS3.3 C.7.6.3) and Multi-frame Module (C.7.6.6) of a file, checked before
// anything is allocated: dimensions, bit depths, photometric interpretation, Pixel Data present.
import { ApiError } from '../../api/contract';
import { numberValue, stringValue, type DicomFile } from './dataset';

export type Photometric =
  | 'MONOCHROME1'
  | 'MONOCHROME2'
  | 'RGB'
  | 'YBR_FULL'
  | 'YBR_FULL_422'
  | 'YBR_ICT'
  | 'YBR_RCT'
  | 'PALETTE COLOR';

const PHOTOMETRICS: readonly Photometric[] = ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_ICT', 'YBR_RCT', 'PALETTE COLOR'];

export interface PixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 1 | 8 | 16 | 32;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement */
  pixelRepresentation: 0 | 1;
  photometric: Photometric;
  /** 0 interleaved (R1G1B1R2…), 1 planar (all R, then G, then B) */
  planarConfiguration: 0 | 1;
  frames: number;
}

/** A frame larger than this many samples is refused before any allocation (a 16k × 16k RGB image fits). */
export const MAX_SAMPLES_PER_FRAME = 16384 * 16384 * 3;
/** All frames together, in bytes of decoded output. */
export const MAX_DECODED_BYTES = 4 * 1024 ** 3;

export function readPixelModule(file: DicomFile): PixelModule {
  const ds = file.dataSet;
  const name = file.name;
  if (!ds.elements.x7fe00010) {
    const other = ds.elements.x7fe00008 ? 'Float Pixel Data' : ds.elements.x7fe00009 ? 'Double Float Pixel Data' : null;
    throw new ApiError(
      'BAD_INPUT',
      other ? `${name} holds ${other} (7FE0,0008/0009), which Sightline does not display` : `${name} has no Pixel Data (7FE0,0010): it is not an image`,
    );
  }
  const need = (tag: string, label: string) => {
    const value = numberValue(ds, tag);
    if (value === undefined) throw new ApiError('BAD_INPUT', `${name} lacks ${label} ${tag}, required for Pixel Data`);
    return value;
  };
  const rows = need('00280010', 'Rows');
  const columns = need('00280011', 'Columns');
  const samplesPerPixel = numberValue(ds, '00280002') ?? 1;
  const bitsAllocated = need('00280100', 'Bits Allocated');
  const bitsStored = numberValue(ds, '00280101') ?? bitsAllocated;
  const highBit = numberValue(ds, '00280102') ?? bitsStored - 1;
  const pixelRepresentation = numberValue(ds, '00280103') ?? 0;
  const photometricText = (stringValue(ds, '00280004') ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')).toUpperCase();
  const planarConfiguration = numberValue(ds, '00280006') ?? 0;
  const framesText = numberValue(ds, '00280008');
  const frames = framesText === undefined || framesText < 1 ? 1 : Math.floor(framesText);

  const bad = (message: string): never => {
    throw new ApiError('BAD_INPUT', `${name}: ${message}`);
  };
  if (!(rows >= 1 && columns >= 1)) bad(`image dimensions ${columns}×${rows} are not positive`);
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) bad(`Samples per Pixel ${samplesPerPixel} is not 1 or 3`);
  if (![1, 8, 16, 32].includes(bitsAllocated)) bad(`Bits Allocated ${bitsAllocated} is not 1, 8, 16 or 32`);
  if (!(bitsStored >= 1 && bitsStored <= bitsAllocated)) bad(`Bits Stored ${bitsStored} does not fit in Bits Allocated ${bitsAllocated}`);
  if (!(highBit >= bitsStored - 1 && highBit < bitsAllocated)) bad(`High Bit ${highBit} is outside Bits Allocated ${bitsAllocated} for Bits Stored ${bitsStored}`);
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) bad(`Pixel Representation ${pixelRepresentation} is not 0 or 1`);
  if (!PHOTOMETRICS.includes(photometricText as Photometric)) bad(`Photometric Interpretation "${photometricText}" is not supported`);
  if ((photometricText.startsWith('MONO') || photometricText === 'PALETTE COLOR') !== (samplesPerPixel === 1)) {
    bad(`Photometric Interpretation ${photometricText} does not go with ${samplesPerPixel} samples per pixel`);
  }
  const samples = rows * columns * samplesPerPixel;
  if (samples > MAX_SAMPLES_PER_FRAME || samples * frames * 4 > MAX_DECODED_BYTES) {
    bad(
      `absurd dimensions: ${columns}×${rows}×${samplesPerPixel} samples × ${frames} frame(s) ` +
        `(${(samples * frames / 1e9).toFixed(2)} gigasamples) exceed what Sightline decodes`,
    );
  }
  return {
    rows,
    columns,
    samplesPerPixel: samplesPerPixel as 1 | 3,
    bitsAllocated: bitsAllocated as PixelModule['bitsAllocated'],
    bitsStored,
    highBit,
    pixelRepresentation: pixelRepresentation as 0 | 1,
    photometric: photometricText as Photometric,
    planarConfiguration: planarConfiguration === 1 ? 1 : 0,
    frames,
  };
}
