// The numbered schema migrations and their runner. Each runs in its own transaction together with
// the `user_version` it reaches, so a crash leaves the database at one version or the next, never
// between. Rule: a migration that changes rows of an audited table must append audit rows for
// them, or `verify` will report the rows as changed outside the app.
import type { Db } from '../db';
import { initialSchema } from './001-initial';
import { fullTextSearch } from './002-search';
import { agreementAndSignatures } from './003-agreement-signatures';
import { conceptsAndTrust } from './004-concepts-trust';
import { savedProbes } from './005-probes';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [initialSchema, fullTextSearch, agreementAndSignatures, conceptsAndTrust, savedProbes];
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Db, target: number = LATEST_SCHEMA_VERSION): void {
  MIGRATIONS.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const current = Number(db.pragma('user_version', { simple: true }));
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
