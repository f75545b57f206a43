// Messages between the engine's worker thread and its owner. Cancellation is a shared Int32 flag,
// so the worker sees it between batches even while onnxruntime blocks its event loop.
import type { ApiErrorShape, Progress } from '../../api/schemas';

export type ToWorker =
  | { type: 'call'; callId: number; name: string; input: unknown; cancelFlag: SharedArrayBuffer }
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'progress'; callId: number; progress: Progress }
  | { type: 'result'; callId: number; value: unknown }
  | { type: 'error'; callId: number; error: ApiErrorShape }
  | { type: 'ready' };

export interface WorkerConfig {
  intraOpThreads?: number;
  transport: 'ipc' | 'http' | 'cli';
  /** the data folder of the case database (Electron userData, the host's --data) */
  dataDir?: string;
  /** resources/demo, when the app should seed and open the demonstration (npm start, Electron) */
  demoDir?: string;
}
