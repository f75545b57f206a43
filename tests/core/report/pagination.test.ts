// Issue 8, Must show 3: a stored case with 20 explanations gives a multi-page report (A4 and Letter)
// with correct pagination — "Page i of n" once on every page, n = the page count pdfinfo reads — and
// no clipped content: every section heading appears exactly once, every explanation's figures are
// present once and on the same page as its heading (sections move whole), and every word's box
// (pdftotext -bbox) lies in the header band, the body or the footer band, never across them.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SightlineApi } from '../../../src/api/contract';
import { Engine } from '../../../src/core/engine';
import { MARGINS } from '../../../src/core/report/page-flow';
import { CaseStore } from '../../../src/core/store/case-store';
import { READER, TINY_MODEL, syntheticExplanation, tinyPrediction } from '../../helpers/case-records';
import { caseImage } from '../../helpers/cases';
import { engineApi } from '../../helpers/engine';
import { makeTempDir, reportFigure } from '../../helpers/fixtures';
import { pdfInfo, pdfText, pdfWords } from '../../helpers/pdf';

const temp = makeTempDir('sightline-report-pages-');
const dataDir = join(temp.dir, 'data');
const PSEUDONYM = 'SL-PAGE-0020';
const COUNT = 20;
/** Per explanation k: distinctive figures that must each appear once. */
const evaluationsOf = (k: number) => 1000 + k;
const batchOf = (k: number) => 200 + k;

/** Texts longer than a page body: they must flow on over pages, not run off one. */
const LONG_NOTE = `Twenty explanations. ${'Observation of the case in some detail. '.repeat(400)}NOTE-END`;
const LONG_ANNOTATION_NOTE = `${'Margin irregular. '.repeat(270)}ANNOTATION-END`;

let engine: Engine;
let api: SightlineApi;

beforeAll(async () => {
  const store = await CaseStore.open(dataDir);
  try {
    const image = await caseImage(temp.dir, 'scan.png', 120, 90);
    const created = await store.createCase(image, { pseudonym: PSEUDONYM, note: LONG_NOTE }, READER);
    store.addPrediction(PSEUDONYM, TINY_MODEL, tinyPrediction(), READER);
    for (let k = 1; k <= COUNT; k++) {
      const peak = [k % 6, (3 * k) % 8];
      const result = syntheticExplanation(6, 8, (r, c) => Math.exp(-((r - peak[0]) ** 2 + (c - peak[1]) ** 2) / 2) - 0.05, {
        params: { window: [3, k, k], strides: [3, 1, 1], baseline: 0, batchSize: batchOf(k) },
        evaluations: evaluationsOf(k),
        durationMs: 10 * k,
        modelSha256: TINY_MODEL.sha256,
      });
      store.addExplanation(PSEUDONYM, result, null, READER);
    }
    store.saveAnnotations(PSEUDONYM, [{ id: 'r1', kind: 'rectangle', points: [[20, 15], [70, 60]], label: 'region', note: LONG_ANNOTATION_NOTE }], READER);
    store.review(PSEUDONYM, { predictionVerdict: 'agree', explanationVerdict: 'disagree', comment: 'Maps scatter.' }, READER);
    store.sign(created.summary.id, 'Dr. Page Reader', 'approval', { actor: 'Dr. Page Reader' });
  } finally {
    store.close();
  }
  engine = new Engine({ dataDir, intraOpThreads: 1, actor: 'dr.test' });
  api = engineApi(engine);
});

afterAll(async () => {
  await engine?.dispose();
  temp.cleanup();
});

const SECTION_HEADINGS = ['Case', 'Image, explanation and annotations', 'Prediction', 'Annotations', 'Verdict and notes', 'Signature'];

