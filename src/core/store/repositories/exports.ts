// Exports of a case (PDF reports): what was written, where, its SHA-256, by whom and when. Each row
// is inserted through the audited helper, so every export is in the audit trail; an export is not
// clinical content, so it neither needs nor opens a new revision of a signed case.
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

export interface ExportRow {
  id: string;
  case_id: string;
  kind: string;
  /** the file written, or "download:<name>" for bytes handed to a browser */
  path: string;
  sha256: string;
  created_by: string;
  created_at: string;
}

export function insertExport(db: Db, who: Who, row: ExportRow): void {
  insertAudited(db, who, 'exports', { ...row }, row.case_id);
}

