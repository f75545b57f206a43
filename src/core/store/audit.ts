// The audit trail (21 CFR 11.10(e)): every change to an audited row appends who, what, when, the
// old and the new value, each row's SHA-256 covering its fields and the previous row's hash. The
// table refuses UPDATE and DELETE by trigger; `verifyAudit` recomputes the chain and replays it
// against the live rows, so edits made with plain SQL (triggers dropped or not) are found.
import { createHash } from 'node:crypto';
import type { Db } from './db';
import { nowIso } from './ids';

/** Tables whose every change is audited; each has a TEXT primary key `id`. */
export const AUDITED_TABLES = ['images', 'cases', 'predictions', 'explanations', 'annotations', 'reviews', 'exports', 'signatures', 'interventions', 'probes'] as const;
export type AuditedTable = (typeof AUDITED_TABLES)[number];

export const GENESIS_HASH = '0'.repeat(64);
const APPEND_ONLY_TRIGGERS = ['audit_no_update', 'audit_no_delete'];
const MAX_PROBLEMS = 200;

/** Who makes a change, and why (the reason is optional, e.g. "changes after signature"). */
export interface Who {
  actor: string;
  reason?: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  case_id: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** A row as the audit records it: blobs become their SHA-256 and length (the bytes stay in the row). */
export function snapshotOf(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value instanceof Uint8Array ? { sha256: sha256Hex(value), bytes: value.length } : value;
  }
  return out;
}

export function rowSnapshot(db: Db, table: AuditedTable, id: string): Record<string, unknown> | null {
  const row = db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? snapshotOf(row) : null;
}

/** The hash of one audit row: its fields in a fixed order, chained to `prev_hash`. */
export function chainHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256Hex(
    JSON.stringify([row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.case_id, row.old_value, row.new_value, row.reason, row.prev_hash]),
  );
}

interface AuditEntry {
  action: string;
  entity: AuditedTable;
  entityId: string;
  caseId: string | null;
  old: unknown;
  new: unknown;
}

/** Appends one link to the chain; call inside the transaction that makes the change. */
export function appendAudit(db: Db, who: Who, entry: AuditEntry): void {
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string };
  const row: Omit<AuditRow, 'hash'> = {
    seq: head.seq + 1,
    at: nowIso(),
    actor: who.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    case_id: entry.caseId,
    old_value: entry.old == null ? null : canonicalJson(entry.old),
    new_value: entry.new == null ? null : canonicalJson(entry.new),
    reason: who.reason ?? null,
    prev_hash: head.hash,
  };
  const hash = chainHash(row);
  db.prepare(
    `INSERT INTO audit (seq, at, actor, action, entity, entity_id, case_id, old_value, new_value, reason, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @entity, @entity_id, @case_id, @old_value, @new_value, @reason, @prev_hash, @hash)`,
  ).run({ ...row, hash });
  db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(row.seq, hash);
}

/** Applies `write` to one row and audits its value before and after (no row when nothing changed). */
function auditedChange(db: Db, who: Who, table: AuditedTable, id: string, caseId: string | null, action: string, write: () => void): void {
  const before = rowSnapshot(db, table, id);
  write();
  const after = rowSnapshot(db, table, id);
  if (canonicalJson(before) === canonicalJson(after)) return;
  appendAudit(db, who, { action, entity: table, entityId: id, caseId, old: before, new: after });
}

// Column names below always come from this code, never from a request.
export function insertAudited(db: Db, who: Who, table: AuditedTable, row: Record<string, unknown> & { id: string }, caseId: string | null): void {
  const columns = Object.keys(row);
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
  auditedChange(db, who, table, row.id, caseId, 'create', () => db.prepare(sql).run(row));
}

export function updateAudited(db: Db, who: Who, table: AuditedTable, id: string, changes: Record<string, unknown>, caseId: string | null, action = 'update'): void {
  const sets = Object.keys(changes).map((c) => `${c} = @${c}`);
  if (sets.length === 0) return;
  const sql = `UPDATE ${table} SET ${sets.join(', ')} WHERE id = @id`;
  auditedChange(db, who, table, id, caseId, action, () => db.prepare(sql).run({ ...changes, id }));
}

export function deleteAudited(db: Db, who: Who, table: AuditedTable, id: string, caseId: string | null): void {
  auditedChange(db, who, table, id, caseId, 'delete', () => db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id));
}

export interface AuditVerification {
  rows: number;
  problems: string[];
}

/**
 * Checks the chain (contiguous sequence, each link's hash and its pointer to the previous one,
 * the head), that the append-only triggers exist, and replays the chain: every audited row must
 * equal the last value the audit recorded for it, and no audited row may be missing.
 */
export function verifyAudit(db: Db): AuditVerification {
  const problems: string[] = [];
  const report = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else if (problems.length === MAX_PROBLEMS) problems.push('… more problems not listed');
  };
  const lastValue = new Map<string, string | null>();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  for (const row of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    rows += 1;
    if (row.seq !== expectedSeq) report(`audit row ${row.seq}: expected row ${expectedSeq} (rows ${expectedSeq}–${row.seq - 1} are missing)`);
    if (row.prev_hash !== prevHash) report(`audit row ${row.seq}: its link to the previous row is broken (a row before it was changed or removed)`);
    if (chainHash(row) !== row.hash) report(`audit row ${row.seq}: its content does not match its hash (it was changed)`);
    lastValue.set(`${row.entity}/${row.entity_id}`, row.new_value);
    expectedSeq = row.seq + 1;
    prevHash = row.hash;
  }
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
  if (!head) report('the audit head is missing');
  else if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    report(`the audit ends at row ${expectedSeq - 1} but its head names row ${head.seq}: rows at the end were removed or the head was changed`);
  }
  const objects = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").pluck().all() as string[]));
  for (const trigger of APPEND_ONLY_TRIGGERS) if (!objects.has(trigger)) report(`the audit's append-only trigger ${trigger} is missing`);

  for (const table of AUDITED_TABLES) {
    if (!objects.has(table)) continue;
    const seen = new Set<string>();
    for (const row of db.prepare(`SELECT * FROM ${table}`).iterate() as IterableIterator<Record<string, unknown> & { id: string }>) {
      const key = `${table}/${row.id}`;
      seen.add(key);
      const recorded = lastValue.get(key);
      if (recorded === undefined) report(`${table} ${row.id} has no audit record (it was written outside the app)`);
      else if (recorded === null) report(`${table} ${row.id} was deleted according to the audit but exists`);
      else if (recorded !== canonicalJson(snapshotOf(row))) report(`${table} ${row.id} differs from its last audited value (changed outside the app)`);
    }
    for (const [key, value] of lastValue) {
      if (key.startsWith(`${table}/`) && value !== null && !seen.has(key)) report(`${key.replace('/', ' ')} is in the audit but missing (deleted outside the app)`);
    }
  }
  return { rows, problems };
}
