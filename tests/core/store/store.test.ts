// The case store end to end on a real SQLite file: create, predict, explain (stored losslessly),
// annotate (agreement computed and stored), note, review, sign (record hash, lock, new revision),
// list filters and sorting, full-text search, view settings, verify, and backup/restore.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationInput } from '../../../src/api/case-schemas';
import { canonicalJson } from '../../../src/core/store/audit';
import { CaseStore } from '../../../src/core/store/case-store';
import { caseImage } from '../../helpers/cases';
import { READER, syntheticExplanation, TINY_MODEL, tinyPrediction } from '../../helpers/case-records';
import { makeTempDir } from '../../helpers/fixtures';

let temp: ReturnType<typeof makeTempDir>;
let store: CaseStore;

beforeEach(async () => {
  temp = makeTempDir('sightline-store-');
  store = await CaseStore.open(join(temp.dir, 'data'));
});
afterEach(() => {
  store.close();
  temp.cleanup();
});

/** 6×8 map: the top-left 3×4 block is 1 with its corner 5 (the maximum); (5,7) = 2; (5,0) = −3. */
function knownMap(row: number, col: number): number {
  if (row === 0 && col === 0) return 5;
  if (row < 3 && col < 4) return 1;
  if (row === 5 && col === 7) return 2;
  if (row === 5 && col === 0) return -3;
  return 0;
}
const TOP_LEFT_BOX: AnnotationInput = { id: 'box-1', kind: 'rectangle', points: [[0, 0], [4, 3]], label: 'effusion', note: 'blunted costophrenic angle' };

async function newCase(note = '') {
  return store.createCase(await caseImage(temp.dir), { note }, READER);
}

