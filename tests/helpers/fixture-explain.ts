// An in-process engine for explainer tests on the fixture models: one thread, CPU, its own
// transformed-model cache and data folder in a temporary directory (restored afterwards), and a
// memo of opened models and inputs so that each test names them by fixture name.
import { afterAll, beforeAll } from 'vitest';
import type { SightlineApi } from '../../src/api/contract';
import type { Explanation, ParamValue } from '../../src/api/schemas';
import { Engine } from '../../src/core/engine';
import { engineApi } from './engine';
import { imageNpy, makeTempDir, modelPath } from './fixtures';

export interface FixtureExplainer {
  readonly api: SightlineApi;
  dir: string;
  /** runs `method` on a fixture model (by name) and a fixture image (by name) or any input path */
  explain(model: string, image: string, method: string, target: number | undefined, params?: Record<string, ParamValue>): Promise<Explanation>;
}

export function fixtureExplainer(prefix: string): FixtureExplainer {
  const tmp = makeTempDir(prefix);
  const previousCache = process.env.SIGHTLINE_CACHE_DIR;
  const ids = new Map<string, Promise<string>>();
  let engine: Engine;
  let api: SightlineApi;
  const memo = (key: string, open: () => Promise<string>) => {
    if (!ids.has(key)) ids.set(key, open());
    return ids.get(key)!;
  };
  beforeAll(() => {
    process.env.SIGHTLINE_CACHE_DIR = `${tmp.dir}/cache`;
    engine = new Engine({ intraOpThreads: 1, defaultProvider: 'cpu', dataDir: `${tmp.dir}/data` });
    api = engineApi(engine);
  });
  afterAll(async () => {
    await engine.dispose();
    if (previousCache === undefined) delete process.env.SIGHTLINE_CACHE_DIR;
    else process.env.SIGHTLINE_CACHE_DIR = previousCache;
    tmp.cleanup();
  });
  return {
    get api() {
      return api;
    },
    dir: tmp.dir,
    async explain(model, image, method, target, params = {}) {
      const modelId = await memo(`model:${model}`, async () => (await api.openModel({ path: model.includes('/') ? model : modelPath(model) })).id);
      const inputId = await memo(`input:${image}`, async () => (await api.openInput({ path: image.includes('/') ? image : imageNpy(image) })).id);
      return api.explain({ modelId, inputId, method, target, params });
    },
  };
}
