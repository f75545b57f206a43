// Where Sightline keeps things on disk. The data folder (case database, stored images) is per
// user: Electron passes its userData folder; the host and the CLI take --data or SIGHTLINE_DATA_DIR.
// The cache (transformed models) can always be deleted.
import { homedir } from 'node:os';
import { join } from 'node:path';

function platformBase(kind: 'data' | 'cache'): string {
  const home = homedir();
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
  if (process.platform === 'darwin') return join(home, 'Library', kind === 'data' ? 'Application Support' : 'Caches');
  if (kind === 'data') return process.env.XDG_DATA_HOME ?? join(home, '.local', 'share');
  return process.env.XDG_CACHE_HOME ?? join(home, '.cache');
}

export function defaultDataDir(): string {
  return process.env.SIGHTLINE_DATA_DIR ?? join(platformBase('data'), 'sightline');
}

export function defaultCacheDir(): string {
  return process.env.SIGHTLINE_CACHE_DIR ?? join(platformBase('cache'), 'sightline');
}
