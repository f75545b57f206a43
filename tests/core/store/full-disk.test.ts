// Must show 5: a full disk. SQLite's max_page_count caps the database just above what is saved;
// writes that need more pages fail with a clear "full" error through the store and the api, and
// everything saved before is still there, integrity_check and the audit chain intact. Lifting the
// cap lets work continue.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, validated } from '../../../src/api/contract';
import { Engine } from '../../../src/core/engine';
import { CaseStore } from '../../../src/core/store/case-store';
import { caseImage } from '../../helpers/cases';
import { READER, syntheticExplanation } from '../../helpers/case-records';
import { makeTempDir, reportFigure } from '../../helpers/fixtures';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('sightline-full-');
});
afterEach(() => temp.cleanup());

const FULL = /The disk or the case database is full: this change \(.+\) was not saved\. Everything saved before is intact/;

describe('full disk', () => {
  it('refuses writes with a clear error and loses nothing already saved', async () => {
    const dataDir = join(temp.dir, 'data');
    const store = await CaseStore.open(dataDir);
    const image = await caseImage(temp.dir);
    const saved = await store.createCase(image, { note: 'saved before the disk filled' }, READER);
    const savedId = saved.summary.id;
    store.addExplanation(savedId, syntheticExplanation(6, 8, (r, c) => r - c), null, READER);
    store.saveAnnotations(savedId, [{ id: 'kept', kind: 'ellipse', points: [[1, 1], [5, 4]], label: 'kept', note: '' }], READER);
    const before = store.detail(savedId);
    const auditBefore = store.db.prepare('SELECT count(*) FROM audit').pluck().get() as number;

    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);
    reportFigure('full-disk page cap', `${pages + 2} pages of ${store.db.pragma('page_size', { simple: true })} bytes`);

    // A 3×128×128 float32 map (196 KB) needs far more than two free pages.
    const big = syntheticExplanation(128, 128, (r, c) => r * c);
    let error: unknown = null;
    try {
      store.addExplanation(savedId, big, null, READER);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('BAD_INPUT');
    expect((error as ApiError).message).toMatch(FULL);
    expect((error as ApiError).message).toContain('store the explanation');
    await expect(store.createCase(await caseImage(temp.dir, 'other.png', 200, 200), { note: 'x'.repeat(20_000) }, READER)).rejects.toThrow(FULL);

    // Nothing saved was lost, nothing half-written was kept.
    expect(store.detail(savedId)).toEqual(before);
    expect(store.db.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(auditBefore);
    expect(store.list({ sort: 'created', order: 'asc', limit: 10, offset: 0 }).total).toBe(1);
    const verification = await store.verify();
    expect(verification).toMatchObject({ ok: true, integrity: ['ok'], problems: [] });

    // With room again, the same write succeeds.
    store.db.pragma('max_page_count = 1073741823');
    store.addExplanation(savedId, big, null, READER);
    expect(store.detail(savedId).explanations).toHaveLength(2);
    store.close();

    const reopened = await CaseStore.open(dataDir);
    expect(reopened.detail(savedId).summary.note).toBe('saved before the disk filled');
    expect((await reopened.verify()).ok).toBe(true);
    reopened.close();
  });

  it('reports the full database through the api as a bad-input error with the same message', async () => {
    const dataDir = join(temp.dir, 'api');
    const engine = new Engine({ dataDir, actor: 'dr.api' });
    const api = validated(engine);
    expect((await api.caseList({})).total).toBe(0);
    const input = await api.openInput({ path: (await caseImage(temp.dir)).path });
    const created = await api.caseCreate({ inputId: input.id, note: 'via the api' });
    // Cap the engine's own connection (a private field: the api has no way to fill a disk).
    const engineStore = await (engine as unknown as { caseProcedures: { cases(): Promise<CaseStore> } }).caseProcedures.cases();
    const pages = engineStore.db.pragma('page_count', { simple: true }) as number;
    engineStore.db.pragma(`max_page_count = ${pages}`);
    await expect(api.caseUpdate({ caseId: created.summary.id, note: 'y'.repeat(19_000) })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(FULL) });
    expect((await api.caseGet({ caseId: created.summary.id })).summary.note).toBe('via the api');
    await engine.dispose();
  });
});
