// What a model sees of a DICOM image, as its model card declares (`dicom` section): the window the
// image is put through to 8 bits, or the modality range scaled to 16 bits, then the card's usual
// preprocessing. Fixed by the card, so reproducible; the viewer's window/level never changes it.
import { ApiError } from '../../api/contract';
import type { ModelCard, ResolvedDicomInput } from '../../api/schemas';
import type { DecodedImage } from '../image/decode';
import type { DicomImage, PipelineStep } from './dicom-image';
import { toEightBit } from './eight-bit';

export function resolveDicomInput(section: ModelCard['dicom']): ResolvedDicomInput {
  if (!section) return { input: 'file-window', window: null, range: null, frame: 0, defaulted: true };
  const input = section.input ?? (section.window ? 'window' : section.range ? 'modality-range' : 'file-window');
  if (input === 'window' && !section.window) throw new ApiError('BAD_MODEL', 'The model card says dicom.input "window" but gives no dicom.window {center, width}');
  if (input === 'modality-range' && !(section.range && section.range[0] < section.range[1])) {
    throw new ApiError('BAD_MODEL', 'The model card says dicom.input "modality-range" but gives no dicom.range [low, high] with low < high');
  }
  return {
    input,
    window: input === 'window' && section.window ? { center: section.window.center, width: section.window.width, fn: section.window.function ?? 'LINEAR' } : null,
    range: input === 'modality-range' ? section.range! : null,
    frame: section.frame ?? 0,
    defaulted: false,
  };
}

export interface DicomModelImage {
  image: DecodedImage;
  steps: PipelineStep[];
}

/** The image handed to the preprocessing: 8-bit for windows, 16-bit for a modality range, RGB as decoded. */
export async function dicomModelImage(dicom: DicomImage, settings: ResolvedDicomInput): Promise<DicomModelImage> {
  const frame = Math.min(settings.frame, dicom.pixel.frames - 1);
  const { rows: height, columns: width } = dicom.pixel;
  if (!dicom.isGrayscale || settings.input !== 'modality-range') {
    const window = settings.input === 'window' && settings.window ? { window: settings.window } : null;
    const display = await dicom.stage(frame, 'display', dicom.isGrayscale ? window : null);
    const channels = display.shape.length === 3 ? 3 : 1;
    return { image: { width, height, channels, bitDepth: 8, format: 'dicom', data: toEightBit(display) }, steps: [...display.steps, { op: 'to-8-bit', args: { range: display.outputRange } }] };
  }
  const modality = await dicom.stage(frame, 'modality');
  const [lo, hi] = settings.range!;
  const data = new Uint16Array(modality.data.length);
  const scale = 65535 / (hi - lo);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(65535, Math.round((modality.data[i] - lo) * scale)));
  return { image: { width, height, channels: 1, bitDepth: 16, format: 'dicom', data }, steps: [...modality.steps, { op: 'modality-range-to-16-bit', args: { low: lo, high: hi } }] };
}
