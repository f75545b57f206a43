// The case store: one SQLite database (cases.sqlite) and an images/ folder in a data folder. Every
// public change is one transaction that also appends its audit rows; changing a signed case first
// opens a new revision. Reads assemble the api's case records; verify checks integrity_check, the
// audit chain, signatures and stored image files; backup/restore copy the whole database safely.
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../api/contract';
import type {
  Agreement,
  AnnotationInput,
  CaseDetail,
  CaseList,
  CaseVerification,
  CaseView,
  Review,
  SignatureMeaning,
  Verdict,
} from '../../api/case-schemas';
import type { Intervention } from '../../api/demo-schemas';
import type { TrustMetrics } from '../../api/metrics-schemas';
import type { BinaryMask, Explanation, ModelInfo, ParamValue, Prediction, ProbeResult, Region } from '../../api/schemas';
import { agreementWithRegions } from '../metrics/agreement';
import { isRegion, mapGrid } from '../metrics/region-mask';
import { canonicalJson, rowSnapshot, sha256Hex, snapshotOf, verifyAudit, type AuditedTable, type Who } from './audit';
import { integrityCheck, openCaseDatabase, schemaVersion, storeError, type Db, type OpenOptions } from './db';
import { fileSha256, storeImageFile } from './image-files';
import { newId, newPseudonym, nowIso } from './ids';
import { agreementOfCase, replaceAgreement } from './repositories/agreement';
import { annotationChanges, applyAnnotationChanges, listAnnotations } from './repositories/annotations';
import { findCase, insertCase, parseView, requireCase, updateCase, type CaseRow } from './repositories/cases';
import {
  explanationHeatmapRows,
  explanationMetaRows,
  explanationRow,
  explanationRows,
  float32Values,
  hasExplanation,
  insertExplanation,
  toExplanation,
  toStoredExplanation,
} from './repositories/explanations';
import { insertExport } from './repositories/exports';
import { findImage, insertImageIfNew, listImages, toStoredImage } from './repositories/images';
import { insertPrediction, latestPredictionOf, predictionRows, toStoredPrediction } from './repositories/predictions';
import { insertIntervention, interventionRows, toStoredIntervention } from './repositories/interventions';
import { insertProbe, probeRows, toStoredProbe } from './repositories/probes';
import { insertReview, listReviews } from './repositories/reviews';
import { insertSignature, listSignatures, signaturesWithBrokenRecords } from './repositories/signatures';
import { saveTrustMetrics, trustMetricsOfCase } from './repositories/trust-metrics';
import { caseSummary, listCases, searchCases } from './search';

export const DATABASE_FILE = 'cases.sqlite';

/** What a new case's image is: an opened input and the file it came from. */
export interface CaseImageSource {
  path: string;
  sha256: string;
  name: string;
  kind: 'image' | 'tensor';
  format: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: number;
  dicom?: Record<string, unknown> | null;
}

/** Tables whose rows belong to one case (a signed record holds all of them). */
const CASE_CONTENT: AuditedTable[] = ['predictions', 'explanations', 'annotations', 'reviews'];
/**
 * Case content that joined the signed record later (interventions in schema 4, probes in 5): listed
 * only when the case has rows there, so that records of cases without them hash as before.
 */
const LATER_CASE_CONTENT: AuditedTable[] = ['interventions', 'probes'];

/** A probe to keep with a case: which model and image, what was hidden and how, and what the model said. */
export interface ProbeRecord {
  modelSha256: string;
  /** the probed input's id, which is its file's SHA-256: must be the case's image */
  inputSha256: string;
  mask: BinaryMask;
  /** the part of the image the mask covers (the model's crop), as fractions */
  region: Region;
  /** the masker's parameters as the probe resolved them (defaults filled in) */
  maskerParams: Record<string, ParamValue>;
  result: ProbeResult;
  note: string;
}

export class CaseStore {
  private constructor(
    readonly dataDir: string,
    readonly db: Db,
  ) {}

