// The local host: static renderer, NDJSON api calls, uploads, error events; and Must show 5: a long
// occlusion in the engine worker leaves the host's event loop free (max lag < 50 ms), and aborting
// the request stops the worker within 1 s.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type CallContext, type ProcInput, type SightlineApi } from '../../src/api/contract';
import type { CallEvent, Progress } from '../../src/api/schemas';
import { createHttpClient } from '../../src/api/transport';
import { WorkerEngine } from '../../src/core/jobs/worker-engine';
import { startHost, type RunningHost } from '../../src/host/server';
import { imageNpy, imagePng, makeTempDir, modelPath, reportFigure } from '../helpers/fixtures';
import { linearModel } from '../helpers/onnx-builder';

const INDEX_HTML = '<!doctype html><title>Sightline test renderer</title><p id="marker">renderer-ok</p>';

/** What the host's api saw of explain calls: progress times, and when and how each call ended. */
interface ExplainTrace {
  progress: { at: number; progress: Progress }[];
  settledAt: number | null;
  error: ApiError | null;
}

const renderer = makeTempDir('sightline-renderer-');
let engine: WorkerEngine;
let host: RunningHost;
let base: string;
const traces: ExplainTrace[] = [];

beforeAll(async () => {
  writeFileSync(join(renderer.dir, 'index.html'), INDEX_HTML);
  mkdirSync(join(renderer.dir, 'assets'));
  writeFileSync(join(renderer.dir, 'assets', 'app.js'), 'console.log("app")');
  engine = new WorkerEngine({ intraOpThreads: 1 });
  // the worker's api, with explain traced as the host calls it
  const api: SightlineApi = {
    ...engine.api,
    explain: (input: ProcInput<'explain'>, ctx?: CallContext) => {
      const trace: ExplainTrace = { progress: [], settledAt: null, error: null };
      traces.push(trace);
      return engine.api
        .explain(input, {
          signal: ctx?.signal,
          onProgress: (progress) => {
            trace.progress.push({ at: performance.now(), progress });
            ctx?.onProgress?.(progress);
          },
        })
        .then(
          (value) => {
            trace.settledAt = performance.now();
            return value;
          },
          (error: unknown) => {
            trace.settledAt = performance.now();
            trace.error = ApiError.from(error);
            throw error;
          },
        );
    },
  };
  host = await startHost({ api, rendererDir: renderer.dir });
  base = host.url.replace(/\/$/, '');
  await engine.api.info({}); // start the worker before the timed tests
});

afterAll(async () => {
  await host?.close();
  await engine?.close();
  renderer.cleanup();
});

/** POSTs a call and reads the whole NDJSON reply. */
async function call(name: string, input: unknown, init: RequestInit = {}): Promise<{ status: number; type: string | null; events: CallEvent[] }> {
  const response = await fetch(`${base}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof input === 'string' ? input : JSON.stringify(input), ...init });
  const text = await response.text();
  const type = response.headers.get('content-type');
  if (type !== 'application/x-ndjson') return { status: response.status, type, events: [JSON.parse(text) as CallEvent] };
  const events = text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as CallEvent);
  return { status: response.status, type, events };
}

function resultOf<T>(events: CallEvent[]): T {
  const last = events.at(-1);
  if (last?.type !== 'result') throw new Error(`expected a result event, got ${JSON.stringify(events).slice(0, 300)}`);
  return last.value as T;
}

function errorOf(events: CallEvent[]): { code: string; message: string } {
  expect(events.filter((e) => e.type !== 'progress')).toHaveLength(1);
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${JSON.stringify(events).slice(0, 300)}`);
  return last.error;
}

