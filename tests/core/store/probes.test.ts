// Probes saved to a case as counterfactuals (issue 5), through the validated api on a real SQLite
// file and onnxruntime: the engine reruns the probe, so the stored numbers equal a fresh probe's
// (and the hand computation on the region-mean model); probes are audited, listed oldest first,
// start the next revision of a signed case, are refused on another image and with a mask of the
// wrong size; a signed record
// lists probes only when the case has some; a probe edited behind the app is caught by verify.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ProbeSaveRequest, StoredProbe } from '../../../src/api/schemas';
import { DATABASE_FILE } from '../../../src/core/store/case-store';
import { reportFigure } from '../../helpers/fixtures';
import { brushStroke, hiddenInRegion, PROBE_LABELS, probeCase } from '../../helpers/probe-case';

const c = probeCase('sightline-probes-');
const TOLERANCE = 1e-6;
/** rows 3–4, columns 0–4: 10 painted pixels, 6 of them in the model's region */
const STROKE = { rows: [3, 4] as [number, number], columns: [0, 4] as [number, number] };

function saveRequest(overrides: Partial<ProbeSaveRequest> = {}): ProbeSaveRequest {
  return { modelId: c.modelId, inputId: c.inputId, caseId: c.caseId, mask: brushStroke(STROKE.rows, STROKE.columns).mask, masker: 'zero', target: 0, ...overrides };
}

function rawDb(readonly = true): Database.Database {
  return new Database(join(c.dataDir, DATABASE_FILE), { readonly });
}

