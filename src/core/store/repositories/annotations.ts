// Annotations of a case: vector shapes in image coordinates. The UI sends the whole current set
// after each edit; saving diffs it against the stored set, so each created, changed or removed
// shape is one audited change and an unchanged shape is not touched.
import type { Annotation, AnnotationInput } from '../../../api/case-schemas';
import { deleteAudited, insertAudited, updateAudited, type Who } from '../audit';
import type { Db } from '../db';

interface AnnotationRow {
  id: string;
  case_id: string;
  kind: Annotation['kind'];
  points_json: string;
  label: string;
  note: string;
  author: string;
  created_at: string;
  updated_at: string;
}

export function listAnnotations(db: Db, caseId: string): Annotation[] {
  const rows = db.prepare('SELECT * FROM annotations WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as AnnotationRow[];
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    points: JSON.parse(row.points_json) as Annotation['points'],
    label: row.label,
    note: row.note,
    author: row.author,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** Makes the stored set equal `next`; returns how many shapes were created, changed or removed. */
export function saveAnnotationSet(db: Db, who: Who, caseId: string, next: AnnotationInput[], now: string): number {
  const current = new Map(listAnnotations(db, caseId).map((a) => [a.id, a]));
  const owner = db.prepare('SELECT case_id FROM annotations WHERE id = ?').pluck();
  let changes = 0;
  for (const shape of next) {
    const fields = { kind: shape.kind, points_json: JSON.stringify(shape.points), label: shape.label ?? '', note: shape.note ?? '' };
    const existing = current.get(shape.id);
    current.delete(shape.id);
    if (!existing) {
      // An id used by another case is a client bug or an attack; never move a shape across cases.
      if (owner.get(shape.id) !== undefined) throw new Error(`annotation ${shape.id} belongs to another case`);
      insertAudited(db, who, 'annotations', { id: shape.id, case_id: caseId, ...fields, author: who.actor, created_at: now, updated_at: now }, caseId);
      changes += 1;
    } else if (existing.kind !== fields.kind || JSON.stringify(existing.points) !== fields.points_json || existing.label !== fields.label || existing.note !== fields.note) {
      updateAudited(db, who, 'annotations', shape.id, { ...fields, updated_at: now }, caseId);
      changes += 1;
    }
  }
  for (const removed of current.keys()) {
    deleteAudited(db, who, 'annotations', removed, caseId);
    changes += 1;
  }
  return changes;
}
