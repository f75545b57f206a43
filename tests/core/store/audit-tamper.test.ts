// Must show 3: the audit trail refuses UPDATE and DELETE, and every way of changing it with plain
// SQL around the app — triggers dropped, rows edited, re-hashed, deleted in the middle or at the
// end with the head moved, data rows edited without an audit row, the file's bytes edited — is
// caught by verify. Each scenario runs on its own copy of one populated database.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVerification } from '../../../src/api/case-schemas';
import { chainHash, type AuditRow } from '../../../src/core/store/audit';
import { CaseStore, DATABASE_FILE } from '../../../src/core/store/case-store';
import type { Db } from '../../../src/core/store/db';
import { caseImage } from '../../helpers/cases';
import { READER, syntheticExplanation } from '../../helpers/case-records';
import { makeTempDir } from '../../helpers/fixtures';

const temp = makeTempDir('sightline-tamper-');
const pristineDir = join(temp.dir, 'pristine');
let caseId = '';
let auditRows = 0;

beforeAll(async () => {
  const store = await CaseStore.open(pristineDir);
  const image = await caseImage(temp.dir);
  caseId = (await store.createCase(image, { note: 'right upper lobe mass' }, READER)).summary.id;
  store.addExplanation(caseId, syntheticExplanation(6, 8, (r, c) => r + c), null, READER);
  store.saveAnnotations(caseId, [{ id: 'box', kind: 'rectangle', points: [[0, 0], [3, 3]], label: 'mass', note: '' }], READER);
  store.review(caseId, { predictionVerdict: 'agree', explanationVerdict: 'agree', comment: 'consistent' }, READER);
  store.sign(caseId, 'Dr Reader', 'approval', READER);
  store.updateNote(caseId, 'right upper lobe mass, spiculated', READER);
  const verification = await store.verify();
  expect(verification.problems).toEqual([]);
  auditRows = verification.auditRows;
  store.close();
});
afterAll(() => temp.cleanup());

let copies = 0;
/** A fresh copy of the pristine data folder (closed cleanly, so every page is in the main file). */
function copyOfPristine(): string {
  copies += 1;
  const dir = join(temp.dir, `copy-${copies}`);
  cpSync(pristineDir, dir, { recursive: true });
  return dir;
}

async function verifyDir(dir: string): Promise<CaseVerification> {
  const store = await CaseStore.open(dir);
  try {
    return await store.verify();
  } finally {
    store.close();
  }
}

/** Verify after `tamper` changed a copy over a plain SQLite connection, around the app. */
async function verifyAfter(tamper: (db: Db) => void): Promise<CaseVerification> {
  const dir = copyOfPristine();
  const raw = new Database(join(dir, DATABASE_FILE));
  try {
    tamper(raw);
  } finally {
    raw.close();
  }
  return verifyDir(dir);
}

const dropTriggers = (db: Db) => db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');

