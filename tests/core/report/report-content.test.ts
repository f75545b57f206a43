// Issue 8, Must show 1: a DICOM case (MR_small, a tiny linear model built in-process, occlusion and
// gradient, a polygon, a verdict, a signature) exported as a PDF; every page rendered with pdftoppm
// and read with pdftotext: the image area is not blank (and carries the overlay's colours), the text
// holds the case ID, the model SHA-256, the method names and the verdict, and no identifying DICOM
// value the de-identification tests enumerate appears in the text or in the PDF's bytes. Also: the
// export is in the audit trail, the file is PDF/A-2b-ready (XMP, output intent, embedded TTF only),
// and Letter gives Letter pages.
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SightlineApi } from '../../../src/api/contract';
import type { CaseDetail } from '../../../src/api/case-schemas';
import { Engine } from '../../../src/core/engine';
import { dicomFile, dicomManifest } from '../../helpers/dicom-fixtures';
import { engineApi } from '../../helpers/engine';
import { makeTempDir, reportFigure, sha256File } from '../../helpers/fixtures';
import { linearModel } from '../../helpers/onnx-builder';
import { pdfFonts, pdfInfo, pdfText, pdfWords, regionStats, renderPages } from '../../helpers/pdf';

const temp = makeTempDir('sightline-report-content-');
const dataDir = join(temp.dir, 'data');
const PSEUDONYM = 'SL-TEST-DCM1';
const REPORT_DATE = '2026-03-04T05:06:07.000Z';
/** The clarifications' rule (issue 7 MS3): values shorter than 6 characters occur by chance anywhere. */
const MIN_SEARCHED_LENGTH = 6;
const DPI = 72;

let engine: Engine;
let api: SightlineApi;
let detail: CaseDetail;
let modelSha256: string;
const reportPath = join(temp.dir, 'mr-report.pdf');

beforeAll(async () => {
  engine = new Engine({ dataDir, intraOpThreads: 1, defaultProvider: 'cpu', actor: 'dr.test' });
  api = engineApi(engine);
  writeFileSync(join(temp.dir, 'mr.onnx'), linearModel({ dims: [1, 64, 64], classes: 2, seed: 5 }).bytes);
  const card = { name: 'mr-linear', version: '0.3.1', labels: ['left', 'right'], input: { scale: 1 / 255, mean: [0], std: [1] }, dicom: { input: 'window', window: { center: 600, width: 1600 } } };
  writeFileSync(join(temp.dir, 'mr.json'), JSON.stringify(card));
  const model = await api.openModel({ path: join(temp.dir, 'mr.onnx') });
  modelSha256 = model.sha256;
  const input = await api.openInput({ path: dicomFile('MR_small') });
  const created = await api.caseCreate({ inputId: input.id, modelId: model.id, pseudonym: PSEUDONYM, note: 'Report test: left temporal lesion?' });
  await api.explain({ modelId: model.id, inputId: input.id, method: 'occlusion', target: 1, params: { window: [1, 16, 16], strides: [1, 16, 16] }, caseId: PSEUDONYM });
  await api.explain({ modelId: model.id, inputId: input.id, method: 'gradient', target: 1, caseId: PSEUDONYM });
  await api.caseSaveAnnotations({ caseId: PSEUDONYM, annotations: [{ id: 'p1', kind: 'polygon', points: [[12, 14], [40, 10], [44, 38], [14, 42]], label: 'lesion' }] });
  await api.caseReview({ caseId: PSEUDONYM, predictionVerdict: 'disagree', explanationVerdict: 'uncertain', comment: 'Map on the skull edge.' });
  detail = await api.caseSign({ caseId: created.summary.id, signer: 'Dr. Test Reader', meaning: 'review' });
});

afterAll(async () => {
  await engine?.dispose();
  temp.cleanup();
});