async function upload(name: string, body: Uint8Array | string, group?: string): Promise<{ status: number; body: { path?: string; error?: { code: string; message: string } } }> {
  const query = `name=${encodeURIComponent(name)}${group ? `&group=${group}` : ''}`;
  const response = await fetch(`${base}/api/upload?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, body: (await response.json()) as { path?: string } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('static renderer', () => {
  it('serves index.html at /, for client routes, and assets; 404 for a missing asset', async () => {
    const root = await fetch(`${base}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await root.text()).toBe(INDEX_HTML);
    expect(await (await fetch(`${base}/cases/42`)).text()).toBe(INDEX_HTML);
    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await asset.text()).toBe('console.log("app")');
    const missing = await fetch(`${base}/assets/missing.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('does not serve files outside the renderer folder', async () => {
    const response = await fetch(`${base}/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`);
    const text = await response.text();
    expect(text).not.toMatch(/root:/);
    expect([200, 403, 404]).toContain(response.status);
  });
});

describe('api over HTTP (NDJSON)', () => {
  it('POST /api/call/info answers one result event', async () => {
    const { status, type, events } = await call('info', {});
    expect(status).toBe(200);
    expect(type).toBe('application/x-ndjson');
    expect(events).toHaveLength(1);
    expect(resultOf(events)).toMatchObject({ name: 'Sightline', version: '0.1.0', transport: 'http' });
  });

  it('uploads a model with its card (one group) and an image, then opens them by the returned paths', async () => {
    const tiny = linearModel({ dims: [3, 16, 16], classes: 3, seed: 61 });
    const modelUpload = await upload('tiny.onnx', tiny.bytes, 'g1');
    const cardUpload = await upload('tiny.json', JSON.stringify({ labels: ['left', 'middle', 'right'] }), 'g1');
    const imageBytes = readFileSync(imagePng('coffee'));
    const imageUpload = await upload('coffee.png', imageBytes);
    for (const u of [modelUpload, cardUpload, imageUpload]) {
      expect(u.status).toBe(200);
      expect(u.body.path!.startsWith(host.uploadDir)).toBe(true);
    }
    expect(readFileSync(imageUpload.body.path!).equals(imageBytes)).toBe(true);

    const model = resultOf<{ id: string; cardSource: string; labels: string[]; inputShape: number[] }>((await call('openModel', { path: modelUpload.body.path })).events);
    expect(model.cardSource).toBe('sidecar');
    expect(model.labels).toEqual(['left', 'middle', 'right']);
    expect(model.inputShape).toEqual([-1, 3, 16, 16]);
    const input = resultOf<{ id: string; kind: string; width: number; height: number; channels: number; name: string }>((await call('openInput', { path: imageUpload.body.path })).events);
    expect(input).toMatchObject({ kind: 'image', width: 224, height: 224, channels: 3, name: 'coffee.png' });
    const prediction = resultOf<{ logits: number[]; top: { label: string }[]; provider: string }>((await call('predict', { modelId: model.id, inputId: input.id })).events);
    expect(prediction.logits).toHaveLength(3);
    expect(['left', 'middle', 'right']).toContain(prediction.top[0].label);
    expect(prediction.provider).toBe('cpu');
  });

  it('the http client uploads a File and calls through the same host', async () => {
    const client = createHttpClient(base);
    const path = await client.uploadFile(new File([readFileSync(imageNpy('camera'))], 'camera.npy'));
    expect(path.startsWith(host.uploadDir)).toBe(true);
    const input = await client.api.openInput({ path });
    expect(input).toMatchObject({ kind: 'tensor', format: 'npy', shape: [1, 3, 224, 224] });
    await expect(client.api.openModel({ path: '' })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
  });

  it('an upload name cannot escape the upload folder; a missing name is refused', async () => {
    const sneaky = await upload('../../escape.txt', 'x');
    expect(sneaky.status).toBe(200);
    expect(sneaky.body.path!.startsWith(host.uploadDir)).toBe(true);
    expect(sneaky.body.path!.endsWith('escape.txt')).toBe(true);
    const response = await fetch(`${base}/api/upload`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_PARAMS');
  });

  it('bad inputs give one NDJSON error event with the right code', async () => {
    const text = await upload('notes.onnx', 'just some notes, not a model\n');
    const badModel = errorOf((await call('openModel', { path: text.body.path })).events);
    expect(badModel.code).toBe('BAD_MODEL');
    expect(badModel.message).toMatch(/notes\.onnx is not an ONNX model/);

    const truncated = await upload('truncated.png', readFileSync(imagePng('chelsea')).subarray(0, 1000));
    const badImage = errorOf((await call('openInput', { path: truncated.body.path })).events);
    expect(badImage.code).toBe('BAD_INPUT');
    expect(badImage.message).toMatch(/truncated\.png is corrupt or truncated/);

    const noPath = errorOf((await call('openModel', {})).events);
    expect(noPath.code).toBe('BAD_PARAMS');
    expect(noPath.message).toMatch(/path/);

    expect(errorOf((await call('openModel', { path: join(host.uploadDir, 'nope.onnx') })).events).code).toBe('NOT_FOUND');
    expect(errorOf((await call('predict', { modelId: 'nope', inputId: 'nope' })).events).code).toBe('NOT_FOUND');
    expect(errorOf((await call('explain', { modelId: 'm', inputId: 'i', method: 'occlusion', target: -3 })).events).code).toBe('BAD_PARAMS');
  });

  it('protocol errors: unknown procedure 404, invalid JSON 400, GET 405', async () => {
    const unknown = await call('shutdown', {});
    expect(unknown.status).toBe(404);
    expect(unknown.events[0]).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const invalid = await call('info', '{not json');
    expect(invalid.status).toBe(400);
    expect(invalid.events[0]).toMatchObject({ error: { code: 'BAD_PARAMS' } });
    const get = await fetch(`${base}/api/call/info`);
    expect(get.status).toBe(405);
  });
});

describe('Must show 5: a long job leaves the host responsive and stops on abort', () => {
  it('resnet18 occlusion (3025 windows) in the worker: event-loop lag < 50 ms; abort stops the worker within 1 s', async () => {
    const client = createHttpClient(base);
    const model = await client.api.openModel({ path: modelPath('resnet18') });
    const input = await client.api.openInput({ path: imageNpy('chelsea') });
    const tracesBefore = traces.length;

    const controller = new AbortController();
    const seen: Progress[] = [];
    let working!: () => void;
    const started = new Promise<void>((resolve) => (working = resolve));
    const running = client.api
      .explain(
        { modelId: model.id, inputId: input.id, method: 'occlusion', target: 117, params: { window: [3, 8, 8], strides: [3, 4, 4], baseline: 0 } },
        {
          signal: controller.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.done > 0) working();
          },
        },
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    await Promise.race([started, sleep(30_000).then(() => Promise.reject(new Error('no progress within 30 s')))]);
    expect(traces.length).toBe(tracesBefore + 1);
    const trace = traces.at(-1)!;

    // sample the host's event loop while the worker computes
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 10);
      last = now;
    }, 10);
    await sleep(2500);
    clearInterval(timer);
    const maxLag = Math.max(...lags);
    reportFigure('host event-loop max lag during occlusion (ms)', maxLag.toFixed(1));
    reportFigure('host event-loop samples', lags.length);
    expect(lags.length).toBeGreaterThan(100);
    expect(maxLag).toBeLessThan(50);
    const progressDuringSampling = seen.at(-1)!.done;
    expect(seen.at(-1)!.total).toBe(55 * 55);
    expect(progressDuringSampling).toBeLessThan(55 * 55); // still running when we abort

    controller.abort();
    const abortedAt = performance.now();
    const outcome = await running;
    expect(outcome).toBeInstanceOf(ApiError);
    expect((outcome as ApiError).code).toBe('CANCELLED');

    // the worker's call ends with CANCELLED (it saw the shared flag) within 1 s
    const deadline = performance.now() + 5000;
    while (trace.settledAt === null && performance.now() < deadline) await sleep(10);
    expect(trace.settledAt).not.toBeNull();
    const stopLatency = trace.settledAt! - abortedAt;
    reportFigure('worker stop latency after abort (ms)', stopLatency.toFixed(0));
    expect(trace.error?.code).toBe('CANCELLED');
    expect(stopLatency).toBeLessThan(1000);

    // a small call right after completes promptly
    const prediction = await client.api.predict({ modelId: model.id, inputId: input.id });
    const predictLatency = performance.now() - abortedAt;
    reportFigure('predict completed after abort (ms)', predictLatency.toFixed(0));
    expect(prediction.logits).toHaveLength(1000);
    expect(predictLatency).toBeLessThan(1500);

    // and no progress arrives after the worker stopped
    const countAtStop = trace.progress.length;
    await sleep(500);
    expect(trace.progress.length).toBe(countAtStop);
    expect(trace.progress.every((p) => p.at <= trace.settledAt!)).toBe(true);
    const lastDone = trace.progress.at(-1)!.progress.done;
    reportFigure('occlusion windows evaluated before the abort took effect', `${lastDone} of ${55 * 55}`);
    expect(lastDone).toBeLessThan(55 * 55);
  });
});
