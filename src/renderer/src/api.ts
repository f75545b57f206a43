// The one api client of the renderer: IPC inside Electron (the preload exposes window.sightline),
// otherwise HTTP to the host that served this page (same origin).
import { createHttpClient, createIpcClient, type ApiClient } from '../../api/transport';

function pickClient(): ApiClient {
  return typeof window !== 'undefined' && window.sightline ? createIpcClient(window.sightline) : createHttpClient('');
}

export const client: ApiClient = pickClient();
