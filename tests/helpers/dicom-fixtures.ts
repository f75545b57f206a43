// The DICOM fixtures (shared/fixtures/dicom): the manifest, and a reader for their reference .npy
// files of any integer or float dtype (values as float64), independent of the code under test.
import { readFileSync } from 'node:fs';
import { fixture } from './fixtures';

export interface DicomReference {
  path?: string;
  same_as?: string;
  dtype: string;
  shape?: number[];
  voi?: { function: string; center?: number; width?: number; output_range: [number, number] };
}

export interface DicomManifestEntry {
  file: string;
  transfer_syntax_uid?: string;
  transfer_syntax_name?: string;
  photometric_interpretation?: string;
  frames?: number;
  lossless?: boolean | null;
  bad_file?: boolean;
  expected?: string;
  references?: Record<string, DicomReference>;
  tolerance?: Record<string, unknown>;
  identifying?: { tag: string; keyword: string; vr: string; value: unknown }[];
}

export const dicomDir = fixture('dicom');
export const dicomFile = (name: string) => fixture('dicom', 'files', name.endsWith('.dcm') ? name : `${name}.dcm`);

export function dicomManifest(): DicomManifestEntry[] {
  return (JSON.parse(readFileSync(fixture('dicom', 'manifest.json'), 'utf8')) as { files: DicomManifestEntry[] }).files;
}

export function stemOf(entry: DicomManifestEntry): string {
  return entry.file.replace(/^files\//, '').replace(/\.dcm$/, '');
}

export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

const DTYPES: Record<string, [number, (v: DataView, o: number) => number]> = {
  '|u1': [1, (v, o) => v.getUint8(o)],
  '|i1': [1, (v, o) => v.getInt8(o)],
  '<u2': [2, (v, o) => v.getUint16(o, true)],
  '<i2': [2, (v, o) => v.getInt16(o, true)],
  '<u4': [4, (v, o) => v.getUint32(o, true)],
  '<i4': [4, (v, o) => v.getInt32(o, true)],
  '<f4': [4, (v, o) => v.getFloat32(o, true)],
  '<f8': [8, (v, o) => v.getFloat64(o, true)],
};

export function readNpyAny(path: string): NpyArray {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${path}: not .npy`);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const reader = DTYPES[descr];
  if (!reader) throw new Error(`${path}: dtype ${descr} not handled`);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + 10 + headerLength);
  const [size, read] = reader;
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(view, i * size);
  return { shape, data };
}

export function referencePath(entry: DicomManifestEntry, kind: string): string {
  const ref = entry.references?.[kind];
  if (!ref?.path) throw new Error(`${entry.file} has no stored ${kind} reference`);
  return fixture('dicom', ref.path);
}
