// Messages between the engine's worker thread and its owner. Cancellation is a shared Int32 flag,
// so the worker sees it between batches even while onnxruntime blocks its event loop.
import type { ApiErrorShape, Progress } from '../../api/schemas';
import type { EngineOptions } from '../engine';

export type ToWorker =
  | { type: 'call'; callId: number; name: string; input: unknown; cancelFlag: SharedArrayBuffer }
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'progress'; callId: number; progress: Progress }
  | { type: 'result'; callId: number; value: unknown }
  | { type: 'error'; callId: number; error: ApiErrorShape }
  | { type: 'ready' };

/**
 * The worker's engine options, passed through as given (they must survive structured cloning): the
 * data folder is Electron's userData or the host's --data; the demo folder is set when the app
 * should seed and open the demonstration (npm start, Electron).
 */
export type WorkerConfig = EngineOptions & { transport: NonNullable<EngineOptions['transport']> };
