// Stored images: one row per distinct file content (id = its SHA-256); the bytes live in the data
// folder under images/, the row keeps where, what it is and DICOM attributes when present.
import type { StoredImage } from '../../../api/case-schemas';
import { insertAudited, type Who } from '../audit';
import type { Db } from '../db';

export interface ImageRow {
  id: string;
  file_name: string;
  stored_path: string;
  kind: 'image' | 'tensor';
  format: string;
  width: number;
  height: number;
  channels: number;
  bit_depth: number;
  byte_size: number;
  dicom_json: string | null;
  created_at: string;
}

export function findImage(db: Db, id: string): ImageRow | undefined {
  return db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
}

export function insertImageIfNew(db: Db, who: Who, row: ImageRow, caseId: string | null): void {
  if (!findImage(db, row.id)) insertAudited(db, who, 'images', { ...row }, caseId);
}

export function listImages(db: Db): ImageRow[] {
  return db.prepare('SELECT * FROM images').all() as ImageRow[];
}

export function toStoredImage(row: ImageRow): StoredImage {
  return {
    sha256: row.id,
    fileName: row.file_name,
    format: row.format,
    kind: row.kind,
    width: row.width,
    height: row.height,
    channels: row.channels,
    bitDepth: row.bit_depth,
    byteSize: row.byte_size,
    dicom: row.dicom_json ? (JSON.parse(row.dicom_json) as Record<string, unknown>) : null,
  };
}
