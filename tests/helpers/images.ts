// Small synthetic images written with sharp, with known pixel values.
import { writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Writes an 8-bit PNG from interleaved samples (channels 1 = gray, 3 = RGB). */
export async function writePng(path: string, width: number, height: number, channels: 1 | 3, samples: ArrayLike<number>): Promise<string> {
  const raw = Buffer.from(Uint8Array.from(samples));
  if (raw.length !== width * height * channels) throw new Error('sample count does not match the size');
  let image = sharp(raw, { raw: { width, height, channels } });
  if (channels === 1) image = image.toColourspace('b-w');
  await image.png().toFile(path);
  return path;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/**
 * Writes a 16-bit grayscale PNG by hand (IHDR bit depth 16, colour type 0; big-endian samples), so
 * the stored values are exactly `samples`.
 */
export async function writeGray16Png(path: string, width: number, height: number, samples: ArrayLike<number>): Promise<string> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([16, 0, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (1 + 2 * width));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + 2 * width);
    rows[row] = 0; // filter: none
    for (let x = 0; x < width; x++) rows.writeUInt16BE(samples[y * width + x], row + 1 + 2 * x);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ]);
  await writeFile(path, png);
  return path;
}

/** A W×H RGB test pattern whose every sample is distinct per channel and position. */
export function rgbPattern(width: number, height: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out.push(mod256(10 + 40 * x + 5 * y), mod256(200 - 30 * x - 7 * y), mod256(60 + 11 * x + 50 * y));
  }
  return out;
}

function mod256(v: number): number {
  return ((v % 256) + 256) % 256;
}
