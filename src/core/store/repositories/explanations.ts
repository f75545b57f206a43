// Explanations stored with a case: method, parameters, target, seed, provenance and timing, the raw
// attribution and the display map as float32 little-endian blobs (the wire bytes, unchanged, so
// nothing is lost), and the display steps that derive the one from the other.
import { endianness } from 'node:os';
import type { Agreement, StoredExplanation } from '../../../api/case-schemas';
import type { Explanation, ParamValue, WireTensor } from '../../../api/schemas';
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

export interface ExplanationRow {
  id: string;
  case_id: string;
  prediction_id: string | null;
  method: string;
  params_json: string;
  target: number;
  target_label: string;
  seed: number | null;
  model_sha256: string;
  provider: string;
  started_at: string;
  duration_ms: number;
  evaluations: number;
  meaning: string;
  unit: string;
  signed: number;
  attribution_shape_json: string;
  attribution: Buffer;
  heatmap_shape_json: string;
  heatmap: Buffer;
  heatmap_min: number;
  heatmap_max: number;
  display_json: string;
  overlay_region_json: string;
  stats_json: string | null;
  created_at: string;
}

type ExplanationMeta = Omit<ExplanationRow, 'attribution' | 'heatmap'>;
const META_COLUMNS =
  'id, case_id, prediction_id, method, params_json, target, target_label, seed, model_sha256, provider, started_at, duration_ms, ' +
  'evaluations, meaning, unit, signed, attribution_shape_json, heatmap_shape_json, heatmap_min, heatmap_max, display_json, overlay_region_json, stats_json, created_at';

/** The row for an explanation result as the engine returned it. */
export function explanationRow(id: string, caseId: string, predictionId: string | null, result: Explanation, createdAt: string): ExplanationRow {
  const seed = result.params.seed;
  return {
    id,
    case_id: caseId,
    prediction_id: predictionId,
    method: result.method,
    params_json: JSON.stringify(result.params),
    target: result.target,
    target_label: result.targetLabel,
    seed: typeof seed === 'number' && Number.isInteger(seed) ? seed : null,
    model_sha256: result.modelSha256,
    provider: result.provider,
    started_at: result.startedAt,
    duration_ms: result.durationMs,
    evaluations: result.evaluations,
    meaning: result.meaning,
    unit: result.unit,
    signed: result.signed ? 1 : 0,
    attribution_shape_json: JSON.stringify(result.attribution.shape),
    attribution: Buffer.from(result.attribution.dataBase64, 'base64'),
    heatmap_shape_json: JSON.stringify(result.heatmap.shape),
    heatmap: Buffer.from(result.heatmap.dataBase64, 'base64'),
    heatmap_min: result.heatmapRange.min,
    heatmap_max: result.heatmapRange.max,
    display_json: JSON.stringify(result.display),
    overlay_region_json: JSON.stringify(result.overlayRegion),
    stats_json: result.stats ? JSON.stringify(result.stats) : null,
    created_at: createdAt,
  };
}

export function insertExplanation(db: Db, who: Who, row: ExplanationRow): void {
  insertAudited(db, who, 'explanations', { ...row }, row.case_id);
}

export function explanationMetaRows(db: Db, caseId: string): ExplanationMeta[] {
  return db.prepare(`SELECT ${META_COLUMNS} FROM explanations WHERE case_id = ? ORDER BY created_at, rowid`).all(caseId) as ExplanationMeta[];
}

export function explanationRows(db: Db, caseId: string): ExplanationRow[] {
  return db.prepare('SELECT * FROM explanations WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as ExplanationRow[];
}

/** What the agreement needs of an explanation: its display map and where it lies over the image. */
export type ExplanationHeatmapRow = Pick<ExplanationRow, 'id' | 'heatmap_shape_json' | 'heatmap' | 'overlay_region_json'>;

export function explanationHeatmapRows(db: Db, caseId: string): ExplanationHeatmapRow[] {
  return db
    .prepare('SELECT id, heatmap_shape_json, heatmap, overlay_region_json FROM explanations WHERE case_id = ? ORDER BY created_at, rowid')
    .all(caseId) as ExplanationHeatmapRow[];
}

/** Whether the case has the explanation (without reading any of it). */
export function hasExplanation(db: Db, caseId: string, explanationId: string): boolean {
  return db.prepare('SELECT 1 FROM explanations WHERE id = ? AND case_id = ?').get(explanationId, caseId) !== undefined;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** The first `count` float32 little-endian values of a stored map. */
export function float32Values(bytes: Buffer, count: number): Float32Array {
  if (LITTLE_ENDIAN && bytes.length >= 4 * count) {
    // A Float32Array view needs 4-byte alignment; a Buffer may start anywhere in its ArrayBuffer.
    if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
    return new Float32Array(new Uint8Array(bytes.subarray(0, 4 * count)).buffer);
  }
  // Big-endian hosts and short blobs (which throw here as they always did) read value by value.
  const values = new Float32Array(count);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readFloatLE(4 * i);
  return values;
}

export function toStoredExplanation(row: ExplanationMeta, agreement: Agreement | null): StoredExplanation {
  return {
    id: row.id,
    predictionId: row.prediction_id,
    method: row.method,
    params: JSON.parse(row.params_json) as Record<string, ParamValue>,
    target: row.target,
    targetLabel: row.target_label,
    seed: row.seed,
    modelSha256: row.model_sha256,
    provider: row.provider,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    evaluations: row.evaluations,
    unit: row.unit,
    signed: row.signed === 1,
    attributionShape: JSON.parse(row.attribution_shape_json) as number[],
    display: JSON.parse(row.display_json) as StoredExplanation['display'],
    heatmapRange: { min: row.heatmap_min, max: row.heatmap_max },
    createdAt: row.created_at,
    agreement,
  };
}

function wire(shapeJson: string, bytes: Buffer): WireTensor {
  return { shape: JSON.parse(shapeJson) as number[], dtype: 'float32', dataBase64: bytes.toString('base64') };
}

/** The stored explanation as the viewer draws it, bit for bit what was computed. */
export function toExplanation(row: ExplanationRow, inputId: string): Explanation {
  const meta = toStoredExplanation(row, null);
  return {
    method: meta.method,
    params: meta.params,
    target: meta.target,
    targetLabel: meta.targetLabel,
    modelSha256: meta.modelSha256,
    inputId,
    provider: meta.provider,
    startedAt: meta.startedAt,
    durationMs: meta.durationMs,
    evaluations: meta.evaluations,
    meaning: row.meaning,
    unit: meta.unit,
    signed: meta.signed,
    attribution: wire(row.attribution_shape_json, row.attribution),
    display: meta.display.map((step) => ({ op: step.op, args: step.args ?? {} })),
    heatmap: wire(row.heatmap_shape_json, row.heatmap),
    heatmapRange: meta.heatmapRange,
    overlayRegion: JSON.parse(row.overlay_region_json) as Explanation['overlayRegion'],
    ...(row.stats_json ? { stats: JSON.parse(row.stats_json) as Explanation['stats'] } : {}),
    recordId: row.id,
  };
}
