// Wire conventions shared by the transports, and the renderer's api client.
// HTTP: POST /api/call/<name> with the JSON input; the response is NDJSON CallEvents (progress…,
// then one result or error). Aborting the request cancels the call. POST /api/upload?name=<file>
// with the raw bytes stores a file the browser opened and answers {path}.
// Electron: the preload exposes window.sightline = { call(name, input, callId), cancel(callId),
// onProgress(cb), pickFile(kind), pickSavePath(defaultName), platform }.
import type { CallContext, ProcedureName, SightlineApi } from './contract';
import { ApiError } from './contract';
import type { CallEvent, Progress } from './schemas';

export const HTTP_CALL_PREFIX = '/api/call/';
export const HTTP_UPLOAD_PATH = '/api/upload';
export const IPC_CALL = 'sightline:call';
export const IPC_CANCEL = 'sightline:cancel';
export const IPC_PROGRESS = 'sightline:progress';
export const IPC_PICK_FILE = 'sightline:pick-file';
export const IPC_SAVE_PATH = 'sightline:save-path';

export type FileKind = 'model' | 'image';

/** The reply to one IPC call: the main process catches every error into it. */
export type IpcReply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** The surface the Electron preload exposes on window.sightline. */
export interface PreloadBridge {
  call(name: string, input: unknown, callId: string): Promise<IpcReply>;
  cancel(callId: string): void;
  onProgress(listener: (callId: string, progress: Progress) => void): () => void;
  pickFile(kind: FileKind): Promise<string | null>;
  /** Electron's save dialog for a PDF report; null when cancelled */
  pickSavePath?(defaultName: string): Promise<string | null>;
  /** the local path of a dropped or chosen File (Electron's webUtils) */
  pathForFile?(file: File): string;
}

export interface ApiClient {
  api: SightlineApi;
  transport: 'ipc' | 'http';
  /**
   * Makes a local file usable by path: a browser uploads it, Electron already has a path. Files
   * uploaded with the same group land in one folder (a model beside its sidecar card).
   */
  uploadFile(file: File, group?: string): Promise<string>;
  /**
   * Makes a main file usable by path together with its companions (a model's sidecar card): a
   * browser uploads the companions, each renamed to `renameTo` when given, then the main file, all
   * into one folder; Electron already has the files on disk, side by side, and returns the main
   * file's path (the engine finds `<model>.json` beside the model there).
   */
  uploadWithCompanions(main: File, companions: File[], renameTo?: string): Promise<string>;
  /** Electron's native file dialog; null in a browser (use an <input type=file>). */
  pickFile: ((kind: FileKind) => Promise<string | null>) | null;
  /** Electron's save dialog (the engine then writes the file); null in a browser (download the bytes). */
  pickSavePath: ((defaultName: string) => Promise<string | null>) | null;
}

let callCounter = 0;
function nextCallId(): string {
  callCounter += 1;
  return `${Date.now().toString(36)}-${callCounter}`;
}

function makeApi(call: (name: ProcedureName, input: unknown, ctx?: CallContext) => Promise<unknown>): SightlineApi {
  return new Proxy({} as SightlineApi, {
    get: (_target, name: string) => (input: unknown, ctx?: CallContext) => call(name as ProcedureName, input, ctx),
  });
}

export function createIpcClient(bridge: PreloadBridge): ApiClient {
  const listeners = new Map<string, (p: Progress) => void>();
  bridge.onProgress((callId, progress) => listeners.get(callId)?.(progress));
  const call = async (name: ProcedureName, input: unknown, ctx?: CallContext) => {
    const callId = nextCallId();
    if (ctx?.onProgress) listeners.set(callId, ctx.onProgress);
    const onAbort = () => bridge.cancel(callId);
    ctx?.signal?.addEventListener('abort', onAbort);
    try {
      const reply = await bridge.call(name, input ?? {}, callId);
      if (!reply.ok) throw new ApiError(reply.error.code as ApiError['code'], reply.error.message);
      return reply.value;
    } finally {
      listeners.delete(callId);
      ctx?.signal?.removeEventListener('abort', onAbort);
    }
  };
  const uploadFile = async (file: File) => {
    const path = bridge.pathForFile?.(file) ?? (file as File & { path?: string }).path;
    if (!path) throw new ApiError('BAD_INPUT', `Cannot read ${file.name}: no file path`);
    return path;
  };
  return {
    api: makeApi(call),
    transport: 'ipc',
    uploadFile,
    uploadWithCompanions: (main: File) => uploadFile(main),
    pickFile: (kind) => bridge.pickFile(kind),
    pickSavePath: bridge.pickSavePath ? (defaultName) => bridge.pickSavePath!(defaultName) : null,
  };
}

export function createHttpClient(origin = ''): ApiClient {
  const baseUrl = origin.replace(/\/+$/, '');
  const call = async (name: ProcedureName, input: unknown, ctx?: CallContext) => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${HTTP_CALL_PREFIX}${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        signal: ctx?.signal,
      });
    } catch (error) {
      if (ctx?.signal?.aborted) throw new ApiError('CANCELLED', 'Cancelled');
      throw new ApiError('INTERNAL', `The Sightline host did not answer: ${(error as Error).message}`);
    }
    if (!response.body) throw new ApiError('INTERNAL', `Empty reply from the host (${response.status})`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          const event = JSON.parse(line) as CallEvent;
          if (event.type === 'progress') ctx?.onProgress?.(event.progress);
          else if (event.type === 'result') return event.value;
          else throw new ApiError(event.error.code, event.error.message);
        }
      }
    } catch (error) {
      if (ctx?.signal?.aborted) throw new ApiError('CANCELLED', 'Cancelled');
      throw error;
    }
    throw new ApiError('INTERNAL', 'The host closed the reply without a result');
  };
  const uploadFile = async (file: File, group?: string) => {
    const query = `name=${encodeURIComponent(file.name)}${group ? `&group=${encodeURIComponent(group)}` : ''}`;
    const response = await fetch(`${baseUrl}${HTTP_UPLOAD_PATH}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    });
    const reply = (await response.json()) as { path?: string; error?: { code: string; message: string } };
    if (!response.ok || !reply.path) throw new ApiError('BAD_INPUT', reply.error?.message ?? `Upload of ${file.name} failed`);
    return reply.path;
  };
  return {
    api: makeApi(call),
    transport: 'http',
    uploadFile,
    uploadWithCompanions: async (main: File, companions: File[], renameTo?: string) => {
      const group = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      for (const companion of companions) await uploadFile(renameTo ? new File([companion], renameTo) : companion, group);
      return uploadFile(main, group);
    },
    pickFile: null,
    pickSavePath: null,
  };
}
