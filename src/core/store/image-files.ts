// The image files of cases, kept in the data folder as images/<sha256><ext> so a case reopens
// with exactly the bytes it was reviewed on. Written to a temporary name and renamed, so a crash
// never leaves a half file under the final name; a full disk is a clear error.
import { copyFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ApiError } from '../../api/contract';
import { sha256Hex } from './audit';

export const IMAGES_DIR = 'images';

export interface StoredFile {
  /** relative to the data folder */
  relativePath: string;
  byteSize: number;
  /** false when the same content was already stored */
  created: boolean;
}

export async function storeImageFile(dataDir: string, sourcePath: string, sha256: string): Promise<StoredFile> {
  const relativePath = join(IMAGES_DIR, `${sha256}${extname(sourcePath).toLowerCase()}`);
  const target = join(dataDir, relativePath);
  try {
    const existing = await stat(target).catch(() => null);
    if (existing) return { relativePath, byteSize: existing.size, created: false };
    await mkdir(join(dataDir, IMAGES_DIR), { recursive: true });
    const partial = `${target}.partial-${process.pid}`;
    try {
      await copyFile(sourcePath, partial);
      if ((await sha256OfFile(partial)) !== sha256) {
        throw new ApiError('BAD_INPUT', `${sourcePath} changed while it was being stored; open it again`);
      }
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
    return { relativePath, byteSize: (await stat(target)).size, created: true };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ApiError('BAD_INPUT', 'The disk is full: the image could not be stored in the data folder, so no case was created. Nothing saved before was lost.');
    throw new ApiError('BAD_INPUT', `The image could not be stored in the data folder (${code ?? (error as Error).message})`);
  }
}

async function sha256OfFile(path: string): Promise<string> {
  return sha256Hex(await readFile(path));
}

/** The file's SHA-256, or null when it is missing. */
export async function fileSha256(path: string): Promise<string | null> {
  try {
    return await sha256OfFile(path);
  } catch {
    return null;
  }
}