describe('audit trail', () => {
  it('has one row per change, here at least 10', () => {
    expect(auditRows).toBeGreaterThanOrEqual(10);
  });

  it('refuses UPDATE and DELETE while its triggers stand', async () => {
    const result = await verifyAfter((db) => {
      expect(() => db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 2").run()).toThrow(/append-only: UPDATE refused/);
      expect(() => db.prepare('DELETE FROM audit WHERE seq = 2').run()).toThrow(/append-only: DELETE refused/);
    });
    expect(result.ok).toBe(true);
  });

  it('catches a changed row once the triggers are dropped', async () => {
    const result = await verifyAfter((db) => {
      dropTriggers(db);
      db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 3").run();
    });
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('audit row 3: its content does not match its hash (it was changed)');
    expect(result.problems).toContain("the audit's append-only trigger audit_no_update is missing");
  });

  it('catches a changed row whose own hash was recomputed (the next link breaks)', async () => {
    const result = await verifyAfter((db) => {
      dropTriggers(db);
      const row = db.prepare('SELECT * FROM audit WHERE seq = 4').get() as AuditRow;
      const forged = { ...row, old_value: null };
      db.prepare('UPDATE audit SET old_value = NULL, hash = ? WHERE seq = 4').run(chainHash(forged));
    });
    expect(result.problems).toContain('audit row 5: its link to the previous row is broken (a row before it was changed or removed)');
    expect(result.ok).toBe(false);
  });

  it('catches a row deleted from the middle', async () => {
    const result = await verifyAfter((db) => {
      dropTriggers(db);
      db.prepare('DELETE FROM audit WHERE seq = 2').run();
    });
    expect(result.problems).toContain('audit row 3: expected row 2 (rows 2–2 are missing)');
    expect(result.ok).toBe(false);
  });

  it('catches rows deleted from the end, and the end deleted with the head moved back', async () => {
    const tail = await verifyAfter((db) => {
      dropTriggers(db);
      db.prepare('DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)').run();
    });
    expect(tail.problems.some((p) => /head names row/.test(p))).toBe(true);
    const covered = await verifyAfter((db) => {
      dropTriggers(db);
      db.prepare('DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)').run();
      const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      db.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(last.seq, last.hash);
      db.exec('CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, \'x\'); END; CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, \'x\'); END;');
    });
    // The chain is now self-consistent, but the case's note no longer matches its last audited value.
    expect(covered.problems).toEqual([`cases ${caseId} differs from its last audited value (changed outside the app)`]);
    expect(covered.ok).toBe(false);
  });

  it('catches data rows changed, added or deleted without an audit row', async () => {
    const edited = await verifyAfter((db) => db.prepare("UPDATE cases SET note = 'nothing to see' WHERE id = ?").run(caseId));
    expect(edited.problems).toEqual([`cases ${caseId} differs from its last audited value (changed outside the app)`]);
    const added = await verifyAfter((db) =>
      db.prepare("INSERT INTO reviews (id, case_id, revision, prediction_verdict, explanation_verdict, comment, reviewer, created_at) VALUES ('fake', ?, 2, 'disagree', 'disagree', '', 'mallory', '2020-01-01')").run(caseId),
    );
    expect(added.problems).toEqual(['reviews fake has no audit record (it was written outside the app)']);
    const deleted = await verifyAfter((db) => {
      db.exec('DROP TRIGGER signatures_no_delete');
      db.prepare('DELETE FROM signatures').run();
    });
    expect(deleted.problems).toHaveLength(1);
    expect(deleted.problems[0]).toMatch(/^signatures \S+ is in the audit but missing \(deleted outside the app\)$/);
    const blob = await verifyAfter((db) => db.prepare("UPDATE explanations SET heatmap = zeroblob(length(heatmap))").run());
    expect(blob.problems).toHaveLength(1);
    expect(blob.problems[0]).toMatch(/^explanations \S+ differs from its last audited value/);
  });

  it('catches a signed record edited in place', async () => {
    const result = await verifyAfter((db) => {
      db.exec('DROP TRIGGER signatures_no_update');
      db.prepare("UPDATE signatures SET record_json = replace(record_json, 'consistent', 'doubtful')").run();
    });
    expect(result.problems.some((p) => /the signed record no longer matches its hash/.test(p))).toBe(true);
    expect(result.ok).toBe(false);
  });

  it("catches the file's bytes edited directly", async () => {
    const dir = copyOfPristine();
    const path = join(dir, DATABASE_FILE);
    const bytes = readFileSync(path);
    const from = Buffer.from('dr.reader');
    let count = 0;
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) {
      Buffer.from('dr.forger').copy(bytes, at);
      count += 1;
    }
    expect(count).toBeGreaterThan(auditRows - 1);
    writeFileSync(path, bytes);
    const verification = await verifyDir(dir);
    expect(verification.ok).toBe(false);
    expect(verification.auditOk).toBe(false);
    // every audit row names its actor, so every row's hash now fails
    expect(verification.problems.filter((p) => /does not match its hash/.test(p))).toHaveLength(auditRows);
  });

  it('verifies an untouched copy', async () => {
    const result = await verifyAfter(() => undefined);
    expect(result).toMatchObject({ ok: true, auditOk: true, integrity: ['ok'], problems: [] });
  });
});
