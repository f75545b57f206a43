// Signatures (21 CFR 11.50/11.70): signer, time, meaning, and the SHA-256 of the signed record,
// whose canonical JSON is kept beside it. Triggers refuse to change or delete a signature.
import type { Signature } from '../../../api/case-schemas';
import { insertAudited, sha256Hex, type Who } from '../audit';
import type { Db } from '../db';

interface SignatureRow {
  id: string;
  case_id: string;
  revision: number;
  signer: string;
  meaning: Signature['meaning'];
  signed_at: string;
  record_sha256: string;
  record_json: string;
}

export function insertSignature(db: Db, who: Who, caseId: string, signature: Signature, recordJson: string): void {
  const row: SignatureRow = {
    id: signature.id,
    case_id: caseId,
    revision: signature.revision,
    signer: signature.signer,
    meaning: signature.meaning,
    signed_at: signature.signedAt,
    record_sha256: signature.recordSha256,
    record_json: recordJson,
  };
  insertAudited(db, who, 'signatures', { ...row }, caseId);
}

export function listSignatures(db: Db, caseId: string): Signature[] {
  const rows = db.prepare('SELECT * FROM signatures WHERE case_id = ? ORDER BY revision').all(caseId) as SignatureRow[];
  return rows.map((row) => ({
    id: row.id,
    revision: row.revision,
    signer: row.signer,
    meaning: row.meaning,
    signedAt: row.signed_at,
    recordSha256: row.record_sha256,
  }));
}

/** Every signature whose kept record no longer hashes to what was signed. */
export function signaturesWithBrokenRecords(db: Db): string[] {
  const rows = db.prepare('SELECT id, case_id, revision, record_sha256, record_json FROM signatures').all() as SignatureRow[];
  return rows.filter((row) => sha256Hex(row.record_json) !== row.record_sha256).map((row) => `signature of case ${row.case_id} revision ${row.revision}`);
}
