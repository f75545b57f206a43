// Must show 2: schema migrations. An empty file and a database of every earlier schema version
// (with data written by that version's tables) reach the latest schema, equal to a fresh one, with
// the data intact, searchable and its audit chain verified; a database from a newer Sightline is
// refused with a clear message and left byte for byte untouched.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore, DATABASE_FILE } from '../../../src/core/store/case-store';
import { openCaseDatabase, type Db } from '../../../src/core/store/db';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/core/store/migrations';
import { saveAnnotationSet } from '../../../src/core/store/repositories/annotations';
import { insertCase } from '../../../src/core/store/repositories/cases';
import { insertImageIfNew } from '../../../src/core/store/repositories/images';
import { insertReview } from '../../../src/core/store/repositories/reviews';
import { caseImage } from '../../helpers/cases';
import { READER } from '../../helpers/case-records';
import { makeTempDir } from '../../helpers/fixtures';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('sightline-migrations-');
});
afterEach(() => temp.cleanup());

/** Every schema object's SQL, normalised, as one sorted list (what "the same schema" means). */
function schemaOf(db: Db): string[] {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[];
  return rows.map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ').trim()}`);
}

async function freshSchema(): Promise<string[]> {
  const db = await openCaseDatabase(join(temp.dir, 'fresh.sqlite'));
  try {
    return schemaOf(db);
  } finally {
    db.close();
  }
}

/** Writes a case, its image, two annotations and a review through the repositories (schema 1 tables). */
async function writeVersionOneData(db: Db, note: string): Promise<string> {
  const image = await caseImage(temp.dir, 'old.png');
  const now = '2025-03-04T05:06:07.000Z';
  db.transaction(() => {
    insertImageIfNew(db, READER, { id: image.sha256, file_name: 'old.png', stored_path: 'images/old.png', kind: 'image', format: 'png', width: 8, height: 6, channels: 3, bit_depth: 8, byte_size: 1, dicom_json: null, created_at: now }, null);
    insertCase(db, READER, { id: 'case-old', pseudonym: 'SL-OLD0-0001', status: 'in_review', revision: 1, note, image_id: image.sha256, view_json: '{}', created_by: 'dr.reader', created_at: now, updated_at: now });
    saveAnnotationSet(db, READER, 'case-old', [
      { id: 'a1', kind: 'polygon', points: [[1, 1], [5, 1], [3, 4]], label: 'consolidation', note: '' },
      { id: 'a2', kind: 'text', points: [[2, 2]], label: 'see prior', note: '' },
    ], now);
    insertReview(db, READER, 'case-old', { id: 'r1', revision: 1, predictionVerdict: 'agree', explanationVerdict: 'uncertain', comment: 'old comment', reviewer: 'dr.reader', createdAt: now });
  })();
  return 'case-old';
}

describe('migrations', () => {
  it('are numbered 1…N, and N is the latest version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    expect(LATEST_SCHEMA_VERSION).toBe(5);
  });

  it('bring an empty database to the latest schema', async () => {
    const db = await openCaseDatabase(join(temp.dir, 'empty.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'case_search_%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['agreement', 'annotations', 'audit', 'audit_head', 'case_search', 'cases', 'explanations', 'exports', 'images', 'interventions', 'predictions', 'probes', 'reviews', 'signatures', 'trust_metrics']);
    db.close();
  });

  for (const from of [1, 2, 3, 4]) {
    it(`bring a version-${from} database with data to the latest schema, data intact and searchable`, async () => {
      const dataDir = join(temp.dir, `v${from}`);
      const path = join(dataDir, DATABASE_FILE);
      mkdirSync(join(dataDir, 'images'), { recursive: true });
      const old = await openCaseDatabase(path, { targetVersion: from });
      expect(old.pragma('user_version', { simple: true })).toBe(from);
      const caseId = await writeVersionOneData(old, 'hilar lymphadenopathy');
      old.close();
      copyFileSync(join(temp.dir, 'old.png'), join(dataDir, 'images', 'old.png'));

      const store = await CaseStore.open(dataDir);
      try {
        expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
        expect(schemaOf(store.db)).toEqual(await freshSchema());
        const detail = store.detail(caseId);
        expect(detail.summary).toMatchObject({ pseudonym: 'SL-OLD0-0001', note: 'hilar lymphadenopathy', status: 'in_review', annotationCount: 2 });
        expect(detail.annotations.map((a) => [a.kind, a.label, a.points])).toEqual([
          ['polygon', 'consolidation', [[1, 1], [5, 1], [3, 4]]],
          ['text', 'see prior', [[2, 2]]],
        ]);
        expect(detail.reviews[0]).toMatchObject({ predictionVerdict: 'agree', comment: 'old comment' });
        // The search index is backfilled for rows written before it existed.
        expect(store.search('lymphadenopathy', 5).map((h) => h.summary.id)).toEqual([caseId]);
        expect(store.search('consolidation', 5).map((h) => h.summary.id)).toEqual([caseId]);
        const verification = await store.verify();
        expect(verification.problems).toEqual([]);
        expect(verification.ok).toBe(true);
        // The migrated case works like a new one: it can be signed and amended.
        store.sign(caseId, 'Dr Reader', 'review', READER);
        expect(store.saveAnnotations(caseId, [], READER).summary.revision).toBe(2);
      } finally {
        store.close();
      }
    });
  }

  it('refuses a database written by a newer Sightline and leaves it untouched', async () => {
    const dataDir = join(temp.dir, 'newer');
    const path = join(dataDir, DATABASE_FILE);
    (await CaseStore.open(dataDir)).close();
    const raw = new Database(path);
    raw.pragma('user_version = 7');
    raw.close();
    const fingerprint = () => readdirSync(dataDir).sort().map((name) => `${name}:${name === 'images' ? '' : createHash('sha256').update(readFileSync(join(dataDir, name))).digest('hex')}`);
    const before = fingerprint();
    await expect(CaseStore.open(dataDir)).rejects.toThrow(
      /written by a newer Sightline \(schema version 7; this version reads up to 5\)\. It was left untouched/,
    );
    expect(fingerprint()).toEqual(before);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(7);
    check.close();
  });

  it('refuses a file that is not a database with a clear message', async () => {
    const dataDir = join(temp.dir, 'garbage');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, DATABASE_FILE), 'these are not the pages you are looking for'.repeat(200));
    await expect(CaseStore.open(dataDir)).rejects.toThrow(/not a readable SQLite file/);
  });
});
