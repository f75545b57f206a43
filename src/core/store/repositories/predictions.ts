// Predictions stored with a case: the model's identity (SHA-256, name, version, path), the provider
// that ran it, and every score.
import type { StoredPrediction } from '../../../api/case-schemas';
import type { Activation, ClassScore } from '../../../api/schemas';
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

export interface PredictionRow {
  id: string;
  case_id: string;
  model_sha256: string;
  model_name: string;
  model_version: string | null;
  model_path: string;
  provider: string;
  /** written from the prediction, so always one of the card's activations */
  activation: Activation;
  logits_json: string;
  probabilities_json: string;
  top_json: string;
  top_index: number | null;
  top_label: string | null;
  duration_ms: number;
  created_at: string;
}

export function insertPrediction(db: Db, who: Who, row: PredictionRow): void {
  insertAudited(db, who, 'predictions', { ...row }, row.case_id);
}

export function predictionRows(db: Db, caseId: string): PredictionRow[] {
  return db.prepare('SELECT * FROM predictions WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as PredictionRow[];
}

/** The latest prediction of this model in the case, if any. */
export function latestPredictionOf(db: Db, caseId: string, modelSha256: string): PredictionRow | undefined {
  return db
    .prepare('SELECT * FROM predictions WHERE case_id = ? AND model_sha256 = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
    .get(caseId, modelSha256) as PredictionRow | undefined;
}

export function toStoredPrediction(row: PredictionRow): StoredPrediction {
  return {
    id: row.id,
    modelSha256: row.model_sha256,
    modelName: row.model_name,
    modelVersion: row.model_version,
    modelPath: row.model_path,
    provider: row.provider,
    activation: row.activation,
    logits: JSON.parse(row.logits_json) as number[],
    probabilities: JSON.parse(row.probabilities_json) as number[],
    top: JSON.parse(row.top_json) as ClassScore[],
    createdAt: row.created_at,
  };
}
