// Agreement metrics stored per explanation (derived data: recomputed from the stored map and the
// annotations whenever either changes, hence not audited).
import type { Agreement } from '../../../api/case-schemas';
import type { Db } from '../db';

interface AgreementRow {
  explanation_id: string;
  case_id: string;
  pointing_hit: number;
  pointing_x: number;
  pointing_y: number;
  mass_inside: number;
  topk_iou: number;
  topk_percent: number;
  relevance_rank: number | null;
  region_cells: number;
  map_cells: number;
  computed_at: string;
}

/** Replaces the case's stored agreement; explanations missing from `byExplanation` get none. */
export function replaceAgreement(db: Db, caseId: string, byExplanation: Map<string, Agreement>): void {
  db.prepare('DELETE FROM agreement WHERE case_id = ?').run(caseId);
  const insert = db.prepare(
    `INSERT INTO agreement (explanation_id, case_id, pointing_hit, pointing_x, pointing_y, mass_inside, topk_iou, topk_percent, relevance_rank, region_cells, map_cells, computed_at)
     VALUES (@explanation_id, @case_id, @pointing_hit, @pointing_x, @pointing_y, @mass_inside, @topk_iou, @topk_percent, @relevance_rank, @region_cells, @map_cells, @computed_at)`,
  );
  for (const [explanationId, a] of byExplanation) {
    const row: AgreementRow = {
      explanation_id: explanationId,
      case_id: caseId,
      pointing_hit: a.pointingHit ? 1 : 0,
      pointing_x: a.pointingAt[0],
      pointing_y: a.pointingAt[1],
      mass_inside: a.massInside,
      topk_iou: a.topKIoU,
      topk_percent: a.topKPercent,
      relevance_rank: a.relevanceRank ?? null,
      region_cells: a.regionCells,
      map_cells: a.mapCells,
      computed_at: a.computedAt,
    };
    insert.run(row);
  }
}

export function agreementOfCase(db: Db, caseId: string): Map<string, Agreement> {
  const rows = db.prepare('SELECT * FROM agreement WHERE case_id = ?').all(caseId) as AgreementRow[];
  return new Map(
    rows.map((row) => [
      row.explanation_id,
      {
        pointingHit: row.pointing_hit === 1,
        pointingAt: [row.pointing_x, row.pointing_y],
        massInside: row.mass_inside,
        topKIoU: row.topk_iou,
        topKPercent: row.topk_percent,
        relevanceRank: row.relevance_rank,
        regionCells: row.region_cells,
        mapCells: row.map_cells,
        computedAt: row.computed_at,
      },
    ]),
  );
}
