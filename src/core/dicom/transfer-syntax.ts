// The transfer syntaxes Sightline decodes (PS3.5 §10 and Annex A): which codec adapter decodes the
// frames and whether the syntax allows lossy compression. Anything else is refused with its name.

export type CodecId = 'native' | 'rle' | 'jpeg' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'htj2k';

export interface TransferSyntax {
  uid: string;
  name: string;
  encapsulated: boolean;
  codec: CodecId;
  /** the syntax allows lossy compression (whether a file used it is in Lossy Image Compression) */
  lossy: boolean;
}

type Row = [uid: string, name: string, codec: CodecId, lossy: boolean];

const ROWS: Row[] = [
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native', false],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native', false],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native', false],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native', false],
  ['1.2.840.10008.1.2.5', 'RLE Lossless', 'rle', false],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg', true],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg', true],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless', false],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])', 'jpeg-lossless', false],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls', false],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)', 'jpeg-ls', true],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)', 'jpeg2000', false],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg2000', true],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)', 'htj2k', false],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', 'htj2k', false],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', 'htj2k', true],
];

const SUPPORTED = new Map<string, TransferSyntax>(
  ROWS.map(([uid, name, codec, lossy]) => [uid, { uid, name, codec, lossy, encapsulated: codec !== 'native' }]),
);

/** Names of syntaxes a file may carry that Sightline does not decode, for the error message. */
const KNOWN_UNSUPPORTED: Record<string, string> = {
  '1.2.840.10008.1.2.1.98': 'Encapsulated Uncompressed Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile / Main Level',
  '1.2.840.10008.1.2.4.101': 'MPEG2 Main Profile / High Level',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 High Profile / Level 4.1',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265 Main Profile / Level 5.1',
  '1.2.840.10008.1.2.4.108': 'HEVC/H.265 Main 10 Profile / Level 5.1',
  '1.2.840.10008.1.2.4.110': 'JPEG XL Lossless',
  '1.2.840.10008.1.2.4.111': 'JPEG XL JPEG Recompression',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 Multi-component (Lossless Only)',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2 Multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP Referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP Referenced Deflate',
};

export function findTransferSyntax(uid: string): TransferSyntax | null {
  return SUPPORTED.get(uid) ?? null;
}

export function transferSyntaxName(uid: string): string {
  return SUPPORTED.get(uid)?.name ?? KNOWN_UNSUPPORTED[uid] ?? 'unknown';
}

export function supportedTransferSyntaxes(): TransferSyntax[] {
  return [...SUPPORTED.values()];
}

/** Element values of a data set that is not encapsulated are read with these (meta is always LE). */
export const EXPLICIT_VR_LITTLE_ENDIAN = SUPPORTED.get('1.2.840.10008.1.2.1')!;
