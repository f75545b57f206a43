// Issue 8, the UI route: in Debian's Chromium against the host, open a stored case from the list and
// press "Export PDF report": the browser downloads the PDF the host returned (a browser has no save
// dialog; Electron's is the same call with a path), the PDF reads back with pdftotext, and the
// export is in the case's audit trail as a download.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../src/core/store/case-store';
import { READER, TINY_MODEL, syntheticExplanation, tinyPrediction } from '../helpers/case-records';
import { caseImage } from '../helpers/cases';
import { startChromiumApp, type ChromiumApp } from '../helpers/chromium-app';
import { makeTempDir, sha256File } from '../helpers/fixtures';
import { pdfInfo, pdfText } from '../helpers/pdf';

const temp = makeTempDir('sightline-e2e-report-');
const dataDir = join(temp.dir, 'data');
const PSEUDONYM = 'SL-E2E-REPT';

let app: ChromiumApp;

beforeAll(async () => {
  const store = await CaseStore.open(dataDir);
  try {
    await store.createCase(await caseImage(temp.dir, 'scan.png', 64, 48), { pseudonym: PSEUDONYM, note: 'report from the browser' }, READER);
    store.addPrediction(PSEUDONYM, TINY_MODEL, tinyPrediction(), READER);
    store.addExplanation(PSEUDONYM, syntheticExplanation(6, 8, (r, c) => r * 8 + c - 20, { modelSha256: TINY_MODEL.sha256 }), null, READER);
    store.saveAnnotations(PSEUDONYM, [{ id: 'r1', kind: 'rectangle', points: [[8, 8], [40, 30]], label: 'area' }], READER);
    store.review(PSEUDONYM, { predictionVerdict: 'uncertain', explanationVerdict: 'agree', comment: '' }, READER);
  } finally {
    store.close();
  }
  app = await startChromiumApp({ dataDir });
});

afterAll(async () => {
  await app?.close();
  temp.cleanup();
});

describe('Export PDF report in Chromium', () => {
  it('downloads the open case’s report and audits the export', async () => {
    const { page } = app;
    await page.getByTestId('case-row').and(page.locator(`[data-pseudonym="${PSEUDONYM}"]`)).click({ timeout: 30_000 });
    await page.getByTestId('case-pseudonym').filter({ hasText: PSEUDONYM }).waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('case-report-export').click()]);
    expect(download.suggestedFilename()).toBe(`${PSEUDONYM}-report.pdf`);
    const saved = join(temp.dir, 'downloaded.pdf');
    await download.saveAs(saved);
    await expect.poll(() => page.getByTestId('case-report-status').textContent()).toMatch(new RegExp(`Downloaded ${PSEUDONYM}-report.pdf \\(\\d+ pages\\)`));

    expect(readFileSync(saved).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(pdfInfo(saved).pages).toBeGreaterThanOrEqual(1);
    const text = pdfText(saved);
    expect(text).toContain(`Case ${PSEUDONYM}`);
    expect(text).toMatch(/Prediction verdict\s+uncertain/);
    expect(text).toContain(TINY_MODEL.sha256);

    const db = new Database(join(dataDir, 'cases.sqlite'), { readonly: true });
    try {
      const row = db.prepare("SELECT new_value FROM audit WHERE entity = 'exports'").get() as { new_value: string };
      expect(JSON.parse(row.new_value)).toMatchObject({ kind: 'pdf-report', path: `download:${PSEUDONYM}-report.pdf`, sha256: sha256File(saved) });
    } finally {
      db.close();
    }
    expect(app.pageErrors).toEqual([]);
  });
});
