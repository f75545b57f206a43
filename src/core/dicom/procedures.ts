// The engine's DICOM procedures (issue 7): open a DICOM input with its preview, describe it for the
// viewer, give any frame at any pipeline stage, list its attributes, export it de-identified. The
// engine keeps one DicomImage per open input id and delegates here.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ApiError } from '../../api/contract';
import type { DicomInfo, DicomFrame } from '../../api/dicom-schemas';
import type { ProcOutput, ProcParsedInput } from '../../api/contract';
import type { InputInfo } from '../../api/schemas';
import { pngDataUrl } from '../image/data-url';
import { toWire } from '../tensor/wire';
import { hasDicomPrefix, numberValue, parseDicomFile, stringValue } from './dataset';
import { DicomImage } from './dicom-image';
import { describeModality, modalityRange } from './modality-lut';
import { displayPng, exportDicom } from './export';
import { listAttributes } from './tags';

const PREVIEW_MAX_SIDE = 2048;

export function isDicomInput(path: string, bytes: Uint8Array): boolean {
  return ['.dcm', '.dicom', '.dic'].includes(extname(path).toLowerCase()) || hasDicomPrefix(bytes);
}

export class DicomProcedures {
  private readonly images = new Map<string, DicomImage>();

  /** Parses and checks the file, decodes frame 0 for the preview (so a bad file fails here, clearly). */
  async open(bytes: Uint8Array, id: string, path: string): Promise<{ info: InputInfo; dicom: DicomImage }> {
    const name = basename(path);
    const dicom = DicomImage.parse(bytes, name);
    const display = await dicom.stage(0, 'display');
    const png = await displayPng(display, PREVIEW_MAX_SIDE);
    this.images.set(id, dicom);
    const { columns, rows, samplesPerPixel, bitsStored } = dicom.pixel;
    const info: InputInfo = {
      id,
      path,
      name,
      kind: 'image',
      format: 'dicom',
      width: columns,
      height: rows,
      channels: dicom.pixel.photometric === 'PALETTE COLOR' ? 3 : samplesPerPixel,
      bitDepth: bitsStored,
      shape: null,
      previewPng: pngDataUrl(png),
    };
    return { info, dicom };
  }

  image(inputId: string): DicomImage {
    const dicom = this.images.get(inputId);
    if (!dicom) throw new ApiError('NOT_FOUND', `No open DICOM input with id ${inputId.slice(0, 12)}…; open the DICOM file first`);
    return dicom;
  }

  async info(inputId: string): Promise<DicomInfo> {
    const dicom = this.image(inputId);
    const ds = dicom.file.dataSet;
    const { pixel } = dicom;
    const presets = dicom.voiPresets(0).map((preset) =>
      preset.kind === 'window' ? preset : { ...preset, lut: { firstMapped: preset.lut.firstMapped, bits: preset.lut.bits, data: Array.from(preset.lut.data) } },
    );
    const burnedIn = stringValue(ds, '00280301')?.toUpperCase() ?? null;
    const frameTime = numberValue(ds, '00181063');
    const transform = dicom.isGrayscale ? dicom.modalityTransform(0) : null;
    return {
      inputId,
      transferSyntax: { uid: dicom.file.transferSyntaxUid, name: dicom.file.transferSyntaxName },
      modality: stringValue(ds, '00080060') ?? null,
      photometric: pixel.photometric,
      rows: pixel.rows,
      columns: pixel.columns,
      frames: pixel.frames,
      samplesPerPixel: pixel.samplesPerPixel,
      bitsAllocated: pixel.bitsAllocated,
      bitsStored: pixel.bitsStored,
      pixelRepresentation: pixel.pixelRepresentation,
      grayscale: dicom.isGrayscale,
      invert: dicom.inverts,
      outputRange: transform ? modalityRange(pixel, transform) : null,
      presets,
      modalityStep: transform ? describeModality(transform) : null,
      frameTimeMs: frameTime && frameTime > 0 ? frameTime : null,
      burnedInAnnotation: burnedIn,
      lossy: stringValue(ds, '00282110') === '01' || Boolean(dicom.file.transferSyntax?.lossy && dicom.file.transferSyntax.codec === 'jpeg'),
      warnings: burnedIn === 'NO' ? [] : [`Burned In Annotation is ${burnedIn ?? 'absent'}: the pixels may show identifying text`],
    };
  }

  async frame(request: ProcParsedInput<'dicomFrame'>): Promise<DicomFrame> {
    const dicom = this.image(request.inputId);
    const choice = request.window ? { window: request.window } : request.preset ? { preset: request.preset } : null;
    const result = await dicom.stage(request.frame, request.stage, choice);
    return { frame: result.frame, stage: result.stage, values: toWire({ shape: result.shape, data: result.data }), steps: result.steps, outputRange: result.outputRange };
  }

  async tags(request: ProcParsedInput<'dicomTags'>): Promise<ProcOutput<'dicomTags'>> {
    let file = request.inputId ? this.image(request.inputId).file : null;
    if (!file) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(request.path!);
      } catch (error) {
        throw new ApiError('NOT_FOUND', `Cannot read ${request.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      file = parseDicomFile(bytes, basename(request.path!));
    }
    return { name: file.name, transferSyntax: { uid: file.transferSyntaxUid, name: file.transferSyntaxName }, attributes: listAttributes(file) };
  }

  async export(request: ProcParsedInput<'dicomExport'>): Promise<ProcOutput<'dicomExport'>> {
    const dicom = this.image(request.inputId);
    return exportDicom(dicom, {
      outDir: request.outDir,
      formats: request.formats,
      frame: request.frame,
      identified: request.identified,
      baseName: request.baseName ?? dicom.name.replace(/\.[^.]*$/, ''),
    });
  }
}