/** The records the case's signatures are bound to, oldest first. */
function signatureRecords(caseId: string): Record<string, unknown>[] {
  const db = rawDb();
  try {
    return (db.prepare('SELECT record_json FROM signatures WHERE case_id = ? ORDER BY rowid').pluck().all(caseId) as string[]).map((json) => JSON.parse(json) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

function auditCount(): number {
  const db = rawDb();
  try {
    return db.prepare('SELECT count(*) FROM audit').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('saving a probe to a case', () => {
  let first: StoredProbe;

  it('stores what a fresh probe computes, with the mask, masker, note and author', async () => {
    const { mask, painted } = brushStroke(STROKE.rows, STROKE.columns);
    const { caseId: _caseId, ...probeRequest } = saveRequest();
    const fresh = await c.api.probe(probeRequest);
    const detail = await c.api.probeSave(saveRequest({ note: 'Hiding the left of the region lowers “region bright”.', actor: 'dr.probe' }));
    expect(detail.probes).toHaveLength(1);
    first = detail.probes![0];
    for (const key of ['baseScore', 'score', 'delta', 'baseProbability', 'probability'] as const) expect(Math.abs(first[key] - fresh[key])).toBeLessThanOrEqual(TOLERANCE);
    expect(first.top.map((t) => t.index)).toEqual(fresh.top.map((t) => t.index));
    // by hand: zeros over the stroke's 6 region pixels lower the region mean by their sum / 20
    const handDelta = -hiddenInRegion(c.pixels, STROKE.rows, STROKE.columns) / 20;
    expect(Math.abs(first.delta - handDelta)).toBeLessThanOrEqual(TOLERANCE);
    expect(first).toMatchObject({
      target: 0,
      targetLabel: PROBE_LABELS[0],
      maskedPixels: painted,
      mask,
      masker: 'zero',
      maskerParams: { blurSize: 31, blurSigma: 8 },
      modelSha256: c.modelSha256,
      provider: 'cpu',
      note: 'Hiding the left of the region lowers “region bright”.',
      author: 'dr.probe',
    });
    expect(painted).toBe(10);
    expect(detail.summary.status).toBe('in_review');
    // The probe's note is searchable like the case's other notes.
    const found = await c.api.caseList({ text: 'lowers bright' });
    expect(found.cases.map((x) => x.id)).toEqual([c.caseId]);
    expect((await c.api.caseList({ text: 'lowerz' })).cases).toEqual([]);
    reportFigure('probe delta stored / fresh / by hand', `${first.delta} / ${fresh.delta} / ${handDelta}`);
    reportFigure('probe probability before → after', `${first.baseProbability} → ${first.probability}`);
    const verification = await c.api.caseVerify({});
    expect(verification.problems).toEqual([]);
    expect(verification.ok).toBe(true);
  });

  it('lists a second probe after the first, and caseGet returns the same probes', async () => {
    const second = brushStroke([2, 5], [5, 6]);
    const detail = await c.api.probeSave(saveRequest({ mask: second.mask, masker: 'mean', note: 'right edge' }));
    expect(detail.probes!.map((p) => p.note)).toEqual([first.note, 'right edge']);
    expect(detail.probes![0]).toEqual(first);
    expect(detail.probes![1]).toMatchObject({ maskedPixels: second.painted, masker: 'mean', author: 'dr.test' });
    expect(detail.probes![1].createdAt >= first.createdAt).toBe(true);
    expect((await c.api.caseGet({ caseId: c.pseudonym })).probes).toEqual(detail.probes);
  });

  it('refuses another image, a mask of the wrong size and an unknown case, storing nothing', async () => {
    const before = await c.api.caseGet({ caseId: c.caseId });
    const audit = auditCount();
    await expect(c.api.probeSave(saveRequest({ inputId: c.otherInputId }))).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining(`not on the image of case ${c.pseudonym}`) });
    await expect(c.api.probeSave(saveRequest({ mask: { width: 8, height: 8, runs: [64] } }))).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringMatching(/mask is 8×8; the model input is 10×10/) });
    await expect(c.api.probeSave(saveRequest({ caseId: 'SL-NONE-NONE' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await c.api.caseGet({ caseId: c.caseId })).toEqual(before);
    expect(auditCount()).toBe(audit);
  });

  it('a probe saved to a signed case starts its next revision; the signature keeps the record it signed', async () => {
    await c.api.caseReview({ caseId: c.caseId, predictionVerdict: 'agree', explanationVerdict: 'agree', comment: '' });
    const signed = await c.api.caseSign({ caseId: c.caseId, signer: 'Dr. Test', meaning: 'review' });
    const signedRecord = signatureRecords(c.caseId)[0];
    const revised = await c.api.probeSave(saveRequest({ note: 'after signing' }));
    expect(revised.summary).toMatchObject({ status: 'in_review', revision: signed.summary.revision + 1 });
    expect(revised.probes!.map((p) => p.note)).toEqual([...signed.probes!.map((p) => p.note), 'after signing']);
    expect(revised.signatures).toEqual(signed.signatures);
    expect(signatureRecords(c.caseId)).toEqual([signedRecord]);
    expect((await c.api.caseVerify({})).ok).toBe(true);
    // Signed again, the new revision's signature binds all three probes.
    await c.api.caseReview({ caseId: c.caseId, predictionVerdict: 'agree', explanationVerdict: 'agree', comment: 'counterfactual noted' });
    await c.api.caseSign({ caseId: c.caseId, signer: 'Dr. Test', meaning: 'review' });
    expect((signatureRecords(c.caseId)[1].probes as { id: string }[]).map((p) => p.id)).toEqual(revised.probes!.map((p) => p.id));

    // The signature binds the probes; a case signed without any has no probes entry, as before schema 5.
    const plain = await c.api.caseCreate({ inputId: c.otherInputId });
    await c.api.caseReview({ caseId: plain.summary.id, predictionVerdict: 'uncertain', explanationVerdict: 'uncertain', comment: '' });
    await c.api.caseSign({ caseId: plain.summary.id, signer: 'Dr. Test', meaning: 'review' });
    expect(Object.keys(signatureRecords(plain.summary.id)[0]).sort()).toEqual(['agreement', 'annotations', 'case', 'explanations', 'image', 'predictions', 'reviews']);
    expect((await c.api.caseVerify({})).ok).toBe(true);
  });

  it('refuses edits to a signed case’s probes by trigger, and verify finds one made with the triggers dropped', async () => {
    const db = rawDb(false);
    try {
      expect(() => db.prepare('UPDATE probes SET score = 9 WHERE id = ?').run(first.id)).toThrow(/the case is signed/);
      db.exec('DROP TRIGGER probes_locked_insert; DROP TRIGGER probes_locked_update; DROP TRIGGER probes_locked_delete;');
      db.prepare('UPDATE probes SET score = score + 1 WHERE id = ?').run(first.id);
    } finally {
      db.close();
    }
    const verification = await c.api.caseVerify({});
    expect(verification.ok).toBe(false);
    expect(verification.problems).toContain(`probes ${first.id} differs from its last audited value (changed outside the app)`);
    reportFigure('verify after a probe row was edited', verification.problems.join('; '));
  });
});
