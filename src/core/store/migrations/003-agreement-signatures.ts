// Schema 3: agreement of each explanation with the case's region annotations (derived data,
// recomputed whenever annotations change), signatures bound to a hash of the signed record, and
// the lock: while a case is signed, triggers refuse changes to its content, so the app must open
// a new revision first.
import type { Migration } from './index';

const LOCKED_TABLES = ['annotations', 'reviews', 'predictions', 'explanations'];

/** The three triggers that refuse changes to a table's rows while their case is signed. */
export function lockTriggers(table: string): string {
  const refuse = `BEGIN SELECT RAISE(ABORT, 'the case is signed: a change must start a new revision'); END;`;
  const signed = (ref: 'NEW' | 'OLD') => `(SELECT status FROM cases WHERE id = ${ref}.case_id) = 'signed'`;
  return `
    CREATE TRIGGER ${table}_locked_insert BEFORE INSERT ON ${table} WHEN ${signed('NEW')} ${refuse}
    CREATE TRIGGER ${table}_locked_update BEFORE UPDATE ON ${table} WHEN ${signed('OLD')} ${refuse}
    CREATE TRIGGER ${table}_locked_delete BEFORE DELETE ON ${table} WHEN ${signed('OLD')} ${refuse}`;
}

export const agreementAndSignatures: Migration = {
  version: 3,
  name: '003-agreement-signatures',
  up(db) {
    db.exec(`
      CREATE TABLE agreement (
        explanation_id TEXT PRIMARY KEY REFERENCES explanations(id),
        case_id TEXT NOT NULL REFERENCES cases(id),
        pointing_hit INTEGER NOT NULL,
        pointing_x REAL NOT NULL,
        pointing_y REAL NOT NULL,
        mass_inside REAL NOT NULL,
        topk_iou REAL NOT NULL,
        topk_percent REAL NOT NULL,
        region_cells INTEGER NOT NULL,
        map_cells INTEGER NOT NULL,
        computed_at TEXT NOT NULL
      );
      CREATE INDEX agreement_case ON agreement(case_id);

      CREATE TABLE signatures (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id),
        revision INTEGER NOT NULL,
        signer TEXT NOT NULL,
        meaning TEXT NOT NULL CHECK (meaning IN ('review', 'approval', 'responsibility', 'authorship')),
        signed_at TEXT NOT NULL,
        record_sha256 TEXT NOT NULL,
        record_json TEXT NOT NULL,
        UNIQUE (case_id, revision)
      );
      CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
        BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
      CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
        BEGIN SELECT RAISE(ABORT, 'signatures cannot be deleted'); END;
      ${LOCKED_TABLES.map(lockTriggers).join('\n')}
    `);
  },
};
