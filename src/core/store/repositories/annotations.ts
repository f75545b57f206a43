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

type AnnotationFields = Pick<AnnotationRow, 'kind' | 'points_json' | 'label' | 'note'>;

/** One audited change towards a new set: a shape to create or change, or one to remove. */
export type AnnotationChange = { action: 'create' | 'update'; id: string; fields: AnnotationFields } | { action: 'delete'; id: string };

/** The changes that make the stored set equal `next`: none when it already does. */
export function annotationChanges(db: Db, caseId: string, next: AnnotationInput[]): AnnotationChange[] {
  const current = new Map(listAnnotations(db, caseId).map((a) => [a.id, a]));
  const owner = db.prepare('SELECT case_id FROM annotations WHERE id = ?').pluck();
  const changes: AnnotationChange[] = [];
  for (const shape of next) {
    const fields = { kind: shape.kind, points_json: JSON.stringify(shape.points), label: shape.label ?? '', note: shape.note ?? '' };
    const existing = current.get(shape.id);
    current.delete(shape.id);
    if (!existing) {
      // An id used by another case is a client bug or an attack; never move a shape across cases.
      if (owner.get(shape.id) !== undefined) throw new Error(`annotation ${shape.id} belongs to another case`);
      changes.push({ action: 'create', id: shape.id, fields });
    } else if (existing.kind !== fields.kind || JSON.stringify(existing.points) !== fields.points_json || existing.label !== fields.label || existing.note !== fields.note) {
      changes.push({ action: 'update', id: shape.id, fields });
    }
  }
  for (const removed of current.keys()) changes.push({ action: 'delete', id: removed });
  return changes;
}

export function applyAnnotationChanges(db: Db, who: Who, caseId: string, changes: readonly AnnotationChange[], now: string): void {
  for (const change of changes) {
    if (change.action === 'create') {
      insertAudited(db, who, 'annotations', { id: change.id, case_id: caseId, ...change.fields, author: who.actor, created_at: now, updated_at: now }, caseId);
    } else if (change.action === 'update') {
      updateAudited(db, who, 'annotations', change.id, { ...change.fields, updated_at: now }, caseId);
    } else deleteAudited(db, who, 'annotations', change.id, caseId);
  }
}

/** Makes the stored set equal `next`; returns how many shapes were created, changed or removed. */
export function saveAnnotationSet(db: Db, who: Who, caseId: string, next: AnnotationInput[], now: string): number {
  const changes = annotationChanges(db, caseId, next);
  applyAnnotationChanges(db, who, caseId, changes, now);
  return changes.length;
}