describe('PDF case report of a DICOM case', () => {
  it('writes the report and records the export, with its SHA-256, in the audit trail', async () => {
    const report = await api.caseReport({ caseId: PSEUDONYM, out: reportPath, generatedAt: REPORT_DATE, institution: 'Test Hospital Radiology' });
    expect(report).toMatchObject({ pseudonym: PSEUDONYM, path: reportPath, pageSize: 'A4', warnings: [] });
    expect(report.pdfBase64).toBeUndefined();
    expect(report.sha256).toBe(sha256File(reportPath));
    reportFigure('report pages (2 explanations, A4)', report.pages);
    reportFigure('report bytes', report.bytes);

    const db = new Database(join(dataDir, 'cases.sqlite'), { readonly: true });
    try {
      const audit = db.prepare("SELECT actor, action, case_id, new_value FROM audit WHERE entity = 'exports'").all() as { actor: string; action: string; case_id: string; new_value: string }[];
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'dr.test', action: 'create', case_id: detail.summary.id });
      expect(JSON.parse(audit[0].new_value)).toMatchObject({ id: report.exportId, kind: 'pdf-report', path: reportPath, sha256: report.sha256, created_by: 'dr.test' });
    } finally {
      db.close();
    }
    // The export did not change the signed record: still signed, same revision, audit chain intact.
    await expect(api.caseGet({ caseId: PSEUDONYM })).resolves.toMatchObject({ summary: { status: 'signed', revision: 1 } });
    await expect(api.caseVerify({})).resolves.toMatchObject({ ok: true, problems: [] });
  });

  it('renders every page; the image area is not blank and shows the overlay', async () => {
    const info = pdfInfo(reportPath);
    expect(info.pdfVersion).toBe('1.7');
    expect([Math.round(info.pageWidth), Math.round(info.pageHeight)]).toEqual([595, 842]);
    const grey = await renderPages(reportPath, DPI);
    expect(grey).toHaveLength(info.pages);
    for (const page of grey) expect(regionStats(page, DPI, { x: 0, y: 0, width: info.pageWidth, height: info.pageHeight }).nonWhiteShare).toBeGreaterThan(0.01);

    // The figure: below its heading, above the prediction's heading, left of its caption.
    const words = pdfWords(reportPath)[0].words;
    const heading = words.find((w) => w.text === 'Image,')!;
    const prediction = words.find((w) => w.text === 'Prediction' && w.yMin > heading.yMax)!;
    const caption = words.find((w) => w.text === 'Shown:')!;
    const figure = { x: heading.xMin + 4, y: heading.yMax + 12, width: caption.xMin - 80 - heading.xMin, height: prediction.yMin - heading.yMax - 30 };
    expect(figure.width).toBeGreaterThan(150);
    expect(figure.height).toBeGreaterThan(150);
    const stats = regionStats(grey[0], DPI, figure);
    reportFigure('figure grey mean', stats.mean.toFixed(1));
    reportFigure('figure grey std', stats.std.toFixed(1));
    reportFigure('figure non-white share', stats.nonWhiteShare.toFixed(3));
    expect(stats.nonWhiteShare).toBeGreaterThan(0.95);
    expect(stats.std).toBeGreaterThan(15);

    // The overlay's diverging colours: pixels whose red and blue differ clearly.
    const [colour] = await renderPages(reportPath, DPI, { first: 1, last: 1, colour: true });
    const scale = DPI / 72;
    let tinted = 0;
    let pixels = 0;
    for (let y = Math.round(figure.y * scale); y < Math.round((figure.y + figure.height) * scale); y++) {
      for (let x = Math.round(figure.x * scale); x < Math.round((figure.x + figure.width) * scale); x++) {
        const o = (y * colour.width + x) * colour.channels;
        if (Math.abs(colour.data[o] - colour.data[o + 2]) > 30) tinted += 1;
        pixels += 1;
      }
    }
    reportFigure('figure tinted share', (tinted / pixels).toFixed(3));
    expect(tinted / pixels).toBeGreaterThan(0.2);
  });

  it('holds the case ID, the model SHA-256, the method names and the verdict', () => {
    const text = pdfText(reportPath);
    expect(text).toContain(PSEUDONYM);
    expect(text).toContain(modelSha256);
    expect(text).toContain('mr-linear, version 0.3.1');
    for (const name of ['Occlusion (occlusion)', 'Explanation 1 of 2: Occlusion', 'Explanation 2 of 2']) expect(text).toContain(name);
    expect(text).toMatch(/\(gradient\)/);
    expect(text).toMatch(/Prediction verdict\s+disagree/);
    expect(text).toMatch(/Explanation verdict\s+uncertain/);
    expect(text).toContain('Dr. Test Reader');
    expect(text).toContain('Test Hospital Radiology');
    expect(text).toContain('Report date 2026-03-04 05:06:07 UTC');
    expect(text).toContain(detail.signatures[0].recordSha256);
    expect(text).toMatch(/Decision support only — not a diagnosis/);
    // One plain-language sentence per explanation, built from its figures.
    expect(text.match(/The map for “right”/g)).toHaveLength(2);
  });

  it('contains no identifying DICOM value, in its text or anywhere in its bytes', () => {
    const entry = dicomManifest().find((e) => e.file === 'files/MR_small.dcm')!;
    const values = [...new Set((entry.identifying ?? []).map((i) => String(i.value)).filter((v) => v.length >= MIN_SEARCHED_LENGTH))];
    reportFigure('identifying values searched', values.length);
    expect(values.length).toBeGreaterThan(10);
    expect(values).toContain('CompressedSamples^MR1');
    const text = pdfText(reportPath);
    // The cross-reference table is structure, not content: its ten-digit zero-padded offsets hold
    // "000000000" (the fixture's Station Name) in any PDF, so it is left out of the byte search.
    const raw = readFileSync(reportPath).toString('latin1');
    const bytes = Buffer.from(raw.slice(0, raw.lastIndexOf('\nxref\n')) + raw.slice(raw.lastIndexOf('\ntrailer')), 'latin1');
    expect(bytes.length).toBeGreaterThan(raw.length * 0.9);
    // PDF strings are Latin-1 or UTF-16BE (pdfkit writes non-ASCII metadata as UTF-16BE).
    const utf16be = (v: string) => Buffer.from(v, 'utf16le').swap16();
    const leaks = values.filter((v) => text.includes(v) || bytes.includes(Buffer.from(v, 'latin1')) || bytes.includes(utf16be(v)));
    // The search does find what the report does contain: the case ID is in the metadata.
    expect(bytes.includes(Buffer.from(PSEUDONYM, 'latin1'))).toBe(true);
    expect(leaks).toEqual([]);
    // Nor the file name it was opened from.
    expect(text).not.toContain('MR_small');
  });

  it('is PDF/A-2b-ready: XMP with pdfaid, an sRGB output intent, only embedded TrueType fonts', () => {
    const raw = readFileSync(reportPath).toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).toContain('/OutputIntents');
    expect(raw).toContain('/S /GTS_PDFA1');
    expect(raw).toMatch(/<dc:title>[\s\S]*Sightline case report SL-TEST-DCM1/);
    expect(raw).toContain('<xmp:CreateDate>2026-03-04T05:06:07Z</xmp:CreateDate>');
    expect(raw.match(/\/FontFile2/g)?.length).toBe(3);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    const fonts = pdfFonts(reportPath);
    expect(fonts.every((f) => f.embedded && f.subset)).toBe(true);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSansMono']);
  });

  it('gives Letter pages when asked, recorded as a second export', async () => {
    const letterPath = join(temp.dir, 'mr-report-letter.pdf');
    const report = await api.caseReport({ caseId: PSEUDONYM, out: letterPath, pageSize: 'Letter', generatedAt: REPORT_DATE });
    const info = pdfInfo(letterPath);
    expect([Math.round(info.pageWidth), Math.round(info.pageHeight)]).toEqual([612, 792]);
    expect(info.pages).toBe(report.pages);
    expect(pdfText(letterPath)).toContain('Institution not set');
    const db = new Database(join(dataDir, 'cases.sqlite'), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) FROM audit WHERE entity = 'exports'").pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });
});