describe('case store', () => {
  it('creates a case with a pseudonym and keeps the image bytes in the data folder', async () => {
    const image = await caseImage(temp.dir);
    const detail = await store.createCase(image, { note: 'first look' }, READER);
    expect(detail.summary.pseudonym).toMatch(/^SL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(detail.summary.status).toBe('new');
    expect(detail.summary.revision).toBe(1);
    expect(detail.summary.createdBy).toBe('dr.reader');
    expect(detail.image).toMatchObject({ sha256: image.sha256, fileName: 'scan.png', width: 8, height: 6 });
    const stored = store.imagePath(detail.summary.id)!;
    expect(createHash('sha256').update(readFileSync(stored)).digest('hex')).toBe(image.sha256);
    expect(store.detail(detail.summary.pseudonym.toLowerCase()).summary.id).toBe(detail.summary.id);
  });

  it('stores explanations losslessly and computes agreement with region annotations', async () => {
    const { summary } = await newCase();
    const predictionId = store.addPrediction(summary.id, TINY_MODEL, tinyPrediction(), READER);
    const result = syntheticExplanation(6, 8, knownMap, { params: { samples: 64, seed: 7 }, stats: { fitR2: 0.93, features: 48 } });
    const explanationId = store.addExplanation(summary.id, result, predictionId, READER);
    const [record] = store.explanationRecords(summary.id, 'input-x');
    expect(record.attribution).toEqual(result.attribution);
    expect(record.heatmap).toEqual(result.heatmap);
    expect(record.recordId).toBe(explanationId);
    expect(record.inputId).toBe('input-x');
    expect(record).toEqual({ ...result, inputId: 'input-x', recordId: explanationId });

    let detail = store.detail(summary.id);
    expect(detail.explanations[0].agreement).toBeNull();
    expect(detail.view.explanationId).toBe(explanationId);
    expect(detail.summary.predictedClass).toEqual({ index: 1, label: 'effusion', score: 0.8 });
    expect(detail.predictions[0]).toMatchObject({ id: predictionId, modelName: 'chest-tiny', modelVersion: '1.2.0', modelSha256: TINY_MODEL.sha256, provider: 'cpu' });
    expect(detail.explanations[0]).toMatchObject({ id: explanationId, predictionId, seed: 7, params: { samples: 64, seed: 7 }, attributionShape: [1, 3, 6, 8] });

    detail = store.saveAnnotations(summary.id, [TOP_LEFT_BOX], READER);
    const agreement = detail.explanations[0].agreement!;
    expect(agreement.pointingHit).toBe(true);
    expect(agreement.pointingAt).toEqual([0.5, 0.5]);
    expect(agreement.regionCells).toBe(12);
    expect(agreement.mapCells).toBe(48);
    // positive mass 5 + 11·1 + 2 = 18, of which 16 inside
    expect(agreement.massInside).toBeCloseTo(16 / 18, 12);
    // top 20 % of 48 cells = 10: 5, 2 and the first eight 1s → 9 inside; union 12 + 1
    expect(agreement.topKIoU).toBeCloseTo(9 / 13, 12);
    expect(detail.summary.status).toBe('in_review');

    // Moving the box off the maximum turns the pointing game into a miss.
    detail = store.saveAnnotations(summary.id, [{ ...TOP_LEFT_BOX, points: [[6, 4], [8, 6]] }], READER);
    expect(detail.explanations[0].agreement!.pointingHit).toBe(false);
    expect(detail.explanations[0].agreement!.massInside).toBeCloseTo(2 / 18, 12);
    // No region left (an arrow is not a region): no agreement.
    detail = store.saveAnnotations(summary.id, [{ id: 'arrow-1', kind: 'arrow', points: [[1, 1], [5, 5]], label: '', note: '' }], READER);
    expect(detail.explanations[0].agreement).toBeNull();
    expect(detail.annotations.map((a) => a.kind)).toEqual(['arrow']);
  });

  it('signs a reviewed case, locks it, and opens a new revision on a later change', async () => {
    const { summary } = await newCase('left basal opacity');
    store.saveAnnotations(summary.id, [TOP_LEFT_BOX], READER);
    expect(() => store.sign(summary.id, 'Dr Reader', 'approval', READER)).toThrow(/Record a verdict for revision 1/);
    store.review(summary.id, { predictionVerdict: 'agree', explanationVerdict: 'uncertain', comment: 'plausible' }, READER);
    const signed = store.sign(summary.id, 'Dr Reader', 'approval', READER);
    expect(signed.summary.status).toBe('signed');
    expect(signed.signatures).toHaveLength(1);
    const [signature] = signed.signatures;
    expect(signature).toMatchObject({ revision: 1, signer: 'Dr Reader', meaning: 'approval' });
    const kept = store.db.prepare('SELECT record_json FROM signatures WHERE id = ?').pluck().get(signature.id) as string;
    expect(createHash('sha256').update(kept).digest('hex')).toBe(signature.recordSha256);
    expect(JSON.parse(kept).annotations[0].label).toBe('effusion');

    // The database itself refuses content changes while the case is signed.
    expect(() =>
      store.db.prepare("UPDATE annotations SET label = 'forged' WHERE id = 'box-1'").run(),
    ).toThrow(/the case is signed/);
    expect(() => store.sign(summary.id, 'Dr Reader', 'approval', READER)).toThrow(/already signed/);

    // Display settings are not content: the case stays signed.
    const viewed = store.setView(summary.id, { explanationId: null, display: {} }, READER);
    expect(viewed.summary.status).toBe('signed');

    const amended = store.saveAnnotations(summary.id, [{ ...TOP_LEFT_BOX, label: 'small effusion' }], READER);
    expect(amended.summary).toMatchObject({ status: 'in_review', revision: 2 });
    expect(amended.signatures).toEqual([signature]);
    const revise = store.db.prepare("SELECT reason FROM audit WHERE action = 'revise'").pluck().all();
    expect(revise).toEqual(['changed after the signature of revision 1']);
    expect(() => store.sign(summary.id, 'Dr Reader', 'approval', READER)).toThrow(/revision 2/);
    store.review(summary.id, { predictionVerdict: 'agree', explanationVerdict: 'agree', comment: '' }, READER);
    expect(store.sign(summary.id, 'Dr Reader', 'review', READER).signatures.map((s) => s.revision)).toEqual([1, 2]);
    expect((await store.verify()).ok).toBe(true);
  });

  it('records every change in the audit with who, what and the old and new values', async () => {
    const { summary } = await newCase('draft');
    store.updateNote(summary.id, 'final wording', { actor: 'dr.second' });
    const row = store.db.prepare("SELECT actor, action, old_value, new_value FROM audit WHERE entity = 'cases' AND action = 'update' ORDER BY seq DESC LIMIT 1").get() as Record<string, string>;
    expect(row.actor).toBe('dr.second');
    expect(JSON.parse(row.old_value).note).toBe('draft');
    expect(JSON.parse(row.new_value).note).toBe('final wording');
    // Saving the same annotations again changes nothing and audits nothing.
    store.saveAnnotations(summary.id, [TOP_LEFT_BOX], READER);
    const before = store.db.prepare('SELECT count(*) FROM audit').pluck().get();
    store.saveAnnotations(summary.id, [TOP_LEFT_BOX], READER);
    expect(store.db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(before);
  });

  it('lists with filters and sorting, and finds cases by any word of notes, labels and IDs', async () => {
    const a = (await newCase('pneumothorax left apex')).summary;
    const b = (await newCase('clear lungs')).summary;
    const c = (await newCase('follow-up nodule')).summary;
    store.addPrediction(a.id, TINY_MODEL, tinyPrediction(1), READER);
    store.addPrediction(b.id, { ...TINY_MODEL, sha256: 'ef'.repeat(32), name: 'other-net' }, tinyPrediction(0), READER);
    store.review(b.id, { predictionVerdict: 'disagree', explanationVerdict: 'disagree', comment: 'artefact from a chest drain' }, READER);
    store.saveAnnotations(c.id, [{ ...TOP_LEFT_BOX, id: 'c-1', label: 'granuloma' }], READER);

    const ids = (query: Parameters<CaseStore['list']>[0]) => store.list(query).cases.map((s) => s.pseudonym);
    const base = { sort: 'created', order: 'asc', limit: 100, offset: 0 } as const;
    expect(ids(base)).toEqual([a.pseudonym, b.pseudonym, c.pseudonym]);
    expect(ids({ ...base, order: 'desc' })).toEqual([c.pseudonym, b.pseudonym, a.pseudonym]);
    expect(ids({ ...base, status: 'new' })).toEqual([a.pseudonym]);
    expect(ids({ ...base, status: 'in_review' })).toEqual([b.pseudonym, c.pseudonym]);
    expect(ids({ ...base, model: 'other-net' })).toEqual([b.pseudonym]);
    expect(ids({ ...base, model: 'ABAB' })).toEqual([a.pseudonym]);
    expect(ids({ ...base, predictedClass: 'effusion' })).toEqual([a.pseudonym]);
    expect(ids({ ...base, predictedClass: '0' })).toEqual([b.pseudonym]);
    expect(ids({ ...base, verdict: 'disagree' })).toEqual([b.pseudonym]);
    expect(ids({ ...base, from: '2000-01-01', to: new Date().toISOString().slice(0, 10) })).toHaveLength(3);
    expect(ids({ ...base, to: '2000-01-01' })).toEqual([]);
    expect(ids({ ...base, limit: 1, offset: 1 })).toEqual([b.pseudonym]);
    expect(store.list({ ...base, limit: 1 }).total).toBe(3);

    expect(ids({ ...base, text: 'pneumo' })).toEqual([a.pseudonym]);
    expect(ids({ ...base, text: 'drain' })).toEqual([b.pseudonym]);
    expect(ids({ ...base, text: 'granuloma' })).toEqual([c.pseudonym]);
    expect(ids({ ...base, text: 'effusion' })).toEqual([a.pseudonym]);
    expect(ids({ ...base, text: 'costophrenic' })).toEqual([c.pseudonym]);
    expect(ids({ ...base, text: c.pseudonym })).toEqual([c.pseudonym]);
    expect(ids({ ...base, text: 'left "apex' })).toEqual([a.pseudonym]);
    expect(ids({ ...base, text: 'left lungs' })).toEqual([]);
    const hits = store.search('nodule', 10);
    expect(hits.map((h) => h.summary.pseudonym)).toEqual([c.pseudonym]);
    expect(hits[0].snippet).toContain('[nodule]');
  });

  it('stores the view: which explanation is shown and how', async () => {
    const { summary } = await newCase();
    const first = store.addExplanation(summary.id, syntheticExplanation(6, 8, knownMap), null, READER);
    const second = store.addExplanation(summary.id, syntheticExplanation(6, 8, () => 1, { params: { window: [3, 4, 4] } }), null, READER);
    const view = { explanationId: first, display: { [first]: { opacity: 0.35, colormap: 'inferno', threshold: 0.2, visible: false } } };
    expect(store.setView(summary.id, view, READER).view).toEqual(view);
    expect(store.detail(summary.id).explanations.map((e) => e.id)).toEqual([first, second]);
    expect(() => store.setView(summary.id, { explanationId: 'nope', display: {} }, READER)).toThrow(/not part of case/);
  });

  it('backs up while open and restores the backup, dropping later changes', async () => {
    const { summary } = await newCase('before backup');
    const backupPath = join(temp.dir, 'backup.sqlite');
    await store.backup(backupPath);
    store.updateNote(summary.id, 'after backup', READER);
    store.close();
    await CaseStore.restore(join(temp.dir, 'data'), backupPath);
    store = await CaseStore.open(join(temp.dir, 'data'));
    expect(store.detail(summary.id).summary.note).toBe('before backup');
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: true, integrity: ['ok'], problems: [] });
    expect(canonicalJson(verification.schemaVersion)).toBe('5');
  });
});
