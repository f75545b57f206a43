// The Modality LUT (PS3.3 C.11.1): stored values → modality values (e.g. Hounsfield units), by Rescale
// Slope/Intercept in float64 (slopes may be fractional or negative: OHIF #127, cornerstone3D #1925)
// or by the Modality LUT Sequence, which takes precedence. Enhanced multi-frame files keep the rescale
// in the Pixel Value Transformation functional group, per frame before shared.
import { numberValue, sequenceItems, stringValue, type DataSet } from './dataset';
import { applyLookupTable } from './lookup';
import { readLookupTable, type LookupTable } from './lut';
import type { PixelModule } from './pixel-module';
import type { StoredValues } from './stored-values';

export type ModalityTransform =
  | { kind: 'identity' }
  | { kind: 'rescale'; slope: number; intercept: number; type: string | null }
  | { kind: 'lut'; lut: LookupTable; type: string | null; explanation: string | null };

const SHARED_GROUPS = '52009229';
const PER_FRAME_GROUPS = '52009230';
const PIXEL_VALUE_TRANSFORMATION = '00289145';

/** The item of a functional group macro that applies to `frame` (per-frame beats shared), if any. */
export function functionalGroup(ds: DataSet, macroTag: string, frame: number): DataSet | null {
  const perFrame = sequenceItems(ds, PER_FRAME_GROUPS)[frame];
  const own = perFrame ? sequenceItems(perFrame, macroTag)[0] : undefined;
  if (own) return own;
  const shared = sequenceItems(ds, SHARED_GROUPS)[0];
  return (shared && sequenceItems(shared, macroTag)[0]) ?? null;
}

export function readModalityTransform(ds: DataSet, pixel: PixelModule, frame: number, name: string): ModalityTransform {
  const lutItem = sequenceItems(ds, '00283000')[0];
  if (lutItem) {
    return {
      kind: 'lut',
      lut: readLookupTable(lutItem, '00283002', '00283006', pixel.pixelRepresentation === 1, `${name} Modality LUT`),
      type: stringValue(lutItem, '00283004') ?? null,
      explanation: stringValue(lutItem, '00283003') ?? null,
    };
  }
  const source = numberValue(ds, '00281053') !== undefined ? ds : (functionalGroup(ds, PIXEL_VALUE_TRANSFORMATION, frame) ?? ds);
  const slope = numberValue(source, '00281053');
  const intercept = numberValue(source, '00281052');
  if (slope === undefined && intercept === undefined) return { kind: 'identity' };
  return { kind: 'rescale', slope: slope ?? 1, intercept: intercept ?? 0, type: stringValue(source, '00281054') ?? null };
}

export function applyModality(values: StoredValues, transform: ModalityTransform): Float64Array {
  if (transform.kind === 'lut') return applyLookupTable(values, transform.lut);
  const out = new Float64Array(values.length);
  if (transform.kind === 'identity') {
    out.set(values);
    return out;
  }
  const { slope, intercept } = transform;
  for (let i = 0; i < values.length; i++) out[i] = values[i] * slope + intercept;
  return out;
}

/**
 * The range the modality values can take: the LUT's [0, 2^bits − 1], or the stored range through the
 * rescale, ordered (a negative slope reverses the ends; the standard's ymin/ymax are min and max).
 */
export function modalityRange(pixel: PixelModule, transform: ModalityTransform): [number, number] {
  if (transform.kind === 'lut') return [0, 2 ** transform.lut.bits - 1];
  const lo = pixel.pixelRepresentation === 1 ? -(2 ** (pixel.bitsStored - 1)) : 0;
  const hi = pixel.pixelRepresentation === 1 ? 2 ** (pixel.bitsStored - 1) - 1 : 2 ** pixel.bitsStored - 1;
  if (transform.kind === 'identity') return [lo, hi];
  const a = lo * transform.slope + transform.intercept;
  const b = hi * transform.slope + transform.intercept;
  return [Math.min(a, b), Math.max(a, b)];
}

export function describeModality(transform: ModalityTransform): { op: string; args: Record<string, unknown> } {
  if (transform.kind === 'identity') return { op: 'modality-lut', args: { kind: 'identity' } };
  if (transform.kind === 'rescale') return { op: 'modality-lut', args: { kind: 'rescale', slope: transform.slope, intercept: transform.intercept, type: transform.type } };
  const { entries, firstMapped, bits } = transform.lut;
  return { op: 'modality-lut', args: { kind: 'lut-sequence', entries, firstMapped, bits, type: transform.type, explanation: transform.explanation } };
}
