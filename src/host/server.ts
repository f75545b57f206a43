// The local host: serves the built renderer and the api over HTTP on the loopback interface, so
// the unchanged UI runs in any browser (and in end-to-end tests). Calls stream NDJSON events;
// a client that closes its request cancels the call.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError, callProcedure, isProcedureName, type SightlineApi } from '../api/contract';
import type { CallEvent } from '../api/schemas';
import { HTTP_CALL_PREFIX, HTTP_UPLOAD_PATH } from '../api/transport';

export interface HostOptions {
  api: SightlineApi;
  /** folder of the built renderer (index.html and assets) */
  rendererDir: string;
  port?: number;
  hostname?: string;
  /** where browser uploads are stored; a fresh temporary folder by default */
  uploadDir?: string;
  maxJsonBytes?: number;
}

export interface RunningHost {
  url: string;
  port: number;
  server: Server;
  uploadDir: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const hostname = options.hostname ?? '127.0.0.1';
  const ownUploadDir = !options.uploadDir;
  const uploadDir = options.uploadDir ?? (await mkdtemp(join(tmpdir(), 'sightline-uploads-')));
  const rendererDir = resolve(options.rendererDir);
  const maxJsonBytes = options.maxJsonBytes ?? 16 * 1024 * 1024;

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: ApiError.from(error).toJSON() });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(HTTP_CALL_PREFIX)) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'BAD_PARAMS', message: 'Use POST' } });
      return handleCall(url.pathname.slice(HTTP_CALL_PREFIX.length), req, res);
    }
    if (url.pathname === HTTP_UPLOAD_PATH) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'BAD_PARAMS', message: 'Use POST' } });
      return handleUpload(url, req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'BAD_PARAMS', message: 'Not allowed' } });
    return serveStatic(url.pathname, res);
  }

  async function handleCall(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isProcedureName(name)) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `Unknown procedure ${name}` } });
    let input: unknown;
    try {
      const text = await readBody(req, maxJsonBytes);
      input = text.trim() ? JSON.parse(text) : {};
    } catch (error) {
      return sendJson(res, 400, { error: { code: 'BAD_PARAMS', message: `The request body is not valid JSON: ${(error as Error).message}` } });
    }
    const controller = new AbortController();
    // The client closing its request before the reply ends = cancel.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    const write = (event: CallEvent) => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(event)}\n`);
    };
    try {
      const value = await callProcedure(options.api, name, input, { signal: controller.signal, onProgress: (progress) => write({ type: 'progress', progress }) });
      write({ type: 'result', value });
    } catch (error) {
      write({ type: 'error', error: ApiError.from(error).toJSON() });
    }
    res.end();
  }

  async function handleUpload(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = basename(url.searchParams.get('name') ?? '').replace(/[^\w.\- ]+/g, '_');
    if (!name || name.startsWith('.')) return sendJson(res, 400, { error: { code: 'BAD_PARAMS', message: 'Upload needs ?name=<file name>' } });
    // Files uploaded together (a model and its sidecar card) share a group folder.
    const group = (url.searchParams.get('group') ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`).replace(/[^\w-]+/g, '_');
    const dir = join(uploadDir, group);
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    try {
      await pipeline(req, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      const message = code === 'ENOSPC' ? 'The disk is full: the upload could not be stored' : `The upload failed: ${(error as Error).message}`;
      return sendJson(res, 507, { error: { code: 'BAD_INPUT', message } });
    }
    sendJson(res, 200, { path });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = resolve(rendererDir, relative || 'index.html');
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return sendJson(res, 403, { error: { code: 'BAD_PARAMS', message: 'Forbidden' } });
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      // Unknown paths get the app (client-side routes); a missing asset with an extension is a 404.
      if (extname(file)) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No such file: ${relative}` } });
      file = join(rendererDir, 'index.html');
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return sendJson(res, 404, {
        error: { code: 'NOT_FOUND', message: `The renderer is not built (${file} is missing): run npm run build` },
      });
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(body);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, hostname, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const url = `http://${hostname}:${port}/`;
  return {
    url,
    port,
    server,
    uploadDir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      if (ownUploadDir) await rm(uploadDir, { recursive: true, force: true });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new Error(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
