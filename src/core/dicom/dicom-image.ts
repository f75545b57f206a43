// One open DICOM image and its display pipeline in PS3.4 N.2 order, each step recorded: decode →
// stored values (mask, sign) → Modality LUT → VOI → polarity (MONOCHROME1 / Presentation LUT Shape),
// or for colour: YBR_FULL(_422) → RGB, or PALETTE COLOR lookup. Stages return float32 arrays laid
// out as pydicom's pixel_array: [rows, cols] or [rows, cols, samples].
import { ApiError } from '../../api/contract';
import { decodeFrame } from './codecs';
import { parseDicomFile, stringValue, type DicomFile } from './dataset';
import { applyPalette, readPalette, ybrFullToRgb, type Palette } from './color';
import { applyModality, describeModality, modalityRange, readModalityTransform, type ModalityTransform } from './modality-lut';
import { readPixelModule, type PixelModule } from './pixel-module';
import { invertInPlace, shouldInvert } from './presentation';
import { storedValues, type StoredValues } from './stored-values';
import { applyVoiLut, applyWindow, minMaxWindow, voiLutRange, type WindowSpec } from './voi';
import { readVoiPresets, type VoiPreset } from './voi-presets';

export type Stage = 'stored' | 'modality' | 'display';

export interface PipelineStep {
  op: string;
  args: Record<string, unknown>;
}

export interface StageResult {
  stage: Stage;
  frame: number;
  shape: number[];
  data: Float32Array;
  steps: PipelineStep[];
  /** display of grayscale: the VOI output range [ymin, ymax] the values lie on */
  outputRange: [number, number] | null;
}

/** How the VOI is chosen for the display stage: a file preset by id, an explicit window, or the default. */
export type VoiChoice = { preset: string } | { window: WindowSpec } | null;

interface DecodedStored {
  values: StoredValues;
  convertedToRgb: boolean;
  steps: PipelineStep[];
}

const FRAME_CACHE_SIZE = 4;

export class DicomImage {
  readonly pixel: PixelModule;
  private readonly cache = new Map<number, Promise<DecodedStored>>();
  private palette: Palette | null = null;

  private constructor(readonly file: DicomFile) {
    this.pixel = readPixelModule(file);
  }

  static parse(bytes: Uint8Array, name: string): DicomImage {
    return new DicomImage(parseDicomFile(bytes, name));
  }

  get name(): string {
    return this.file.name;
  }

  get isGrayscale(): boolean {
    return this.pixel.photometric === 'MONOCHROME1' || this.pixel.photometric === 'MONOCHROME2';
  }

  get presentationLutShape(): string | null {
    return stringValue(this.file.dataSet, '20500020') ?? null;
  }

  /** Whether the display stage inverts (once, after VOI). */
  get inverts(): boolean {
    return this.isGrayscale && shouldInvert(this.pixel.photometric, this.presentationLutShape);
  }

  modalityTransform(frame: number): ModalityTransform {
    return readModalityTransform(this.file.dataSet, this.pixel, frame, this.name);
  }

  voiPresets(frame: number): VoiPreset[] {
    if (!this.isGrayscale) return [];
    return readVoiPresets(this.file.dataSet, frame, this.pixel.pixelRepresentation === 1, this.name);
  }

  async stage(frame: number, stage: Stage, voi: VoiChoice = null): Promise<StageResult> {
    const stored = await this.stored(frame);
    const { rows, columns } = this.pixel;
    const steps = [...stored.steps];
    const colour = !this.isGrayscale;
    const samples = colour && this.pixel.photometric !== 'PALETTE COLOR' ? 3 : 1;
    const shape = samples === 3 ? [rows, columns, 3] : [rows, columns];
    if (stage === 'stored') return { stage, frame, shape, data: Float32Array.from(stored.values), steps, outputRange: null };
    if (colour) return this.colourStage(frame, stage, stored, steps);
    const transform = this.modalityTransform(frame);
    const modality = applyModality(stored.values, transform);
    steps.push(describeModality(transform));
    if (stage === 'modality') return { stage, frame, shape, data: Float32Array.from(modality), steps, outputRange: null };
    const { values, range, step } = this.applyVoi(frame, modality, voi, transform);
    steps.push(step);
    if (this.inverts) {
      invertInPlace(values, range[0], range[1]);
      steps.push({ op: 'invert', args: { reason: this.presentationLutShape ? `Presentation LUT Shape ${this.presentationLutShape}` : 'MONOCHROME1', ymin: range[0], ymax: range[1] } });
    }
    return { stage, frame, shape, data: Float32Array.from(values), steps, outputRange: range };
  }

