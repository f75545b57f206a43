// The Electron main process's IPC handlers as plain functions over the api (no Electron import),
// so they are unit-tested in Node exactly as Electron calls them. Each call can stream progress
// back to its window and be cancelled by id.
import { ApiError, isProcedureName, type SightlineApi } from '../api/contract';
import type { Progress } from '../api/schemas';

export type IpcReply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

export interface IpcHandlers {
  call(request: { name: string; input: unknown; callId: string }, sendProgress: (callId: string, progress: Progress) => void): Promise<IpcReply>;
  cancel(callId: string): void;
}

export function createIpcHandlers(api: SightlineApi): IpcHandlers {
  const running = new Map<string, AbortController>();
  return {
    async call({ name, input, callId }, sendProgress) {
      if (!isProcedureName(name)) return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown procedure ${name}` } };
      const controller = new AbortController();
      running.set(callId, controller);
      try {
        const fn = api[name] as (i: unknown, c: object) => Promise<unknown>;
        const value = await fn(input, { signal: controller.signal, onProgress: (progress: Progress) => sendProgress(callId, progress) });
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
