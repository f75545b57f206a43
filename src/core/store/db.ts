// Opens the case database (SQLite through better-sqlite3): refuses a schema newer than this build
// knows before touching the file, then WAL, foreign keys, a busy timeout and full sync, and runs the
// numbered migrations. SQLite errors become ApiErrors that say what happened and what was kept.
import type BetterSqlite3 from 'better-sqlite3';
import { ApiError } from '../../api/contract';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations';

export type Db = BetterSqlite3.Database;

export interface OpenOptions {
  /** migrate only up to this version (tests of older schemas); default: the latest */
  targetVersion?: number;
  /** milliseconds a writer waits for another process's lock */
  busyTimeoutMs?: number;
}

/**
 * better-sqlite3 is not an N-API addon: a binary built for Node does not load in Electron (another
 * NODE_MODULE_VERSION) until electron-builder rebuilds it. It is loaded on first use, so that an
 * unbuilt binary fails the case calls with this message instead of the whole engine.
 */
async function loadDriver(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (error) {
    throw new ApiError(
      'INTERNAL',
      `The case database driver (better-sqlite3) could not load: ${(error as Error).message.split('\n')[0]}. ` +
        'Electron needs it rebuilt for its ABI (electron-builder install-app-deps, or npm run package).',
    );
  }
}

export async function openCaseDatabase(path: string, options: OpenOptions = {}): Promise<Db> {
  const Database = await loadDriver();
  let db: Db;
  try {
    db = new Database(path);
  } catch (error) {
    throw storeError(error, `open ${path}`);
  }
  try {
    // Read the version before any pragma that writes (journal_mode=WAL changes the file header).
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new ApiError(
        'BAD_INPUT',
        `The case database ${path} was written by a newer Sightline (schema version ${version}; this version reads up to ${LATEST_SCHEMA_VERSION}). ` +
          'It was left untouched: open it with that newer Sightline.',
      );
    }
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    db.pragma('journal_mode = WAL');
    // FULL: a returned commit survives power loss too, not only a killed process.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.targetVersion ?? LATEST_SCHEMA_VERSION);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof ApiError ? error : storeError(error, `open ${path}`);
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** `PRAGMA integrity_check` lines: ["ok"] when the file is sound. */
export function integrityCheck(db: Db): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
}

/** A SQLite failure as an ApiError; a full disk or size limit says that nothing saved was lost. */
export function storeError(error: unknown, doing: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message ?? String(error);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new ApiError(
      'BAD_INPUT',
      `The disk or the case database is full: this change (${doing}) was not saved. Everything saved before is intact; free some space and try again.`,
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new ApiError('INTERNAL', `The case database is busy (another Sightline is writing); ${doing} was not done — try again`);
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new ApiError('BAD_INPUT', `The case database is not a readable SQLite file (${message}); ${doing} was not done`);
  }
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new ApiError('BAD_INPUT', `The case database cannot be written (${message}); ${doing} was not done`);
  }
  return new ApiError('INTERNAL', `Case database error during ${doing}: ${message}`);
}
