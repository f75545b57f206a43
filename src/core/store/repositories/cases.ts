// Cases: the pseudonymous record a review is about. Rows are found by id or by pseudonym; every
// write goes through the audited helpers and moves `updated_at`.
import { ApiError } from '../../../api/contract';
import { CaseViewSchema, type CaseStatus, type CaseView } from '../../../api/case-schemas';
import { insertAudited, updateAudited, type Who } from '../audit';
import type { Db } from '../db';
import { nowIso } from '../ids';

export interface CaseRow {
  id: string;
  pseudonym: string;
  status: CaseStatus;
  revision: number;
  note: string;
  image_id: string | null;
  view_json: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export function findCase(db: Db, ref: string): CaseRow | undefined {
  return db.prepare('SELECT * FROM cases WHERE id = ? OR pseudonym = ? COLLATE NOCASE').get(ref, ref) as CaseRow | undefined;
}

export function requireCase(db: Db, ref: string): CaseRow {
  const row = findCase(db, ref);
  if (!row) throw new ApiError('NOT_FOUND', `No case "${ref}" in this data folder`);
  return row;
}

export function insertCase(db: Db, who: Who, row: CaseRow): void {
  insertAudited(db, who, 'cases', { ...row }, row.id);
}

/** Applies `changes` and returns the row as it now stands. */
export function updateCase(db: Db, who: Who, row: CaseRow, changes: Partial<Omit<CaseRow, 'id'>>, action = 'update'): CaseRow {
  updateAudited(db, who, 'cases', row.id, { ...changes, updated_at: nowIso() }, row.id, action);
  return requireCase(db, row.id);
}

export function parseView(row: CaseRow): CaseView {
  const parsed = CaseViewSchema.safeParse(JSON.parse(row.view_json || '{}'));
  return parsed.success ? parsed.data : { explanationId: null, display: {} };
}
