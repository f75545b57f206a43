// Concept interventions stored with a case: the model's own concept values, the clinician's
// overrides, what the label head received and the label it gave (audited case content).
import type { StoredIntervention } from '../../../api/demo-schemas';
import type { ClassScore } from '../../../api/schemas';
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

export interface InterventionRow {
  id: string;
  case_id: string;
  model_sha256: string;
  predicted_concepts_json: string;
  overrides_json: string;
  concepts_json: string;
  logits_json: string;
  probabilities_json: string;
  top_json: string;
  author: string;
  created_at: string;
}

export function insertIntervention(db: Db, who: Who, row: InterventionRow): void {
  insertAudited(db, who, 'interventions', { ...row }, row.case_id);
}

export function interventionRows(db: Db, caseId: string): InterventionRow[] {
  return db.prepare('SELECT * FROM interventions WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as InterventionRow[];
}

export function toStoredIntervention(row: InterventionRow): StoredIntervention {
  return {
    id: row.id,
    modelSha256: row.model_sha256,
    predictedConcepts: JSON.parse(row.predicted_concepts_json) as number[],
    overrides: JSON.parse(row.overrides_json) as StoredIntervention['overrides'],
    concepts: JSON.parse(row.concepts_json) as number[],
    logits: JSON.parse(row.logits_json) as number[],
    probabilities: JSON.parse(row.probabilities_json) as number[],
    top: JSON.parse(row.top_json) as ClassScore[],
    author: row.author,
    createdAt: row.created_at,
  };
}
