// Draws one DICOM frame for the viewer, live as the window changes: grayscale modality values through
// the chosen window or VOI LUT (the engine's own PS3.3 C.11.2 arithmetic, core/dicom/voi.ts), then the
// polarity, onto 0–255; colour frames as decoded (16-bit samples shown by their high byte).
import type { DicomVoiPreset } from '../../api/dicom-schemas';
import { applyVoiLut, applyWindow, voiLutRange, type WindowSpec } from '../../core/dicom/voi';
import type { DecodedTensor } from './wire';

export type VoiSelection = { kind: 'window'; window: WindowSpec; label: string } | { kind: 'lut'; preset: Extract<DicomVoiPreset, { kind: 'lut' }> };

/** CT presets (HU): Radiopaedia / OHIF, product-conventions §2.8. */
export const CT_PRESETS: { id: string; label: string; window: WindowSpec }[] = [
  { id: 'ct-brain', label: 'CT brain (W 80, L 40)', window: { center: 40, width: 80, fn: 'LINEAR' } },
  { id: 'ct-lung', label: 'CT lung (W 1500, L −600)', window: { center: -600, width: 1500, fn: 'LINEAR' } },
  { id: 'ct-bone', label: 'CT bone (W 2500, L 480)', window: { center: 480, width: 2500, fn: 'LINEAR' } },
  { id: 'ct-abdomen', label: 'CT abdomen (W 400, L 50)', window: { center: 50, width: 400, fn: 'LINEAR' } },
  { id: 'ct-soft-tissue', label: 'CT soft tissue (W 400, L 40)', window: { center: 40, width: 400, fn: 'LINEAR' } },
];

/** RGBA bytes of the frame as shown. `outputRange` is the window's [ymin, ymax] (grayscale only). */
export function renderFrame(values: DecodedTensor, voi: VoiSelection | null, outputRange: [number, number] | null, invert: boolean): ImageData {
  const [rows, columns, samples = 1] = values.shape;
  const image = new ImageData(columns, rows);
  const out = image.data;
  if (samples === 3) {
    let max = 0;
    for (const v of values.data) if (v > max) max = v;
    const scale = max > 255 ? 1 / 257 : 1;
    for (let p = 0; p < rows * columns; p++) {
      for (let c = 0; c < 3; c++) out[p * 4 + c] = values.data[p * 3 + c] * scale;
      out[p * 4 + 3] = 255;
    }
    return image;
  }
  let shown: Float64Array;
  let [ymin, ymax] = outputRange ?? [0, 255];
  if (voi?.kind === 'lut') {
    shown = applyVoiLut(values.data, voi.preset.lut);
    [ymin, ymax] = voiLutRange(voi.preset.lut);
  } else {
    shown = voi ? applyWindow(values.data, voi.window, ymin, ymax) : Float64Array.from(values.data);
  }
  const span = ymax - ymin || 1;
  for (let p = 0; p < shown.length; p++) {
    let level = ((shown[p] - ymin) / span) * 255;
    if (invert) level = 255 - level;
    const byte = level < 0 ? 0 : level > 255 ? 255 : Math.round(level);
    out[p * 4] = byte;
    out[p * 4 + 1] = byte;
    out[p * 4 + 2] = byte;
    out[p * 4 + 3] = 255;
  }
  return image;
}

/** W/L drag as Cornerstone's WindowLevelTool: Δx·4 widens, Δy·4 raises the centre (drag down = darker). */
export function dragWindow(window: WindowSpec, dx: number, dy: number, sensitivity = 4): WindowSpec {
  return { ...window, width: Math.max(1, window.width + dx * sensitivity), center: window.center + dy * sensitivity };
}
