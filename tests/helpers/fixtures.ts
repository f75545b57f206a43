// Where the shared reference fixtures live, and small readers for them that do not depend on the
// code under test. SIGHTLINE_FIXTURES wins; otherwise shared/fixtures beside the repository (CI
// clones the repository with shared/ next to it). Missing fixtures fail loudly: tests never skip.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = resolve(process.env.SIGHTLINE_FIXTURES ?? resolve(repoRoot, '../shared/fixtures'));

if (!existsSync(join(fixturesDir, 'manifest.json'))) {
  throw new Error(
    `Sightline fixtures not found at ${fixturesDir} (no manifest.json). Set SIGHTLINE_FIXTURES or place shared/fixtures beside the repository.`,
  );
}

export const IMAGE_NAMES = ['chelsea', 'coffee', 'astronaut', 'camera'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

export function fixture(...parts: string[]): string {
  return join(fixturesDir, ...parts);
}

export const imagePng = (name: string) => fixture('images', `${name}.png`);
export const imageNpy = (name: string) => fixture('images', `${name}.npy`);
export const modelPath = (model: string) => fixture(model, 'model.onnx');

/** Every fixture directory that holds a model.onnx, sorted. */
export function modelNames(): string[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(fixturesDir, e.name, 'model.onnx')))
    .map((e) => e.name)
    .sort();
}

export interface NpyF32 {
  shape: number[];
  data: Float32Array;
}

/**
 * A minimal, independent reader for the fixtures' .npy files (numpy.save of little-endian float32,
 * C order, format 1.0/2.0/3.0). Deliberately separate from src/core/tensor/npy.ts.
 */
export function readNpyF32(path: string): NpyF32 {
  const { bytes, dtype, shape, dataStart } = readNpyHeader(path);
  if (dtype !== '<f4') throw new Error(`${path}: expected '<f4', got ${dtype}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== dataStart + 4 * count) throw new Error(`${path}: ${bytes.length - dataStart} data bytes for shape (${shape})`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = bytes.readFloatLE(dataStart + 4 * i);
  return { shape, data };
}

/** The header of a .npy file (format 1.0/2.0/3.0, C order): dtype, shape and where the data starts. */
function readNpyHeader(path: string): { bytes: Buffer; dtype: string; shape: number[]; dataStart: number } {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error(`${path}: not .npy`);
  const major = bytes[6];
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLen).toString('latin1');
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order`);
  const dtype = /'descr':\s*'([^']+)'/.exec(header)![1];
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { bytes, dtype, shape, dataStart: start + headerLen };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= worst)) worst = d; // NaN propagates as a failure
  }
  return worst;
}

/** Number of elements whose float32 bit patterns differ. */
export function bitMismatches(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) n++;
  return n;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A fresh temporary folder and its cleanup. */
export function makeTempDir(prefix = 'sightline-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Prints a measured figure in one greppable form: `[figure] name: value`. */
export function reportFigure(name: string, value: string | number): void {
  console.log(`[figure] ${name}: ${typeof value === 'number' && !Number.isInteger(value) ? value.toExponential(3) : value}`);
}

/**
 * Reads a fixture .npy of any plain numeric dtype (uint8 masks, int32 segment maps, float32/64) into
 * float64 values; independent of src/core/tensor/npy.ts like readNpyF32.
 */
export function readNpyNumbers(path: string): { shape: number[]; dtype: string; data: Float64Array } {
  const { bytes, dtype, shape, dataStart } = readNpyHeader(path);
  const count = shape.reduce((a, b) => a * b, 1);
  const readers: Record<string, [number, (o: number) => number]> = {
    '|u1': [1, (o) => bytes.readUInt8(o)],
    '<i4': [4, (o) => bytes.readInt32LE(o)],
    '<i8': [8, (o) => Number(bytes.readBigInt64LE(o))],
    '<f4': [4, (o) => bytes.readFloatLE(o)],
    '<f8': [8, (o) => bytes.readDoubleLE(o)],
  };
  const reader = readers[dtype];
  if (!reader) throw new Error(`${path}: dtype ${dtype} not handled`);
  const [size, read] = reader;
  if (bytes.length !== dataStart + size * count) throw new Error(`${path}: ${bytes.length - dataStart} data bytes for shape (${shape}) ${dtype}`);
  return { shape, dtype, data: Float64Array.from({ length: count }, (_, i) => read(dataStart + i * size)) };
}
