// Development entry of the engine worker: registers tsx in this thread, then loads the TypeScript
// worker. Built apps use the bundled engine-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