  static async open(dataDir: string, options: OpenOptions = {}): Promise<CaseStore> {
    try {
      await mkdir(dataDir, { recursive: true });
    } catch (error) {
      throw new ApiError('BAD_INPUT', `The data folder ${dataDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    return new CaseStore(dataDir, await openCaseDatabase(join(dataDir, DATABASE_FILE), options));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** One transaction; a failure rolls everything in it back and becomes a clear ApiError. */
  private write<T>(doing: string, change: () => T): T {
    try {
      return this.db.transaction(change)();
    } catch (error) {
      throw storeError(error, doing);
    }
  }

  private read<T>(doing: string, query: () => T): T {
    try {
      return query();
    } catch (error) {
      throw storeError(error, doing);
    }
  }

  async createCase(image: CaseImageSource, options: { pseudonym?: string; note?: string }, who: Who): Promise<CaseDetail> {
    const file = await storeImageFile(this.dataDir, image.path, image.sha256);
    try {
      const caseId = this.write('create the case', () => {
        const now = nowIso();
        insertImageIfNew(this.db, who, {
          id: image.sha256,
          file_name: image.name,
          stored_path: file.relativePath,
          kind: image.kind,
          format: image.format,
          width: image.width,
          height: image.height,
          channels: image.channels,
          bit_depth: image.bitDepth,
          byte_size: file.byteSize,
          dicom_json: image.dicom ? JSON.stringify(image.dicom) : null,
          created_at: now,
        }, null);
        if (options.pseudonym && findCase(this.db, options.pseudonym)) throw new ApiError('BAD_INPUT', `A case named ${options.pseudonym} already exists`);
        let pseudonym = options.pseudonym ?? newPseudonym();
        while (findCase(this.db, pseudonym)) pseudonym = newPseudonym();
        const id = newId();
        const view: CaseView = { explanationId: null, display: {} };
        insertCase(this.db, who, {
          id,
          pseudonym,
          status: 'new',
          revision: 1,
          note: options.note ?? '',
          image_id: image.sha256,
          view_json: JSON.stringify(view),
          created_by: who.actor,
          created_at: now,
          updated_at: now,
        });
        return id;
      });
      return this.detail(caseId);
    } catch (error) {
      if (file.created && !this.read('check the image', () => findImage(this.db, image.sha256))) await rm(join(this.dataDir, file.relativePath), { force: true });
      throw error;
    }
  }

  /** Stores a prediction in the case; returns its id. */
  addPrediction(caseRef: string, model: ModelInfo, prediction: Prediction, who: Who): string {
    return this.write('store the prediction', () => {
      const row = this.openForChange(requireCase(this.db, caseRef), who, false);
      const id = newId();
      const top = prediction.top[0];
      insertPrediction(this.db, who, {
        id,
        case_id: row.id,
        model_sha256: model.sha256,
        model_name: model.name,
        model_version: model.version ?? null,
        model_path: model.path,
        provider: prediction.provider,
        activation: prediction.activation,
        logits_json: JSON.stringify(prediction.logits),
        probabilities_json: JSON.stringify(prediction.probabilities),
        top_json: JSON.stringify(prediction.top),
        top_index: top?.index ?? null,
        top_label: top?.label ?? null,
        duration_ms: prediction.durationMs,
        created_at: nowIso(),
      });
      updateCase(this.db, who, row, {});
      return id;
    });
  }

  latestPredictionId(caseRef: string, modelSha256: string): string | null {
    return this.read('read the case', () => latestPredictionOf(this.db, requireCase(this.db, caseRef).id, modelSha256)?.id ?? null);
  }

  /** Stores an explanation in the case and shows it; returns its id. */
  addExplanation(caseRef: string, result: Explanation, predictionId: string | null, who: Who): string {
    return this.write('store the explanation', () => {
      const row = this.openForChange(requireCase(this.db, caseRef), who, false);
      const id = newId();
      insertExplanation(this.db, who, explanationRow(id, row.id, predictionId, result, nowIso()));
      const view = parseView(row);
      this.recomputeAgreement(updateCase(this.db, who, row, { view_json: JSON.stringify({ ...view, explanationId: id }) }));
      return id;
    });
  }

  /** Stores a concept intervention (the clinician's overrides and the recomputed label); returns its id. */
  addIntervention(caseRef: string, modelSha256: string, intervention: Intervention, who: Who): string {
    return this.write('store the intervention', () => {
      const row = this.openForChange(requireCase(this.db, caseRef), who, true);
      const id = newId();
      insertIntervention(this.db, who, {
        id,
        case_id: row.id,
        model_sha256: modelSha256,
        predicted_concepts_json: JSON.stringify(intervention.predictedConcepts),
        overrides_json: JSON.stringify(intervention.overrides),
        concepts_json: JSON.stringify(intervention.concepts),
        logits_json: JSON.stringify(intervention.logits),
        probabilities_json: JSON.stringify(intervention.probabilities),
        top_json: JSON.stringify(intervention.top),
        author: who.actor,
        created_at: nowIso(),
      });
      updateCase(this.db, who, row, {});
      return id;
    });
  }

  /**
   * Stores a probe as a counterfactual; returns its id. On a signed case it starts the next revision,
   * as any change does; refused when the probed image is not the case's image.
   */
  addProbe(caseRef: string, probe: ProbeRecord, who: Who): string {
    return this.write('store the probe', () => {
      // Like every other change, a probe saved to a signed case starts its next revision; the
      // signature stays bound to the record as it was signed.
      const row = requireCase(this.db, caseRef);
      if (!row.image_id) throw new ApiError('BAD_PARAMS', `Case ${row.pseudonym} has no image, so no probe can be saved to it`);
      if (row.image_id !== probe.inputSha256) {
        throw new ApiError('BAD_PARAMS', `The probe was made on image ${probe.inputSha256.slice(0, 12)}…, not on the image of case ${row.pseudonym} (${row.image_id.slice(0, 12)}…)`);
      }
      const editable = this.openForChange(row, who, true);
      const { result } = probe;
      const id = newId();
      insertProbe(this.db, who, {
        id,
        case_id: editable.id,
        model_sha256: probe.modelSha256,
        input_sha256: probe.inputSha256,
        target: result.target,
        target_label: result.targetLabel,
        masker: result.masker,
        masker_params_json: JSON.stringify(probe.maskerParams),
        mask_json: JSON.stringify(probe.mask),
        region_json: JSON.stringify(probe.region),
        masked_pixels: result.maskedPixels,
        base_score: result.baseScore,
        score: result.score,
        delta: result.delta,
        base_probability: result.baseProbability,
        probability: result.probability,
        top_json: JSON.stringify(result.top),
        provider: result.provider,
        note: probe.note,
        author: who.actor,
        created_at: nowIso(),
      });
      updateCase(this.db, who, editable, {});
      return id;
    });
  }

  /** Keeps the trust metrics computed for one of the case's explanations (replacing earlier ones). */
  setTrustMetrics(caseRef: string, explanationId: string, metrics: TrustMetrics): void {
    this.write('store the trust metrics', () => {
      const row = requireCase(this.db, caseRef);
      if (!hasExplanation(this.db, row.id, explanationId)) throw new ApiError('BAD_PARAMS', `Explanation ${explanationId} is not part of case ${row.pseudonym}`);
      saveTrustMetrics(this.db, row.id, explanationId, metrics);
    });
  }

  /** Records an export of the case (e.g. its PDF report) in the audit trail; returns its id. */
  recordExport(caseRef: string, file: { kind: string; path: string; sha256: string }, who: Who): string {
    return this.write('record the export', () => {
      const id = newId();
      insertExport(this.db, who, { id, case_id: requireCase(this.db, caseRef).id, ...file, created_by: who.actor, created_at: nowIso() });
      return id;
    });
  }

  updateNote(caseRef: string, note: string, who: Who): CaseDetail {
    const id = this.write('save the note', () => {
      const row = requireCase(this.db, caseRef);
      if (row.note === note) return row.id;
      updateCase(this.db, who, this.openForChange(row, who, true), { note });
      return row.id;
    });
    return this.detail(id);
  }

  /** What is shown (which explanation, how): not clinical content, so a signed case stays signed. */
  setView(caseRef: string, view: CaseView, who: Who): CaseDetail {
    const id = this.write('save the view', () => {
      const row = requireCase(this.db, caseRef);
      const known = new Set(explanationMetaRows(this.db, row.id).map((e) => e.id));
      if (view.explanationId !== null && !known.has(view.explanationId)) throw new ApiError('BAD_PARAMS', `Explanation ${view.explanationId} is not part of case ${row.pseudonym}`);
      const display = Object.fromEntries(Object.entries(view.display).filter(([explanationId]) => known.has(explanationId)));
      const json = JSON.stringify({ explanationId: view.explanationId, display });
      if (json !== row.view_json) updateCase(this.db, who, row, { view_json: json }, 'view');
      return row.id;
    });
    return this.detail(id);
  }

  saveAnnotations(caseRef: string, annotations: AnnotationInput[], who: Who): CaseDetail {
    const ids = new Set<string>();
    for (const a of annotations) {
      if (ids.has(a.id)) throw new ApiError('BAD_PARAMS', `Annotation id ${a.id} appears twice`);
      ids.add(a.id);
    }
    const id = this.write('save the annotations', () => {
      const row = requireCase(this.db, caseRef);
      const changes = annotationChanges(this.db, row.id, annotations);
      // An unchanged set opens no revision of a signed case.
      if (changes.length === 0) return row.id;
      const editable = this.openForChange(row, who, true);
      applyAnnotationChanges(this.db, who, editable.id, changes, nowIso());
      this.recomputeAgreement(updateCase(this.db, who, editable, {}));
      return row.id;
    });
    return this.detail(id);
  }

  review(caseRef: string, verdicts: { predictionVerdict: Verdict; explanationVerdict: Verdict; comment: string }, who: Who): CaseDetail {
    const id = this.write('save the review', () => {
      const row = this.openForChange(requireCase(this.db, caseRef), who, true);
      const review: Review = { id: newId(), revision: row.revision, ...verdicts, reviewer: who.actor, createdAt: nowIso() };
      insertReview(this.db, who, row.id, review);
      updateCase(this.db, who, row, {});
      return row.id;
    });
    return this.detail(id);
  }

  /** Signs the current revision: binds signer, time and meaning to a hash of the record, then locks it. */
  sign(caseRef: string, signer: string, meaning: SignatureMeaning, who: Who): CaseDetail {
    const id = this.write('sign the case', () => {
      const row = requireCase(this.db, caseRef);
      if (row.status === 'signed') throw new ApiError('BAD_INPUT', `Case ${row.pseudonym} is already signed (revision ${row.revision}); a change opens a new revision to sign`);
      if (!listReviews(this.db, row.id).some((r) => r.revision === row.revision)) {
        throw new ApiError('BAD_INPUT', `Record a verdict for revision ${row.revision} of ${row.pseudonym} before signing it`);
      }
      const recordJson = canonicalJson(this.signedRecord(row));
      const signedAt = nowIso();
      insertSignature(this.db, who, row.id, { id: newId(), revision: row.revision, signer, meaning, signedAt, recordSha256: sha256Hex(recordJson) }, recordJson);
      updateCase(this.db, who, row, { status: 'signed' }, 'sign');
      return row.id;
    });
    return this.detail(id);
  }

  /** Throws NOT_FOUND when no case is `caseRef` (by id or pseudonym); reads nothing else. */
  requireCase(caseRef: string): void {
    this.read('read the case', () => requireCase(this.db, caseRef));
  }

  detail(caseRef: string): CaseDetail {
    return this.read('read the case', () => {
      const row = requireCase(this.db, caseRef);
      const image = row.image_id ? findImage(this.db, row.image_id) : undefined;
      const agreement = agreementOfCase(this.db, row.id);
      const trust = trustMetricsOfCase(this.db, row.id);
      return {
        summary: caseSummary(this.db, row.id),
        image: image ? toStoredImage(image) : null,
        predictions: predictionRows(this.db, row.id).map(toStoredPrediction),
        explanations: explanationMetaRows(this.db, row.id).map((e) => ({ ...toStoredExplanation(e, agreement.get(e.id) ?? null), trust: trust.get(e.id) ?? null })),
        annotations: listAnnotations(this.db, row.id),
        reviews: listReviews(this.db, row.id),
        signatures: listSignatures(this.db, row.id),
        view: parseView(row),
        interventions: interventionRows(this.db, row.id).map(toStoredIntervention),
        probes: probeRows(this.db, row.id).map(toStoredProbe),
      };
    });
  }

  /** The stored explanations as the viewer draws them, tied to `inputId` (the reopened image). */
  explanationRecords(caseRef: string, inputId: string): Explanation[] {
    return this.read('read the explanations', () => explanationRows(this.db, requireCase(this.db, caseRef).id).map((row) => toExplanation(row, inputId)));
  }

  /** Absolute path of the case's stored image file, or null when it has none. */
  imagePath(caseRef: string): string | null {
    return this.read('read the case', () => {
      const row = requireCase(this.db, caseRef);
      const image = row.image_id ? findImage(this.db, row.image_id) : undefined;
      return image ? join(this.dataDir, image.stored_path) : null;
    });
  }

  list(query: Parameters<typeof listCases>[1]): CaseList {
    return this.read('list the cases', () => listCases(this.db, query));
  }

  search(text: string, limit: number): ReturnType<typeof searchCases> {
    return this.read('search the cases', () => searchCases(this.db, text, limit));
  }

  async verify(): Promise<CaseVerification> {
    const { integrity, audit, problems, images } = this.read('verify the database', () => {
      const signatureProblems = signaturesWithBrokenRecords(this.db).map((s) => `${s}: the signed record no longer matches its hash`);
      const audit = verifyAudit(this.db);
      return { integrity: integrityCheck(this.db), audit, problems: [...audit.problems, ...signatureProblems], images: listImages(this.db) };
    });
    for (const image of images) {
      const actual = await fileSha256(join(this.dataDir, image.stored_path));
      if (actual === null) problems.push(`image file ${image.stored_path} (${image.file_name}) is missing`);
      else if (actual !== image.id) problems.push(`image file ${image.stored_path} (${image.file_name}) was changed`);
    }
    const integrityOk = integrity.length === 1 && integrity[0] === 'ok';
    return { ok: integrityOk && problems.length === 0, schemaVersion: schemaVersion(this.db), auditRows: audit.rows, integrity, auditOk: audit.problems.length === 0, problems };
  }

  /** A consistent copy of the database (SQLite's online backup), taken while the app keeps working. */
  async backup(destination: string): Promise<void> {
    try {
      await this.db.backup(destination);
    } catch (error) {
      throw storeError(error, `back up to ${destination}`);
    }
  }

  /**
   * Replaces the data folder's database with a backup, after checking that the backup is sound and
   * not newer than this build. The store of that folder must be closed first.
   */
  static async restore(dataDir: string, backupPath: string): Promise<void> {
    const probe = await openCaseDatabase(backupPath).catch((error: unknown) => {
      throw new ApiError('BAD_INPUT', `${backupPath} cannot be restored: ${(error as Error).message}`);
    });
    try {
      const integrity = integrityCheck(probe);
      if (integrity[0] !== 'ok') throw new ApiError('BAD_INPUT', `${backupPath} cannot be restored: integrity_check says ${integrity.join('; ')}`);
      probe.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      probe.close();
    }
    const target = join(dataDir, DATABASE_FILE);
    const partial = `${target}.restoring`;
    await copyFile(backupPath, partial);
    await rm(`${target}-wal`, { force: true });
    await rm(`${target}-shm`, { force: true });
    await rename(partial, target);
  }

  /**
   * Before a change to a case's content: a signed case opens a new revision (the signed one stays
   * in its signature's record); a new case goes into review when a person changes it.
   */
  private openForChange(row: CaseRow, who: Who, byReviewer: boolean): CaseRow {
    if (row.status === 'signed') {
      return updateCase(this.db, { ...who, reason: `changed after the signature of revision ${row.revision}` }, row, { status: 'in_review', revision: row.revision + 1 }, 'revise');
    }
    if (byReviewer && row.status === 'new') return updateCase(this.db, who, row, { status: 'in_review' }, 'start-review');
    return row;
  }

  /**
   * Recomputes the agreement of every explanation of the case (`row`, as the caller holds it) with
   * its current region annotations. Without a region shape no explanation has any agreement.
   */
  private recomputeAgreement(row: CaseRow): void {
    const caseId = row.id;
    const results = new Map<string, Agreement>();
    const shapes = listAnnotations(this.db, caseId);
    const image = shapes.some(isRegion) && row.image_id ? findImage(this.db, row.image_id) : undefined;
    if (image) {
      const now = nowIso();
      for (const explanation of explanationHeatmapRows(this.db, caseId)) {
        const shape = JSON.parse(explanation.heatmap_shape_json) as number[];
        const [height, width] = shape.slice(-2);
        const values = float32Values(explanation.heatmap, width * height);
        const grid = mapGrid(width, height, JSON.parse(explanation.overlay_region_json), image.width, image.height);
        const agreement = agreementWithRegions(values, grid, shapes, now);
        if (agreement) results.set(explanation.id, agreement);
      }
    }
    replaceAgreement(this.db, caseId, results);
  }

  /** The case as it stands, every row as the audit records it: what a signature is bound to. */
  private signedRecord(row: CaseRow): Record<string, unknown> {
    const rowsOf = (table: AuditedTable) => (this.db.prepare(`SELECT * FROM ${table} WHERE case_id = ? ORDER BY rowid`).all(row.id) as Record<string, unknown>[]).map(snapshotOf);
    const record: Record<string, unknown> = {
      case: rowSnapshot(this.db, 'cases', row.id),
      image: row.image_id ? rowSnapshot(this.db, 'images', row.image_id) : null,
      agreement: Object.fromEntries(agreementOfCase(this.db, row.id)),
    };
    for (const table of CASE_CONTENT) record[table] = rowsOf(table);
    for (const table of LATER_CASE_CONTENT) {
      const rows = rowsOf(table);
      if (rows.length > 0) record[table] = rows;
    }
    return record;
  }
}
