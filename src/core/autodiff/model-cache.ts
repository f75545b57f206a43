// Gradient models on disk: the transform's output for (model SHA-256, options) is written once under
// the cache folder (`<cache>/gradient-models/<key>.onnx` + `.json` with its seeds and outputs) and
// reused by later sessions and processes. Writes are atomic (temp file + rename).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { ApiError } from '../../api/contract';
import { APP_VERSION } from '../../api/version';
import { defaultCacheDir } from '../paths';
import { UnsupportedError } from './rule';
import { standardRuleSet, type RuleSet } from './rules';
import { appendBackward, type TransformOptions, type TransformResult } from './transform';

/**
 * Bump when the transform or a shared rule helper (rules/shared) changes its output for the same
 * inputs; each rule's own code and the app version are part of the key too. A rule's own code is its
 * `backward` and its `source`: the closure given to a factory (elementwiseRule, reductionRule,
 * convRuleWith — whose `backward` is the factory's body, the same for every rule it builds) and the
 * helper functions of the rule's file.
 */
const TRANSFORM_VERSION = 1;

export interface GradientModelSpec {
  modelPath: string;
  /** SHA-256 of the model file, as opened */
  sha256: string;
  wrt: string[];
  batch: number;
  scores?: string[];
  scoreActivation?: TransformOptions['scoreActivation'];
  ruleSet?: RuleSet;
}

export interface GradientModel {
  /** the transformed model file */
  path: string;
  /** folder the model's external data files are read from (the original model's folder), or null */
  externalDataDir: string | null;
  /** external data files the initializers reference (relative to externalDataDir) */
  externalDataFiles: string[];
  seeds: TransformResult['seeds'];
  gradients: TransformResult['gradients'];
  activations: string[];
  stats: TransformResult['stats'];
  /** how long the transform took when it ran (decode, transform, encode) */
  transformMs: number;
  fromCache: boolean;
}

const cachedRuleHashes = new WeakMap<RuleSet, string>();

/** A digest of the rules' code (backward and source), so that a changed rule never reuses a stale cached model. */
function ruleSetDigest(ruleSet: RuleSet): string {
  let digest = cachedRuleHashes.get(ruleSet);
  if (!digest) {
    const hash = createHash('sha256').update(ruleSet.id);
    for (const [op, rule] of [...ruleSet.rules].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${op}:${rule.backward.toString()}${rule.source ?? ''}`);
    digest = hash.digest('hex');
    cachedRuleHashes.set(ruleSet, digest);
  }
  return digest;
}

export function gradientModelKey(spec: GradientModelSpec): string {
  const ruleSet = spec.ruleSet ?? standardRuleSet;
  const options = {
    version: `${APP_VERSION}/${TRANSFORM_VERSION}`,
    model: spec.sha256,
    wrt: spec.wrt,
    batch: spec.batch,
    scores: spec.scores ?? null,
    scoreActivation: spec.scoreActivation ?? 'none',
    rules: ruleSetDigest(ruleSet),
  };
  return createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 32);
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

function externalFiles(model: ModelProto): string[] {
  const files = new Set<string>();
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataLocation !== 1) continue;
    const location = t.externalData.find((e) => e.key === 'location')?.value;
    if (location) files.add(location);
  }
  return [...files];
}

/** The transformed model for a spec: from the cache when present, else transformed and stored. */
export async function gradientModel(spec: GradientModelSpec, cacheDir = defaultCacheDir()): Promise<GradientModel> {
  const key = gradientModelKey(spec);
  const path = join(cacheDir, 'gradient-models', `${key}.onnx`);
  const metaPath = `${path.slice(0, -'.onnx'.length)}.json`;
  try {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as Omit<GradientModel, 'path' | 'fromCache'>;
    return { ...meta, externalDataDir: meta.externalDataFiles.length ? dirname(spec.modelPath) : null, path, fromCache: true };
  } catch {
    // not cached yet (or unreadable): transform below
  }
  const started = performance.now();
  const bytes = await readFile(spec.modelPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== spec.sha256) throw new ApiError('BAD_MODEL', `${spec.modelPath} changed on disk since it was opened; open it again`);
  const model = fromBinary(ModelProtoSchema, bytes);
  let result: TransformResult;
  try {
    result = appendBackward(model, {
      wrt: spec.wrt,
      batch: spec.batch,
      scores: spec.scores,
      scoreActivation: spec.scoreActivation,
      ruleSet: spec.ruleSet,
      modelDir: dirname(spec.modelPath),
    });
  } catch (error) {
    if (error instanceof UnsupportedError) throw new ApiError('BAD_MODEL', `Gradients cannot be computed for this model: ${error.message}`);
    throw new ApiError('BAD_PARAMS', (error as Error).message);
  }
  const encoded = toBinary(ModelProtoSchema, result.model);
  const meta = {
    externalDataFiles: externalFiles(result.model),
    seeds: result.seeds,
    gradients: result.gradients,
    activations: result.activations,
    stats: result.stats,
    transformMs: performance.now() - started,
  };
  await mkdir(dirname(path), { recursive: true });
  await writeAtomic(path, encoded);
  await writeAtomic(metaPath, JSON.stringify(meta));
  return { ...meta, externalDataDir: meta.externalDataFiles.length ? dirname(spec.modelPath) : null, path, fromCache: false };
}
