// Issue 8, Must show 2: page 1 of a fixed report (every date fixed, see helpers/report-fixture.ts)
// against a committed golden PNG (tests/golden/report-page1.png: pdftoppm, 36 dpi, grey). The
// comparison tolerates font hinting and anti-aliasing: both rasters are blurred (σ = 1 px) and
// compared by the mean absolute difference over the page and over the worst 16 × 16-pixel block.
// The tolerance is shown to be meaningful: the same page rasterised differently (at 72 dpi, scaled
// down) passes; a moved layout, another map, or the annotations removed fail.
// Regenerate the golden after an intended change: UPDATE_GOLDEN=1 npx vitest run tests/core/report/golden.test.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportPdf } from '../../../src/core/report/compose';
import type { ReportData } from '../../../src/core/report/report-data';
import { makeTempDir, repoRoot, reportFigure } from '../../helpers/fixtures';
import { renderPages, type Raster } from '../../helpers/pdf';
import { fixedExplanation, fixedReportData } from '../../helpers/report-fixture';

const GOLDEN = join(repoRoot, 'tests', 'golden', 'report-page1.png');
const DPI = 36;
const BLUR_SIGMA = 1;
const BLOCK = 16;
/** 0–255 grey levels; measured: a 72 dpi rendering scaled down differs by mean 1.9, worst block 14.5. */
const TOLERANCE = { mean: 3.5, worstBlock: 20 };

const temp = makeTempDir('sightline-report-golden-');
let base: ReportData;
let firstBytes: Buffer;

beforeAll(async () => {
  base = await fixedReportData(2);
  firstBytes = (await renderReportPdf(base)).bytes;
});
afterAll(() => temp.cleanup());

async function pageOne(data: ReportData, dpi = DPI): Promise<Raster> {
  const path = join(temp.dir, `report-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(path, (await renderReportPdf(data)).bytes);
  return (await renderPages(path, dpi, { first: 1, last: 1 }))[0];
}

async function toPng(raster: Raster): Promise<Buffer> {
  return sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels as 1 } }).png().toBuffer();
}

/** One grey channel, blurred: what is compared. */
async function blurred(png: Buffer, size?: { width: number; height: number }): Promise<{ data: Buffer; width: number; height: number }> {
  let image = sharp(png);
  if (size) image = sharp(await image.resize(size.width, size.height, { kernel: 'linear' }).png().toBuffer());
  // sharp outputs sRGB unless told otherwise: the first channel of the blurred result is the grey.
  const { data, info } = await image.blur(BLUR_SIGMA).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

interface Difference {
  mean: number;
  worstBlock: number;
}

async function difference(goldenPng: Buffer, candidatePng: Buffer): Promise<Difference> {
  const golden = await blurred(goldenPng);
  const candidate = await blurred(candidatePng, golden);
  const blocksWide = Math.ceil(golden.width / BLOCK);
  const blockSum = new Float64Array(blocksWide * Math.ceil(golden.height / BLOCK));
  const blockCount = new Float64Array(blockSum.length);
  let sum = 0;
  for (let y = 0; y < golden.height; y++) {
    for (let x = 0; x < golden.width; x++) {
      const d = Math.abs(golden.data[y * golden.width + x] - candidate.data[y * golden.width + x]);
      const block = Math.floor(y / BLOCK) * blocksWide + Math.floor(x / BLOCK);
      sum += d;
      blockSum[block] += d;
      blockCount[block] += 1;
    }
  }
  return { mean: sum / (golden.width * golden.height), worstBlock: Math.max(...blockSum.map((s, i) => s / blockCount[i])) };
}

const within = (d: Difference) => d.mean <= TOLERANCE.mean && d.worstBlock <= TOLERANCE.worstBlock;

describe('golden image of page 1', () => {
  it('is deterministic: the same data gives the same bytes', async () => {
    const again = (await renderReportPdf(await fixedReportData(2))).bytes;
    expect(again.equals(firstBytes)).toBe(true);
  });

  it('matches the committed golden PNG within the hinting tolerance', async () => {
    const current = await toPng(await pageOne(base));
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, current);
    }
    if (!existsSync(GOLDEN)) throw new Error(`${GOLDEN} is missing: run with UPDATE_GOLDEN=1 once and commit it`);
    const golden = readFileSync(GOLDEN);
    const meta = await sharp(golden).metadata();
    // A4 at 36 dpi.
    expect([meta.width, meta.height]).toEqual([298, 421]);
    const d = await difference(golden, current);
    reportFigure('golden mean abs diff (0-255)', d.mean.toFixed(3));
    reportFigure('golden worst 16px block diff (0-255)', d.worstBlock.toFixed(3));
    expect(within(d), JSON.stringify(d)).toBe(true);
  });

  it('tolerates another rasterisation of the same page (72 dpi scaled down to 36)', async () => {
    const golden = readFileSync(GOLDEN);
    const d = await difference(golden, await toPng(await pageOne(base, 2 * DPI)));
    reportFigure('rasterised at 72 dpi, scaled: mean', d.mean.toFixed(3));
    reportFigure('rasterised at 72 dpi, scaled: worst block', d.worstBlock.toFixed(3));
    expect(d.mean).toBeGreaterThan(0.5);
    expect(within(d), JSON.stringify(d)).toBe(true);
  });

  it('fails for a moved layout, another map, or missing annotations', async () => {
    const golden = readFileSync(GOLDEN);
    const dicom = { modality: 'CT', photometric: 'MONOCHROME2', transferSyntax: 'Explicit VR Little Endian', frames: 1, bitsStored: 12, lossy: false, burnedInAnnotation: 'NO' };
    const variants: [string, ReportData][] = [
      ['layout moved down by one row', { ...base, image: { ...base.image!, dicom } }],
      ['another map shown', { ...base, explanations: [fixedExplanation(3), base.explanations[1]] }],
      ['annotations removed', { ...base, annotations: [] }],
    ];
    for (const [name, data] of variants) {
      const d = await difference(golden, await toPng(await pageOne(data)));
      reportFigure(`${name}: mean / worst block`, `${d.mean.toFixed(2)} / ${d.worstBlock.toFixed(2)}`);
      expect(within(d), name).toBe(false);
    }
  });
});
