// The case procedures through the Electron main process's IPC handlers, over the engine worker that
// owns the case database (as in the app, where its data folder is Electron's userData).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseVerification } from '../../src/api/case-schemas';
import { WorkerEngine } from '../../src/core/jobs/worker-engine';
import { createIpcHandlers } from '../../src/main/ipc-handlers';
import { dicomFile } from '../helpers/dicom-fixtures';
import { imagePng, makeTempDir } from '../helpers/fixtures';

const temp = makeTempDir('sightline-ipc-cases-');
const engine = new WorkerEngine({ transport: 'ipc', intraOpThreads: 1, dataDir: join(temp.dir, 'userData') });
const handlers = createIpcHandlers(engine.api);
afterAll(async () => {
  await engine.close();
  temp.cleanup();
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const reply = await handlers.call({ name, input, callId: name }, () => undefined);
  if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.message}`);
  return reply.value as T;
}

describe('case procedures over IPC', () => {
  it('create, annotate and verify a case in the userData folder', async () => {
    const input = await call<{ id: string }>('openInput', { path: imagePng('coffee') });
    const created = await call<CaseDetail>('caseCreate', { inputId: input.id, note: 'ipc route', actor: 'dr.ipc' });
    expect(created.summary).toMatchObject({ status: 'new', note: 'ipc route', createdBy: 'dr.ipc' });
    const annotated = await call<CaseDetail>('caseSaveAnnotations', {
      caseId: created.summary.pseudonym,
      annotations: [{ id: 'r1', kind: 'rectangle', points: [[10, 10], [100, 80]], label: 'cup' }],
      actor: 'dr.ipc',
    });
    expect(annotated.summary.status).toBe('in_review');
    expect(annotated.annotations).toMatchObject([{ id: 'r1', kind: 'rectangle', label: 'cup', note: '', author: 'dr.ipc' }]);
    await expect(call<CaseVerification>('caseVerify', {})).resolves.toMatchObject({ ok: true, integrity: ['ok'], problems: [] });
    const bad = await handlers.call({ name: 'caseSaveAnnotations', input: { caseId: created.summary.id, annotations: [{ id: 'p', kind: 'polygon', points: [[0, 0]] }] }, callId: 'x' }, () => undefined);
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_PARAMS' } });
    expect(!bad.ok && bad.error.message).toMatch(/too few points for its kind/);
  });

  it('keeps the technical DICOM attributes of a DICOM case, and the file itself', async () => {
    const input = await call<{ id: string }>('openInput', { path: dicomFile('CT_small') });
    const created = await call<CaseDetail>('caseCreate', { inputId: input.id });
    expect(created.image).toMatchObject({ fileName: 'CT_small.dcm', format: 'dicom', width: 128, height: 128 });
    expect(created.image?.dicom).toMatchObject({ modality: 'CT', photometric: 'MONOCHROME2', rows: 128, columns: 128, frames: 1, bitsStored: 16 });
    const reopened = await call<{ input: { id: string; name: string } }>('caseOpen', { caseId: created.summary.id });
    expect(reopened.input).toMatchObject({ id: input.id, name: 'CT_small.dcm' });
  });
});
