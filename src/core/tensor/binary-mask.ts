// The probe's binary mask on the wire: run lengths over row-major pixels, alternating unmasked,
// masked, … and starting with unmasked (COCO's uncompressed RLE order). Pure, so the renderer's
// brush and the engine share one codec.
import type { BinaryMask } from '../../api/schemas';

/** Run lengths (unmasked first) of a 0/1 mask given as one value per pixel. */
export function encodeMask(width: number, height: number, masked: ArrayLike<number>): BinaryMask {
  const runs: number[] = [];
  let current = 0;
  let length = 0;
  for (let p = 0; p < width * height; p++) {
    const v = masked[p] ? 1 : 0;
    if (v !== current) {
      runs.push(length);
      current = v;
      length = 0;
    }
    length++;
  }
  runs.push(length);
  return { width, height, runs };
}

/** The 0/1 pixels of a run-length mask; throws when the runs do not cover width × height exactly. */
export function decodeMask(mask: BinaryMask): Uint8Array {
  const total = mask.runs.reduce((a, b) => a + b, 0);
  if (total !== mask.width * mask.height) throw new RangeError(`The mask's runs cover ${total} pixels, not ${mask.width}×${mask.height}`);
  const out = new Uint8Array(total);
  let p = 0;
  mask.runs.forEach((length, i) => {
    if (i % 2 === 1) out.fill(1, p, p + length);
    p += length;
  });
  return out;
}

/** How many pixels a run-length mask hides. */
export function maskedCount(mask: BinaryMask): number {
  let count = 0;
  for (let i = 1; i < mask.runs.length; i += 2) count += mask.runs[i];
  return count;
}
