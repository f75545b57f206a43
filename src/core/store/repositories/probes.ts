// Probes saved with a case as counterfactuals: the painted mask, the masker and its parameters, and
// the target's score and probability without and with the region hidden (audited case content).
import type { BinaryMask, ClassScore, ParamValue, StoredProbe } from '../../../api/schemas';
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

export interface ProbeRow {
  id: string;
  case_id: string;
  model_sha256: string;
  /** the probed image: the case image's SHA-256 (an open input's id) */
  input_sha256: string;
  target: number;
  target_label: string;
  masker: string;
  masker_params_json: string;
  mask_json: string;
  /** the part of the image the mask covers (the model's crop), as fractions */
  region_json: string;
  masked_pixels: number;
  base_score: number;
  score: number;
  delta: number;
  base_probability: number;
  probability: number;
  top_json: string;
  provider: string;
  note: string;
  author: string;
  created_at: string;
}

export function insertProbe(db: Db, who: Who, row: ProbeRow): void {
  insertAudited(db, who, 'probes', { ...row }, row.case_id);
}

export function probeRows(db: Db, caseId: string): ProbeRow[] {
  return db.prepare('SELECT * FROM probes WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as ProbeRow[];
}

export function toStoredProbe(row: ProbeRow): StoredProbe {
  return {
    id: row.id,
    modelSha256: row.model_sha256,
    target: row.target,
    targetLabel: row.target_label,
    masker: row.masker as StoredProbe['masker'],
    maskerParams: JSON.parse(row.masker_params_json) as Record<string, ParamValue>,
    mask: JSON.parse(row.mask_json) as BinaryMask,
    region: JSON.parse(row.region_json) as StoredProbe['region'],
    maskedPixels: row.masked_pixels,
    baseScore: row.base_score,
    score: row.score,
    delta: row.delta,
    baseProbability: row.base_probability,
    probability: row.probability,
    top: JSON.parse(row.top_json) as ClassScore[],
    provider: row.provider,
    note: row.note,
    author: row.author,
    createdAt: row.created_at,
  };
}
