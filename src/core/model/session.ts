// onnxruntime sessions: provider choice per OS with a CPU fallback (onnxruntime-node does not fall
// back by itself: a missing CUDA library throws at session creation), cached by model SHA-256.
// Every runner records the provider that really ran.
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { ApiError } from '../../api/contract';
import type { ProviderPreference } from '../../api/schemas';

export type ProviderName = 'cpu' | 'cuda' | 'webgpu' | 'dml' | 'coreml';

export function providerOrder(preference: ProviderPreference, platform: NodeJS.Platform = process.platform): ProviderName[] {
  if (preference !== 'auto') return preference === 'cpu' ? ['cpu'] : [preference, 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

/** An external data file given to onnxruntime as bytes: `path` as the model's initializers name it. */
export interface ExternalDataFile {
  path: string;
  data: Uint8Array;
}

export interface SessionOptions {
  /** threads per operator; 0 = onnxruntime's default (all cores) */
  intraOpThreads?: number;
}

export interface OpenSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** why earlier providers were skipped, for the record */
  fallbacks: string[];
}

// onnxruntime prints provider load failures natively; they are reported through `fallbacks` instead.
ort.env.logLevel = 'fatal';

/** Providers that failed once in this process are not tried again (each try is slow and noisy). */
const failedProviders = new Map<ProviderName, string>();

export class SessionCache {
  private readonly sessions = new Map<string, Promise<OpenSession>>();
  constructor(private readonly options: SessionOptions = {}) {}

  /**
   * `externalData`: the files a model's initializers reference, when the model is not in their folder
   * (the cached gradient models); the session is then created from the model's bytes.
   */
  get(modelPath: string, sha256: string, preference: ProviderPreference, externalData?: ExternalDataFile[]): Promise<OpenSession> {
    const key = `${sha256}|${preference}`;
    let entry = this.sessions.get(key);
    if (!entry) {
      entry = this.create(modelPath, preference, externalData);
      this.sessions.set(key, entry);
      entry.catch(() => this.sessions.delete(key));
    }
    return entry;
  }

  private async create(modelPath: string, preference: ProviderPreference, externalData?: ExternalDataFile[]): Promise<OpenSession> {
    const fallbacks: string[] = [];
    const source = externalData?.length ? await readFile(modelPath) : null;
    const order = providerOrder(preference);
    for (const provider of order) {
      const earlier = failedProviders.get(provider);
      if (earlier) {
        fallbacks.push(`${provider}: ${earlier}`);
        continue;
      }
      try {
        const sessionOptions: ort.InferenceSession.SessionOptions = {
          executionProviders: [provider],
          intraOpNumThreads: this.options.intraOpThreads ?? 0,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          logSeverityLevel: 4,
        };
        const session = source
          ? await ort.InferenceSession.create(source, { ...sessionOptions, externalData })
          : await ort.InferenceSession.create(modelPath, sessionOptions);
        return { session, provider, fallbacks };
      } catch (error) {
        const message = firstLine((error as Error).message);
        if (provider === 'cpu') {
          throw new ApiError('BAD_MODEL', `onnxruntime cannot load ${modelPath}: ${message}`);
        }
        failedProviders.set(provider, message);
        fallbacks.push(`${provider}: ${message}`);
      }
    }
    throw new ApiError('INTERNAL', `No execution provider could run ${modelPath}`);
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const entry of all) {
      try {
        await (await entry).session.release();
      } catch {
        // a session that failed to open has nothing to release
      }
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
