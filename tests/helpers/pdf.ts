// Reads PDFs the way a person would see them, with poppler-utils (installed by .ci/run): pdfinfo for
// the page count and size, pdffonts for the fonts, pdftotext for the text (whole document, per page, and word boxes with
// -bbox), pdftoppm to render pages as grey or RGB rasters (decoded by sharp).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

function run(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export interface PdfInfo {
  pages: number;
  /** points */
  pageWidth: number;
  pageHeight: number;
  title: string;
  pdfVersion: string;
}

export function pdfInfo(path: string): PdfInfo {
  const text = run('pdfinfo', [path]);
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1].trim() ?? '';
  const size = /([\d.]+) x ([\d.]+) pts/.exec(field('Page size'));
  return { pages: Number(field('Pages')), pageWidth: Number(size?.[1]), pageHeight: Number(size?.[2]), title: field('Title'), pdfVersion: field('PDF version') };
}

/** pdffonts' table: each font's name and whether it is embedded and subset. */
export function pdfFonts(path: string): { name: string; embedded: boolean; subset: boolean }[] {
  return run('pdffonts', [path])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // The type may be two words ("CID TrueType"); the last five columns are emb, sub, uni and the object number and generation.
      const [embedded, subset] = cols.slice(-5, -3);
      return { name: cols[0], embedded: embedded === 'yes', subset: subset === 'yes' };
    });
}

/** The images placed in the document (pdfimages -list): page, width and height in pixels. */
export function pdfImages(path: string): { page: number; width: number; height: number }[] {
  return run('pdfimages', ['-list', path])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      return { page: Number(cols[0]), width: Number(cols[3]), height: Number(cols[4]) };
    })
    .filter((image) => Number.isFinite(image.page));
}

/** The text of the whole document, or of one page (1-based). */
export function pdfText(path: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return run('pdftotext', ['-enc', 'UTF-8', ...range, path, '-']);
}

export interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfPageWords {
  width: number;
  height: number;
  words: PdfWord[];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** Every word with its box in points (pdftotext -bbox), page by page. */
export function pdfWords(path: string): PdfPageWords[] {
  const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-']);
  const pages: PdfPageWords[] = [];
  for (const page of html.split('<page ').slice(1)) {
    const width = Number(/width="([\d.]+)"/.exec(page)![1]);
    const height = Number(/height="([\d.]+)"/.exec(page)![1]);
    const words: PdfWord[] = [];
    for (const m of page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      words.push({ page: pages.length + 1, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5].replace(/&\w+;/g, (e) => ENTITIES[e] ?? e) });
    }
    pages.push({ width, height, words });
  }
  return pages;
}

export interface Raster {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

/** Renders pages with pdftoppm at `dpi` (all pages, or first…last) and decodes them; grey by default. */
export async function renderPages(path: string, dpi: number, options: { first?: number; last?: number; colour?: boolean } = {}): Promise<Raster[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-pdftoppm-'));
  try {
    const range = [...(options.first ? ['-f', String(options.first)] : []), ...(options.last ? ['-l', String(options.last)] : [])];
    run('pdftoppm', ['-r', String(dpi), ...(options.colour ? [] : ['-gray']), '-png', ...range, path, join(dir, 'page')]);
    const files = readdirSync(dir).filter((f) => f.endsWith('.png')).sort((a, b) => pageNumber(a) - pageNumber(b));
    return await Promise.all(files.map((f) => decodePng(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pageNumber(file: string): number {
  return Number(/-(\d+)\.png$/.exec(file)![1]);
}

export async function decodePng(input: string | Buffer): Promise<Raster> {
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

/** Mean and standard deviation of a raster's samples inside a box given in points (at `dpi`). */
export function regionStats(raster: Raster, dpi: number, box: { x: number; y: number; width: number; height: number }): { mean: number; std: number; nonWhiteShare: number } {
  const scale = dpi / 72;
  const x0 = Math.max(0, Math.round(box.x * scale));
  const y0 = Math.max(0, Math.round(box.y * scale));
  const x1 = Math.min(raster.width, Math.round((box.x + box.width) * scale));
  const y1 = Math.min(raster.height, Math.round((box.y + box.height) * scale));
  let sum = 0;
  let sumSq = 0;
  let nonWhite = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      for (let c = 0; c < raster.channels; c++) {
        const v = raster.data[(y * raster.width + x) * raster.channels + c];
        sum += v;
        sumSq += v * v;
        if (v < 245) nonWhite += 1;
        n += 1;
      }
    }
  }
  const mean = sum / Math.max(1, n);
  return { mean, std: Math.sqrt(Math.max(0, sumSq / Math.max(1, n) - mean * mean)), nonWhiteShare: nonWhite / Math.max(1, n) };
}
