// The api as seen from the thread that owns the engine worker (Electron main, the host): each call
// is posted to the worker; progress comes back as events; aborting the signal sets the shared
// cancel flag. If the worker dies, pending calls fail with a clear error and a new worker starts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError, procedureNames, type CallContext, type ProcedureName, type SightlineApi } from '../../api/contract';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  ctx?: CallContext;
}

export interface WorkerEngineOptions extends Partial<WorkerConfig> {
  /** the worker's entry file; defaults to the built `engine-worker.js` or, in development, a tsx bootstrap */
  entry?: string;
}

function defaultWorkerEntry(): string {
  const built = fileURLToPath(new URL('./engine-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  return fileURLToPath(new URL('./engine-worker-dev.mjs', import.meta.url));
}

export class WorkerEngine {
  readonly api: SightlineApi;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerEngineOptions = {}) {
    const api = {} as Record<ProcedureName, unknown>;
    for (const name of procedureNames) api[name] = (input: unknown, ctx?: CallContext) => this.call(name, input, ctx);
    this.api = api as SightlineApi;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const entry = this.options.entry ?? defaultWorkerEntry();
    const { entry: _entry, ...config } = this.options;
    const workerData: WorkerConfig = { ...config, transport: config.transport ?? 'http' };
    const worker = new Worker(entry, { workerData, execArgv: [] });
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(`The engine worker crashed: ${error.message}`));
    worker.on('exit', (code) => {
      this.worker = null;
      if (!this.closed) this.failAll(`The engine worker stopped (exit code ${code}); the next call starts a new one`);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'ready') return;
    const pending = this.pending.get(message.callId);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.ctx?.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.callId);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.type === 'result') pending.resolve(message.value);
    else pending.reject(new ApiError(message.error.code, message.error.message));
  }

  private failAll(reason: string): void {
    for (const pending of this.pending.values()) pending.reject(new ApiError('INTERNAL', reason));
    this.pending.clear();
  }

  call(name: ProcedureName, input: unknown, ctx?: CallContext): Promise<never> {
    if (this.closed) return Promise.reject(new ApiError('INTERNAL', 'The engine is shut down'));
    if (ctx?.signal?.aborted) return Promise.reject(new ApiError('CANCELLED', 'Cancelled before it started'));
    const worker = this.ensureWorker();
    worker.ref();
    const callId = this.nextId++;
    const cancelFlag = new SharedArrayBuffer(4);
    const onAbort = () => Atomics.store(new Int32Array(cancelFlag), 0, 1);
    ctx?.signal?.addEventListener('abort', onAbort, { once: true });
    return new Promise<never>((resolve, reject) => {
      const cleanup = () => ctx?.signal?.removeEventListener('abort', onAbort);
      this.pending.set(callId, {
        resolve: (value) => {
          cleanup();
          resolve(value as never);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
        ctx,
      });
      const message: ToWorker = { type: 'call', callId, name, input, cancelFlag };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.failAll('The engine is shutting down');
    if (worker) {
      worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
