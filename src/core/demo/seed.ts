// First-run seeding of the data folder from resources/demo: opens the demo CNN and makes one case
// per sample image (pseudonyms DEMO-01 …, each with the CNN's prediction). Idempotent: a sample whose
// case exists is skipped, so later starts only look the cases up.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ApiError } from '../../api/contract';
import type { Startup } from '../../api/demo-schemas';
import type { CaseDetail } from '../../api/case-schemas';
import type { InputInfo, ModelInfo } from '../../api/schemas';
import { DEMO_MODELS, demoModelPath, readSampleManifest, type DemoSample } from './demo-assets';

/** What seeding needs of the engine. */
export interface SeedAccess {
  openModel(path: string): Promise<ModelInfo>;
  openInput(path: string): Promise<InputInfo>;
  /** the case with this id or pseudonym, or null */
  findCase(ref: string): Promise<CaseDetail | null>;
  createCase(input: { inputId: string; modelId: string; pseudonym: string; note: string }): Promise<CaseDetail>;
}

export interface SeededDemo {
  startup: NonNullable<Startup['demo']>;
  /** ground-truth lesion mask file per sample image SHA-256 */
  masks: Map<string, string>;
}

function demoPseudonym(index: number): string {
  return `DEMO-${String(index + 1).padStart(2, '0')}`;
}

function sampleNote(sample: DemoSample, index: number, disclaimer: string): string {
  const marker = sample.marker ? ' A corner marker is present (see the shortcut CNN).' : '';
  return `Demonstration sample ${index + 1}: synthetic phantom, ground truth ${sample.label}.${marker} ${disclaimer}`;
}

export async function seedDemo(access: SeedAccess, demoDir: string): Promise<SeededDemo> {
  const manifest = await readSampleManifest(demoDir);
  const model = await access.openModel(demoModelPath(demoDir, DEMO_MODELS[0].file));
  const caseIds: string[] = [];
  const masks = new Map<string, string>();
  let created = 0;
  for (const [index, sample] of manifest.samples.entries()) {
    const pseudonym = demoPseudonym(index);
    const imagePath = join(demoDir, 'samples', sample.file);
    const maskPath = join(demoDir, 'samples', sample.mask);
    // inputs are identified by their bytes' SHA-256 (the stored image's sha256, the open input's id):
    // the mask is found again for a reopened case without reading and hashing the sample again
    const existing = await access.findCase(pseudonym);
    if (existing) {
      masks.set(existing.image?.sha256 ?? createHash('sha256').update(await readFile(imagePath)).digest('hex'), maskPath);
      caseIds.push(existing.summary.id);
      continue;
    }
    const input = await access.openInput(imagePath);
    masks.set(input.id, maskPath);
    const detail = await access.createCase({ inputId: input.id, modelId: model.id, pseudonym, note: sampleNote(sample, index, manifest.disclaimer) });
    caseIds.push(detail.summary.id);
    created++;
  }
  const models = DEMO_MODELS.map((m) => ({ name: basename(m.file, '.onnx'), path: demoModelPath(demoDir, m.file), kind: m.kind }));
  return { startup: { model, models, caseIds, created, disclaimer: manifest.disclaimer }, masks };
}

/** caseGet's NOT_FOUND as null. */
export async function caseOrNull(get: () => Promise<CaseDetail>): Promise<CaseDetail | null> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
