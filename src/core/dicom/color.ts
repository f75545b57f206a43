// Colour photometric interpretations (PS3.3 C.7.6.3.1.2): YBR_FULL → RGB with the ITU-R BT.601
// full-range matrix in float32 as pydicom's convert_color_space, and PALETTE COLOR lookups through the
// red, green and blue tables (C.7.6.3.1.5–6); out-of-range indices take the end entries.
import { ApiError } from '../../api/contract';
import { sequenceItems, type DataSet } from './dataset';
import { applyLookupTable } from './lookup';
import { readLookupTable, type LookupTable } from './lut';

const f = Math.fround;
const CB_TO_G = f((-0.114 * 1.772) / 0.587);
const CR_TO_G = f((-0.299 * 1.402) / 0.587);
const CR_TO_R = f(1.402);
const CB_TO_B = f(1.772);

/** Interleaved Y Cb Cr (8-bit) → interleaved R G B: floor(v + 0.5) clipped to 0 … 255. */
export function ybrFullToRgb(ybr: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(ybr.length);
  for (let i = 0; i + 2 < ybr.length; i += 3) {
    const y = f(ybr[i]);
    const cb = f(ybr[i + 1] - 128);
    const cr = f(ybr[i + 2] - 128);
    out[i] = clamp255(f(y + f(cr * CR_TO_R)));
    out[i + 1] = clamp255(f(f(y + f(cb * CB_TO_G)) + f(cr * CR_TO_G)));
    out[i + 2] = clamp255(f(y + f(cb * CB_TO_B)));
  }
  return out;
}

function clamp255(v: number): number {
  const r = Math.floor(f(v + 0.5));
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

export interface Palette {
  red: LookupTable;
  green: LookupTable;
  blue: LookupTable;
  /** 8 or 16, from the entries' storage (16-bit entries span 0 … 65535) */
  entryBits: 8 | 16;
}

export function readPalette(ds: DataSet, pixelRepresentation: 0 | 1, name: string): Palette {
  if (ds.elements.x00281221 && !ds.elements.x00281201) {
    throw new ApiError('BAD_INPUT', `${name} uses a segmented palette (0028,1221), which Sightline does not decode`);
  }
  // Enhanced palettes may sit in a Palette Color LUT Sequence; classic ones are top level.
  const source = ds.elements.x00281201 ? ds : (sequenceItems(ds, '00289422')[0] ?? ds);
  const read = (descriptor: string, data: string, colour: string) => readLookupTable(source, descriptor, data, pixelRepresentation === 1, `${name} ${colour} palette`);
  const red = read('00281101', '00281201', 'red');
  const green = read('00281102', '00281202', 'green');
  const blue = read('00281103', '00281203', 'blue');
  return { red, green, blue, entryBits: red.data instanceof Uint16Array ? 16 : 8 };
}

/** Indices → interleaved R G B entries (uint16 for 16-bit tables, uint8 for 8-bit ones). */
export function applyPalette(indices: ArrayLike<number>, palette: Palette): Uint8Array | Uint16Array {
  const count = indices.length;
  const out = palette.entryBits === 16 ? new Uint16Array(count * 3) : new Uint8Array(count * 3);
  [palette.red, palette.green, palette.blue].forEach((table, channel) => {
    const mapped = applyLookupTable(indices, table);
    for (let i = 0; i < count; i++) out[i * 3 + channel] = mapped[i];
  });
  return out;
}
