// The case list: summaries with the latest prediction and verdict, filtered (full text, status,
// model, predicted class, verdict, creation dates), sorted and paged; and full-text search with a
// highlighted snippet. User words become quoted FTS5 prefix terms, so no input is FTS syntax.
import type { CaseList, CaseListQuery, CaseSummary } from '../../api/case-schemas';
import type { ClassScore } from '../../api/schemas';
import type { Db } from './db';
import type { CaseRow } from './repositories/cases';

type ParsedQuery = Required<Pick<CaseListQuery, 'sort' | 'order' | 'limit' | 'offset'>> & Omit<CaseListQuery, 'sort' | 'order' | 'limit' | 'offset'>;

interface SummaryRow extends CaseRow {
  model_name: string | null;
  top_json: string | null;
  prediction_verdict: CaseSummary['predictionVerdict'];
  explanation_verdict: CaseSummary['explanationVerdict'];
  explanation_count: number;
  annotation_count: number;
}

const SUMMARY_FROM = `
  FROM cases c
  LEFT JOIN predictions lp ON lp.id = (SELECT id FROM predictions WHERE case_id = c.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
  LEFT JOIN reviews lr ON lr.id = (SELECT id FROM reviews WHERE case_id = c.id ORDER BY created_at DESC, rowid DESC LIMIT 1)`;

const SUMMARY_SELECT = `
  SELECT c.*, lp.model_name, lp.top_json, lr.prediction_verdict, lr.explanation_verdict,
    (SELECT count(*) FROM explanations e WHERE e.case_id = c.id) AS explanation_count,
    (SELECT count(*) FROM annotations a WHERE a.case_id = c.id) AS annotation_count
  ${SUMMARY_FROM}`;

const SORT_COLUMNS: Record<ParsedQuery['sort'], string> = {
  updated: 'c.updated_at',
  created: 'c.created_at',
  pseudonym: 'c.pseudonym',
  status: 'c.status',
};

/** Free text → an FTS5 query: every word must match as a prefix; null when no word remains. */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '').trim())
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

function toSummary(row: SummaryRow): CaseSummary {
  const top = row.top_json ? (JSON.parse(row.top_json) as ClassScore[]) : [];
  return {
    id: row.id,
    pseudonym: row.pseudonym,
    status: row.status,
    revision: row.revision,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    modelName: row.model_name,
    predictedClass: top[0] ?? null,
    predictionVerdict: row.prediction_verdict ?? null,
    explanationVerdict: row.explanation_verdict ?? null,
    explanationCount: row.explanation_count,
    annotationCount: row.annotation_count,
  };
}

export function caseSummary(db: Db, caseId: string): CaseSummary {
  return toSummary(db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`).get(caseId) as SummaryRow);
}

export function listCases(db: Db, query: ParsedQuery): CaseList {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.text !== undefined) {
    const match = ftsQuery(query.text);
    if (match) {
      where.push('c.rowid IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)');
      params.push(match);
    }
  }
  if (query.status) {
    where.push('c.status = ?');
    params.push(query.status);
  }
  if (query.model) {
    where.push("EXISTS (SELECT 1 FROM predictions p WHERE p.case_id = c.id AND (p.model_sha256 LIKE ? || '%' OR p.model_name = ? COLLATE NOCASE))");
    params.push(query.model.toLowerCase(), query.model);
  }
  if (query.predictedClass) {
    where.push('(CAST(lp.top_index AS TEXT) = ? OR lp.top_label = ? COLLATE NOCASE)');
    params.push(query.predictedClass, query.predictedClass);
  }
  if (query.verdict) {
    where.push('lr.prediction_verdict = ?');
    params.push(query.verdict);
  }
  if (query.from) {
    where.push('c.created_at >= ?');
    params.push(query.from);
  }
  if (query.to) {
    // A date-only bound includes its whole day: compare the same-length prefix.
    where.push('substr(c.created_at, 1, length(?)) <= ?');
    params.push(query.to, query.to);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const total = db.prepare(`SELECT count(*) ${SUMMARY_FROM} ${whereSql}`).pluck().get(...params) as number;
  const rows = db
    .prepare(`${SUMMARY_SELECT} ${whereSql} ORDER BY ${SORT_COLUMNS[query.sort]} ${direction}, c.rowid ${direction} LIMIT ? OFFSET ?`)
    .all(...params, query.limit, query.offset) as SummaryRow[];
  return { total, cases: rows.map(toSummary) };
}

export function searchCases(db: Db, text: string, limit: number): { summary: CaseSummary; snippet: string }[] {
  const match = ftsQuery(text);
  if (!match) return [];
  const hits = db
    .prepare("SELECT rowid, snippet(case_search, -1, '[', ']', '…', 12) AS snippet FROM case_search WHERE case_search MATCH ? ORDER BY rank LIMIT ?")
    .all(match, limit) as { rowid: number; snippet: string }[];
  const byRowid = db.prepare(`${SUMMARY_SELECT} WHERE c.rowid = ?`);
  return hits.map((hit) => ({ summary: toSummary(byRowid.get(hit.rowid) as SummaryRow), snippet: hit.snippet }));
}