describe.each(['A4', 'Letter'] as const)('a case with 20 explanations on %s', (pageSize) => {
  const path = join(temp.dir, `report-${pageSize}.pdf`);
  let pages = 0;

  it('gives a multi-page report whose page count pdfinfo confirms', async () => {
    const report = await api.caseReport({ caseId: PSEUDONYM, out: path, pageSize, generatedAt: '2026-02-03T04:05:06Z' });
    const info = pdfInfo(path);
    pages = info.pages;
    reportFigure(`pages (${pageSize}, 20 explanations)`, pages);
    expect(report.pages).toBe(pages);
    expect(pages).toBeGreaterThanOrEqual(6);
  });

  it('says "Page i of n" once on every page, with the case ID in every header', () => {
    for (let i = 1; i <= pages; i++) {
      const text = pdfText(path, i);
      expect(text.match(/Page \d+ of \d+/g), `page ${i}`).toEqual([`Page ${i} of ${pages}`]);
      expect(text, `page ${i}`).toContain(`Case ${PSEUDONYM}`);
      expect(text, `page ${i}`).toContain('Decision support only — not a diagnosis.');
    }
  });

  it('has every heading exactly once and every explanation whole, on one page, with its figures', () => {
    const lines = pdfText(path).split('\n').map((l) => l.trim());
    for (const heading of SECTION_HEADINGS) expect(lines.filter((l) => l === heading), heading).toHaveLength(1);
    // Wrapped values break lines anywhere: figures are searched in the text with whitespace collapsed.
    const pageTexts = Array.from({ length: pages }, (_, i) => pdfText(path, i + 1).replace(/\s+/g, ' '));
    const whole = pageTexts.join('\n');
    for (let k = 1; k <= COUNT; k++) {
      const heading = `Explanation ${k} of ${COUNT}: Occlusion`;
      expect(lines.filter((l) => l === heading), heading).toHaveLength(1);
      const figures = [`${evaluationsOf(k)} model evaluations`, `batchSize = ${batchOf(k)}`, `window = 3, ${k}, ${k};`];
      for (const figure of figures) expect(whole.split(figure).length - 1, `${heading}: ${figure}`).toBe(1);
      const page = pageTexts.findIndex((t) => t.includes(heading));
      // The section's last row is on its heading's page: nothing of it ran off or was split.
      expect(pageTexts[page], heading).toContain(`${evaluationsOf(k)} model evaluations`);
      expect(pageTexts[page].slice(pageTexts[page].indexOf(heading)), heading).toMatch(/Trust and agreement/);
    }
    expect(whole).toMatch(/Prediction verdict\s+agree/);
    // Texts that ran over pages: every word is there, in order, once the header and footer are left out.
    const body = pdfWords(path)
      .flatMap((page) => page.words.filter((w) => w.yMin >= MARGINS.top - 1 && w.yMax <= page.height - MARGINS.bottom + 1))
      .map((w) => w.text)
      .join(' ');
    expect(body.split('Observation of the case in some detail.').length - 1).toBe(400);
    expect(body).toContain('detail. NOTE-END');
    expect(body.split('Margin irregular.').length - 1).toBe(270);
    expect(body).toContain('irregular. ANNOTATION-END');
    expect(whole).toContain('Dr. Page Reader');
  });

  it('keeps every word inside its band: header, body or footer, never across or off the page', () => {
    const bands = (height: number) => ({
      header: [20, 58] as const,
      body: [MARGINS.top - 1, height - MARGINS.bottom + 1] as const,
      footer: [height - MARGINS.bottom + 14, height - 12] as const,
    });
    let words = 0;
    for (const page of pdfWords(path)) {
      const band = bands(page.height);
      const inside = (w: { yMin: number; yMax: number }, [top, bottom]: readonly [number, number]) => w.yMin >= top && w.yMax <= bottom;
      for (const word of page.words) {
        words += 1;
        const where = (['header', 'body', 'footer'] as const).filter((name) => inside(word, band[name]));
        expect(where, `page ${word.page} "${word.text}" at y ${word.yMin.toFixed(1)}–${word.yMax.toFixed(1)}`).toHaveLength(1);
        expect(word.xMin, word.text).toBeGreaterThanOrEqual(MARGINS.left - 1);
        expect(word.xMax, word.text).toBeLessThanOrEqual(page.width - MARGINS.right + 1);
      }
      const footer = page.words.filter((w) => inside(w, band.footer)).map((w) => w.text).join(' ');
      expect(footer).toMatch(new RegExp(`^Decision support only — not a diagnosis\\. .* Page ${page.words[0].page} of ${pages}$`));
    }
    reportFigure(`words checked (${pageSize})`, words);
  });
});
