// `sightline cases import|list|show|verify` as analysts run it: a batch import of two fixture
// images with the fixture ResNet-18 and coarse occlusion, then listing (filters, --json), showing
// by pseudonym, and verify's exit code before (0) and after (1) the audit is tampered with.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseList, CaseVerification } from '../../src/api/case-schemas';
import { runCli, singleJson } from '../helpers/cli';
import { imagePng, makeTempDir, modelPath } from '../helpers/fixtures';

const temp = makeTempDir('sightline-cli-cases-');
const dataDir = join(temp.dir, 'data');
afterAll(() => temp.cleanup());

interface Imported {
  cases: { input: string; caseId: string; pseudonym: string; top: { index: number } | null; explanations: { method: string; recordId: string }[] }[];
  failed: { input: string; error: string }[];
}

describe('sightline cases', () => {
  let imported: Imported;

  it('imports one case per input with its prediction and explanations', async () => {
    const result = await runCli([
      'cases', 'import', '--data', dataDir, '--model', modelPath('resnet18'),
      '--input', imagePng('chelsea'), imagePng('coffee'),
      '--method', 'occlusion', '--set', 'occlusion.window=3,56,56', '--set', 'strides=3,56,56',
      '--note', 'batch import apical', '--json',
    ], { env: { SIGHTLINE_THREADS: '1' } });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    imported = singleJson<Imported>(result.stdout);
    expect(imported.failed).toEqual([]);
    expect(imported.cases.map((c) => c.input)).toEqual([imagePng('chelsea'), imagePng('coffee')]);
    // The fixture's top-1 for chelsea is class 117 (resnet18/ref/chelsea.logits.npy).
    expect(imported.cases[0].top?.index).toBe(117);
    expect(imported.cases.every((c) => c.explanations.length === 1 && c.explanations[0].method === 'occlusion' && c.explanations[0].recordId)).toBe(true);
  });

  it('lists the cases, with filters, as one JSON object', async () => {
    const all = singleJson<CaseList>((await runCli(['cases', 'list', '--data', dataDir, '--json'])).stdout);
    expect(all.total).toBe(2);
    expect(all.cases.every((c) => c.status === 'new' && c.explanationCount === 1 && c.note === 'batch import apical')).toBe(true);
    const byWord = singleJson<CaseList>((await runCli(['cases', 'list', '--data', dataDir, '--json', '--text', 'apical', '--class', '117'])).stdout);
    expect(byWord.cases.map((c) => c.pseudonym)).toContain(imported.cases[0].pseudonym);
    const none = singleJson<CaseList>((await runCli(['cases', 'list', '--data', dataDir, '--json', '--status', 'signed'])).stdout);
    expect(none).toEqual({ total: 0, cases: [] });
    const text = await runCli(['cases', 'list', '--data', dataDir]);
    expect(text.stdout).toMatch(/2 of 2 case\(s\)/);
  });

  it('shows one case by pseudonym, with the stored occlusion parameters', async () => {
    const { pseudonym } = imported.cases[0];
    const detail = singleJson<CaseDetail>((await runCli(['cases', 'show', pseudonym, '--data', dataDir, '--json'])).stdout);
    expect(detail.summary.pseudonym).toBe(pseudonym);
    expect(detail.image?.fileName).toBe('chelsea.png');
    expect(detail.predictions).toHaveLength(1);
    expect(detail.explanations[0].params).toMatchObject({ window: [3, 56, 56], strides: [3, 56, 56] });
    expect(detail.explanations[0].attributionShape).toEqual([1, 3, 224, 224]);
    const missing = await runCli(['cases', 'show', 'SL-NONE-NONE', '--data', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No case "SL-NONE-NONE"/);
  });

  it('verifies with exit 0, and exits 1 naming the problem once the audit is tampered with', async () => {
    const clean = await runCli(['cases', 'verify', '--data', dataDir, '--json']);
    expect(clean.code).toBe(0);
    expect(singleJson<CaseVerification>(clean.stdout)).toMatchObject({ ok: true, integrity: ['ok'], auditOk: true, problems: [] });

    const db = new Database(join(dataDir, 'cases.sqlite'));
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 1").run();
    db.close();
    const tampered = await runCli(['cases', 'verify', '--data', dataDir]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/audit row 1: its content does not match its hash/);
    expect(tampered.stdout).toMatch(/NOT verified/);
  });

  it('refuses a bad subcommand as a usage error', async () => {
    const result = await runCli(['cases', 'frobnicate', '--data', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown cases subcommand "frobnicate"/);
  });
});
