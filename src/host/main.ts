// `npm run host` / the fallback of `npm start`: serve the built UI and the api on 127.0.0.1.
// Usage: node --import tsx src/host/main.ts [--port N] [--data DIR] [--reason "why not Electron"] [--no-demo] [--built-worker]
// The case database lives in --data, else SIGHTLINE_DATA_DIR, else the platform data folder; the
// demonstration (sample cases, demo CNN) is seeded there on first run unless --no-demo.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerEngine } from '../core/jobs/worker-engine';
import { repoDemoDir } from '../core/demo/demo-assets';
import { defaultDataDir } from '../core/paths';
import { startHost } from './server';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(option('--port') ?? process.env.SIGHTLINE_PORT ?? 0) || 0;
const reason = option('--reason');
const rendererDir = resolve(fileURLToPath(new URL('../../out/renderer', import.meta.url)));

const dataDir = resolve(option('--data') ?? defaultDataDir());
const demoDir = args.includes('--no-demo') ? undefined : repoDemoDir();
// `npm start` has just built the app: its bundled engine worker starts in a fraction of the time
// the TypeScript one takes to compile (part of the 5-second budget to show the sample cases).
const builtWorker = fileURLToPath(new URL('../../out/main/engine-worker.js', import.meta.url));
const entry = args.includes('--built-worker') && existsSync(builtWorker) ? builtWorker : undefined;
const engine = new WorkerEngine({ transport: 'http', dataDir, demoDir, entry });
// Seed and open the demonstration while the browser loads the page (the UI asks for the same result).
if (demoDir) engine.api.startup({}).catch((error: unknown) => console.error(`The demonstration could not be prepared: ${(error as Error).message}`));
try {
  const host = await startHost({ api: engine.api, rendererDir, port });
  console.log(`${reason ? `${reason}; ` : ''}Sightline is running at ${host.url}`);
  console.error(`Case data folder: ${dataDir}`);
  const stop = async () => {
    await host.close();
    await engine.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === 'EADDRINUSE' ? `Port ${port} is in use; choose another with --port or SIGHTLINE_PORT` : `Sightline could not start: ${(error as Error).message}`);
  process.exit(1);
}
