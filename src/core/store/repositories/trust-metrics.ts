// Trust metrics stored per explanation (derived data: recomputable from the model, the image and the
// stored map, hence not audited); the latest computation replaces the one before.
import type { TrustMetrics } from '../../../api/metrics-schemas';
import type { Db } from '../db';

export function saveTrustMetrics(db: Db, caseId: string, explanationId: string, metrics: TrustMetrics): void {
  db.prepare(
    `INSERT INTO trust_metrics (explanation_id, case_id, metrics_json, computed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(explanation_id) DO UPDATE SET metrics_json = excluded.metrics_json, computed_at = excluded.computed_at`,
  ).run(explanationId, caseId, JSON.stringify(metrics), metrics.computedAt);
}

export function trustMetricsOfCase(db: Db, caseId: string): Map<string, TrustMetrics> {
  const rows = db.prepare('SELECT explanation_id, metrics_json FROM trust_metrics WHERE case_id = ?').all(caseId) as { explanation_id: string; metrics_json: string }[];
  return new Map(rows.map((row) => [row.explanation_id, JSON.parse(row.metrics_json) as TrustMetrics]));
}
