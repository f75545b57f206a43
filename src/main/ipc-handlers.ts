// The Electron main process's IPC handlers as plain functions over the api (no Electron import),
// so they are unit-tested in Node exactly as Electron calls them. Each call can stream progress
// back to its window and be cancelled by id.
import { ApiError, callProcedure, type SightlineApi } from '../api/contract';
import type { Progress } from '../api/schemas';
import type { IpcReply } from '../api/transport';

export interface IpcHandlers {
  call(request: { name: string; input: unknown; callId: string }, sendProgress: (callId: string, progress: Progress) => void): Promise<IpcReply>;
  cancel(callId: string): void;
}

export function createIpcHandlers(api: SightlineApi): IpcHandlers {
  const running = new Map<string, AbortController>();
  return {
    async call({ name, input, callId }, sendProgress) {
      const controller = new AbortController();
      running.set(callId, controller);
      try {
        const value = await callProcedure(api, name, input, { signal: controller.signal, onProgress: (progress) => sendProgress(callId, progress) });
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: ApiError.from(error).toJSON() };
      } finally {
        running.delete(callId);
      }
    },
    cancel(callId) {
      running.get(callId)?.abort();
    },
  };
}
