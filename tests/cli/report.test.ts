// `sightline report` as analysts run it: the one-off form (--model --input --method … --target)
// records a case and reports it; the --case form reports a stored case again on Letter. Both write
// the PDF, print one JSON object with --json, and audit the export; usage mistakes exit 2, an
// unknown case 1.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, singleJson } from '../helpers/cli';
import { makeTempDir, sha256File } from '../helpers/fixtures';
import { rgbPattern, writePng } from '../helpers/images';
import { linearModel } from '../helpers/onnx-builder';
import { pdfInfo, pdfText } from '../helpers/pdf';

const temp = makeTempDir('sightline-cli-report-');
const dataDir = join(temp.dir, 'data');
afterAll(() => temp.cleanup());

interface ReportSummary {
  exportId: string;
  caseId: string;
  pseudonym: string;
  path: string;
  sha256: string;
  bytes: number;
  pages: number;
  pageSize: string;
}

const modelFile = join(temp.dir, 'tiny.onnx');
writeFileSync(modelFile, linearModel({ dims: [3, 32, 32], classes: 3, seed: 3 }).bytes);
writeFileSync(join(temp.dir, 'tiny.json'), JSON.stringify({ name: 'cli-tiny', version: '2.0.0', labels: ['normal', 'effusion', 'nodule'], input: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] } }));

describe('sightline report', () => {
  let first: ReportSummary;

  it('one-off: records a case for the input with both methods and writes its report', async () => {
    const image = await writePng(join(temp.dir, 'scan.png'), 32, 32, 3, rgbPattern(32, 32));
    const out = join(temp.dir, 'one-off.pdf');
    const result = await runCli(
      [
        'report', '--model', modelFile, '--input', image, '--method', 'occlusion', '--method', 'rise', '--target', '2',
        '--set', 'occlusion.window=3,8,8', '--set', 'occlusion.strides=3,8,8', '--set', 'rise.samples=64', '--set', 'rise.seed=7',
        '--out', out, '--data', dataDir, '--date', '2026-05-06T07:08:09Z', '--institution', 'CLI Clinic', '--json', '--quiet',
      ],
      { env: { SIGHTLINE_THREADS: '1' } },
    );
    expect(result.code, result.stderr).toBe(0);
    first = singleJson<ReportSummary>(result.stdout);
    expect(first).toMatchObject({ path: out, pageSize: 'A4' });
    expect(first.pseudonym).toMatch(/^SL-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(first.sha256).toBe(sha256File(out));
    expect(pdfInfo(out).pages).toBe(first.pages);
    const text = pdfText(out);
    expect(text).toContain(first.pseudonym);
    expect(text).toContain(sha256File(modelFile));
    expect(text).toContain('cli-tiny, version 2.0.0');
    expect(text).toContain('Occlusion (occlusion)');
    expect(text).toContain('RISE (rise)');
    expect(text.match(/Target\s+“nodule” \(class 2\)/g)).toHaveLength(2);
    expect(text).toMatch(/Seed\s+7/);
    expect(text).toContain('CLI Clinic');
    expect(text).toContain('Report date 2026-05-06 07:08:09 UTC');
    expect(text).toContain('Not signed: this report shows revision 1 as a draft.');
  });

  it('--case: reports the stored case again on Letter, and both exports are audited', async () => {
    const out = join(temp.dir, 'again.pdf');
    const result = await runCli(['report', '--case', first.pseudonym, '--out', out, '--data', dataDir, '--page-size', 'Letter', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = singleJson<ReportSummary>(result.stdout);
    expect(summary).toMatchObject({ caseId: first.caseId, pseudonym: first.pseudonym, pageSize: 'Letter', path: out });
    const info = pdfInfo(out);
    expect([Math.round(info.pageWidth), Math.round(info.pageHeight)]).toEqual([612, 792]);
    const db = new Database(join(dataDir, 'cases.sqlite'), { readonly: true });
    try {
      const rows = db.prepare("SELECT entity_id, new_value FROM audit WHERE entity = 'exports' ORDER BY seq").all() as { entity_id: string; new_value: string }[];
      expect(rows.map((r) => r.entity_id)).toEqual([first.exportId, summary.exportId]);
      expect(rows.map((r) => JSON.parse(r.new_value).sha256)).toEqual([first.sha256, summary.sha256]);
    } finally {
      db.close();
    }
    const verify = await runCli(['cases', 'verify', '--data', dataDir, '--json']);
    expect(verify.code).toBe(0);
  });

  it('refuses usage mistakes with exit 2 and an unknown case with exit 1', async () => {
    const noOut = await runCli(['report', '--case', 'SL-NONE-NONE', '--data', dataDir]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/report needs --out/);
    const both = await runCli(['report', '--case', 'SL-NONE-NONE', '--model', modelFile, '--out', join(temp.dir, 'x.pdf'), '--data', dataDir]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --case or --model/);
    const notPdf = await runCli(['report', '--case', 'SL-NONE-NONE', '--out', join(temp.dir, 'x.txt'), '--data', dataDir]);
    expect(notPdf.code).toBe(2);
    const size = await runCli(['report', '--case', 'SL-NONE-NONE', '--out', join(temp.dir, 'x.pdf'), '--page-size', 'A5', '--data', dataDir]);
    expect(size.code).toBe(2);
    const missing = await runCli(['report', '--case', 'SL-NONE-NONE', '--out', join(temp.dir, 'x.pdf'), '--data', dataDir, '--json']);
    expect(missing.code).toBe(1);
    expect(singleJson<{ error: { code: string; message: string } }>(missing.stdout).error).toMatchObject({ code: 'NOT_FOUND' });
    expect(missing.stderr).toMatch(/No case "SL-NONE-NONE"/);
  });
});