  /**
   * VOI on modality values: the chosen or default preset, else the min/max window of the frame; a
   * window's output range is the range the frame's modality `transform` can give.
   */
  private applyVoi(frame: number, modality: Float64Array, choice: VoiChoice, transform: ModalityTransform): { values: Float64Array; range: [number, number]; step: PipelineStep } {
    const presets = this.voiPresets(frame);
    let preset: VoiPreset | undefined;
    let window: WindowSpec | undefined;
    if (choice && 'window' in choice) window = choice.window;
    else if (choice && 'preset' in choice) {
      preset = presets.find((p) => p.id === choice.preset);
      if (!preset) throw new ApiError('BAD_PARAMS', `${this.name} has no VOI preset "${choice.preset}" (it has: ${presets.map((p) => p.id).join(', ') || 'none'})`);
    } else preset = presets[0];
    if (preset?.kind === 'lut') {
      const range = voiLutRange(preset.lut);
      return { values: applyVoiLut(modality, preset.lut), range, step: { op: 'voi-lut', args: { preset: preset.id, label: preset.label, firstMapped: preset.lut.firstMapped, entries: preset.lut.data.length, bits: preset.lut.bits, outputRange: range } } };
    }
    const range = modalityRange(this.pixel, transform);
    const source = window ? 'explicit' : preset ? preset.id : 'min-max';
    window ??= preset?.kind === 'window' ? preset.window : minMaxWindow(modality);
    return { values: applyWindow(modality, window, range[0], range[1]), range, step: { op: 'voi-window', args: { source, center: window.center, width: window.width, function: window.fn, outputRange: range } } };
  }

  private colourStage(frame: number, stage: Stage, stored: DecodedStored, steps: PipelineStep[]): StageResult {
    const { rows, columns, photometric } = this.pixel;
    if (photometric === 'PALETTE COLOR') {
      if (stage === 'modality') return { stage, frame, shape: [rows, columns], data: Float32Array.from(stored.values), steps, outputRange: null };
      this.palette ??= readPalette(this.file.dataSet, this.pixel.pixelRepresentation, this.name);
      steps.push({ op: 'palette-color', args: { entries: this.palette.red.entries, firstMapped: this.palette.red.firstMapped, entryBits: this.palette.entryBits } });
      return { stage, frame, shape: [rows, columns, 3], data: Float32Array.from(applyPalette(stored.values, this.palette)), steps, outputRange: null };
    }
    const shape = [rows, columns, 3];
    const needsYbr = (photometric === 'YBR_FULL' || photometric === 'YBR_FULL_422') && !stored.convertedToRgb;
    if (stage === 'display' && needsYbr) {
      steps.push({ op: 'ybr-full-to-rgb', args: { from: photometric } });
      return { stage, frame, shape, data: Float32Array.from(ybrFullToRgb(stored.values)), steps, outputRange: null };
    }
    return { stage, frame, shape, data: Float32Array.from(stored.values), steps, outputRange: null };
  }

  private stored(frame: number): Promise<DecodedStored> {
    let entry = this.cache.get(frame);
    if (!entry) {
      entry = this.decodeStored(frame);
      this.cache.set(frame, entry);
      entry.catch(() => this.cache.delete(frame));
      if (this.cache.size > FRAME_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
    }
    return entry;
  }

  private async decodeStored(frame: number): Promise<DecodedStored> {
    const decoded = await decodeFrame(this.file, this.pixel, frame);
    const stored = storedValues(decoded, this.pixel);
    const steps: PipelineStep[] = [
      { op: 'decode', args: { transferSyntax: this.file.transferSyntaxUid, name: this.file.transferSyntaxName, decoder: decoded.decoder, frame } },
      stored.step,
    ];
    if (decoded.convertedToRgb) steps.push({ op: 'decoder-colour-transform', args: { from: this.pixel.photometric, to: 'RGB' } });
    return { values: stored.values, convertedToRgb: decoded.convertedToRgb, steps };
  }
}
