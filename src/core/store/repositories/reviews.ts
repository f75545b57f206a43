// Reviews: the clinician's verdicts on the prediction and on the explanation, with free text. Each
// submission is a new row tied to the case's revision; the latest one is the case's verdict.
import type { Review } from '../../../api/case-schemas';
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

interface ReviewRow {
  id: string;
  case_id: string;
  revision: number;
  prediction_verdict: Review['predictionVerdict'];
  explanation_verdict: Review['explanationVerdict'];
  comment: string;
  reviewer: string;
  created_at: string;
}

export function insertReview(db: Db, who: Who, caseId: string, review: Review): void {
  const row: ReviewRow = {
    id: review.id,
    case_id: caseId,
    revision: review.revision,
    prediction_verdict: review.predictionVerdict,
    explanation_verdict: review.explanationVerdict,
    comment: review.comment,
    reviewer: review.reviewer,
    created_at: review.createdAt,
  };
  insertAudited(db, who, 'reviews', { ...row }, caseId);
}

export function listReviews(db: Db, caseId: string): Review[] {
  const rows = db.prepare('SELECT * FROM reviews WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as ReviewRow[];
  return rows.map((row) => ({
    id: row.id,
    revision: row.revision,
    predictionVerdict: row.prediction_verdict,
    explanationVerdict: row.explanation_verdict,
    comment: row.comment,
    reviewer: row.reviewer,
    createdAt: row.created_at,
  }));
}
