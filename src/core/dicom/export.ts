// Exports of an open DICOM image: the DICOM file, a PNG of the displayed frame and a JSON of its
// attributes and pipeline steps, de-identified by default (PS3.15 Basic Profile, deid/deidentify.ts).
// An identified export happens only on explicit opt-in, and every one is reported to the listeners
// registered with onIdentifiedExport(): the case store (issue 6) records them in its audit trail.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../../api/contract';
import { parseDicomFile } from './dataset';
import { deidentify } from './deid/deidentify';
import type { DicomImage, StageResult } from './dicom-image';
import { toEightBit } from './eight-bit';
import { listAttributes } from './tags';

export type ExportFormat = 'dcm' | 'png' | 'json';

export interface ExportRequest {
  outDir: string;
  formats: ExportFormat[];
  frame: number;
  /** true only when the user explicitly asked for an identified export */
  identified: boolean;
  /** file name stem of the outputs (default: "export") */
  baseName?: string;
  /**
   * Salt of the new UIDs (default: a fresh random one). Exports that share a salt form one set: the
   * same source UID gets the same new UID in each, so a study exported file by file stays linked.
   */
  uidSalt?: string;
}

export interface ExportedFile {
  path: string;
  format: ExportFormat;
  bytes: number;
}

export interface ExportResult {
  files: ExportedFile[];
  deidentified: boolean;
  warnings: string[];
  burnedInAnnotation: string | null;
}

export interface IdentifiedExportRecord {
  source: string;
  files: string[];
  at: string;
}

const identifiedExportListeners = new Set<(record: IdentifiedExportRecord) => void | Promise<void>>();

/** Registers an audit hook called (and awaited) for every identified export; returns its removal. */
export function onIdentifiedExport(listener: (record: IdentifiedExportRecord) => void | Promise<void>): () => void {
  identifiedExportListeners.add(listener);
  return () => identifiedExportListeners.delete(listener);
}

export async function exportDicom(image: DicomImage, request: ExportRequest): Promise<ExportResult> {
  const stem = (request.baseName ?? 'export').replace(/[^\w.-]+/g, '_');
  const warnings: string[] = [];
  let sourceBytes = image.file.bytes;
  let burnedInAnnotation: string | null = null;
  if (!request.identified) {
    const deid = deidentify(image.file, image.pixel, { uidSalt: request.uidSalt ?? randomUUID() });
    sourceBytes = deid.bytes;
    burnedInAnnotation = deid.burnedInAnnotation;
    warnings.push(...deid.warnings);
  }
  // Every artefact is made from the (de-identified) bytes, so no path can reach the original header;
  // an identified export's bytes are the original's, whose parse the image already holds.
  const exported = () => (request.identified ? image.file : parseDicomFile(sourceBytes, image.name));
  await mkdir(request.outDir, { recursive: true });
  const files: ExportedFile[] = [];
  const write = async (format: ExportFormat, data: Uint8Array | string) => {
    const path = join(request.outDir, `${stem}.${format}`);
    await writeFile(path, data);
    files.push({ path, format, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length });
  };
  const display = request.formats.some((f) => f === 'png' || f === 'json') ? await image.stage(request.frame, 'display') : null;
  for (const format of request.formats) {
    if (format === 'dcm') await write('dcm', sourceBytes);
    else if (format === 'png') await write('png', await displayPng(display!));
    else {
      const json = { deidentified: !request.identified, frame: request.frame, steps: display!.steps, warnings, attributes: listAttributes(exported()) };
      await write('json', `${JSON.stringify(json, null, 1)}\n`);
    }
  }
  if (request.identified) {
    const record = { source: image.file.name, files: files.map((f) => f.path), at: new Date().toISOString() };
    for (const listener of identifiedExportListeners) await listener(record);
  }
  return { files, deidentified: !request.identified, warnings, burnedInAnnotation };
}

/**
 * The display stage as an 8-bit PNG: grayscale normalised on its output range, colour as RGB;
 * with `maxSide`, shrunk (never enlarged) to fit a maxSide × maxSide box.
 */
export async function displayPng(display: StageResult, maxSide?: number): Promise<Buffer> {
  const [rows, columns, samples = 1] = display.shape;
  const bytes = toEightBit(display);
  if (samples !== 1 && samples !== 3) throw new ApiError('INTERNAL', `cannot write ${samples} samples per pixel as PNG`);
  let pipeline = sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), { raw: { width: columns, height: rows, channels: samples } });
  if (maxSide !== undefined) pipeline = pipeline.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
  return pipeline.png().toBuffer();
}
