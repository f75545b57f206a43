// The Electron main process's IPC handlers, driven exactly as ipcMain would call them, over the
// engine worker the app uses (Electron's binary cannot run here; the handlers need none of it).
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/api/schemas';
import { WorkerEngine } from '../../src/core/jobs/worker-engine';
import { createIpcHandlers } from '../../src/main/ipc-handlers';

const fixtures = process.env.SIGHTLINE_FIXTURES ?? resolve(__dirname, '../../../shared/fixtures');
const engine = new WorkerEngine({ transport: 'ipc', intraOpThreads: 1 });
const handlers = createIpcHandlers(engine.api);
const noProgress = () => undefined;

async function call(name: string, input: unknown, callId = name, onProgress: (id: string, p: Progress) => void = noProgress) {
  return handlers.call({ name, input, callId }, onProgress);
}

describe('main process IPC handlers', () => {
  let modelId = '';
  let inputId = '';

  beforeAll(async () => {
    const model = await call('openModel', { path: `${fixtures}/squeezenet1_1/model.onnx` });
    const input = await call('openInput', { path: `${fixtures}/images/chelsea.png` });
    if (!model.ok || !input.ok) throw new Error(`fixtures did not open: ${JSON.stringify([model, input])}`);
    modelId = (model.value as { id: string }).id;
    inputId = (input.value as { id: string }).id;
  });
  afterAll(() => engine.close());

  it('reports the ipc transport and the disclaimer', async () => {
    const reply = await call('info', {});
    expect(reply).toMatchObject({ ok: true, value: { transport: 'ipc', name: 'Sightline' } });
    expect(reply.ok && (reply.value as { disclaimer: string }).disclaimer).toMatch(/not a diagnosis/);
  });

  it('predicts with the provider that ran', async () => {
    const reply = await call('predict', { modelId, inputId });
    expect(reply.ok).toBe(true);
    const value = (reply as { value: { top: { index: number }[]; provider: string; probabilities: number[] } }).value;
    expect(value.provider).toBe('cpu');
    expect(value.top).toHaveLength(5);
    expect(value.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('streams progress to the calling window and returns the raw attribution', async () => {
    const seen: Progress[] = [];
    const reply = await call('explain', { modelId, inputId, method: 'occlusion', target: 3, params: { window: '3,56,56', strides: '3,56,56' } }, 'job-1', (id, p) => {
      expect(id).toBe('job-1');
      seen.push(p);
    });
    expect(reply.ok).toBe(true);
    const value = (reply as { value: { attribution: { shape: number[] }; evaluations: number; target: number } }).value;
    expect(value.attribution.shape).toEqual([1, 3, 224, 224]);
    expect(value.evaluations).toBe(17);
    expect(value.target).toBe(3);
    expect(seen.at(-1)).toEqual({ done: 16, total: 16 });
  });

  it('cancels a running call by id', async () => {
    const pending = call('explain', { modelId, inputId, method: 'occlusion', params: { window: '3,4,4', strides: '3,2,2' } }, 'job-2', (id) => {
      if (id === 'job-2') handlers.cancel('job-2');
    });
    const reply = await pending;
    expect(reply).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });

  it('answers bad requests with a coded error instead of throwing', async () => {
    expect(await call('openModel', { path: '' })).toMatchObject({ ok: false, error: { code: 'BAD_PARAMS' } });
    expect(await call('nope', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('openModel', { path: `${fixtures}/README.md` })).toMatchObject({ ok: false, error: { code: 'BAD_MODEL' } });
  });
});
