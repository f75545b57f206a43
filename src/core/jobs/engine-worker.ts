// Worker-thread entry: hosts one Engine behind the validated api and answers calls from its owner.
// Calls run concurrently at the JavaScript level; each onnxruntime run blocks this thread only.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError, callProcedure, validated, type CallContext } from '../../api/contract';
import { Engine } from '../engine';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol';

const config = workerData as WorkerConfig;
const engine = new Engine(config);
const api = validated(engine);
const port = parentPort!;

function send(message: FromWorker): void {
  port.postMessage(message);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'shutdown') {
    void engine.dispose().finally(() => process.exit(0));
    return;
  }
  const { callId, name, input, cancelFlag } = message;
  const flag = new Int32Array(cancelFlag);
  // The engine only polls `aborted`; a shared flag lets the owner cancel mid-run.
  const signal = { get aborted() { return Atomics.load(flag, 0) === 1; } } as AbortSignal;
  const ctx: CallContext = { signal, onProgress: (progress) => send({ type: 'progress', callId, progress }) };
  void (async () => {
    try {
      send({ type: 'result', callId, value: await callProcedure(api, name, input, ctx) });
    } catch (error) {
      send({ type: 'error', callId, error: ApiError.from(error).toJSON() });
    }
  })();
});

send({ type: 'ready' });
