// A small PNG for case-store tests, described as the store receives an opened image (writing it
// needs sharp, so the records that need no image live in case-records.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseImageSource } from '../../src/core/store/case-store';
import { rgbPattern, writePng } from './images';

export async function caseImage(dir: string, name = 'scan.png', width = 8, height = 6): Promise<CaseImageSource> {
  const path = await writePng(join(dir, name), width, height, 3, rgbPattern(width, height));
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return { path, sha256, name, kind: 'image', format: 'png', width, height, channels: 3, bitDepth: 8 };
}
