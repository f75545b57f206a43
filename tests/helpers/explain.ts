// A shared setup for explainer tests: one in-process engine behind the validated api (CPU, one
// thread so timing tests do not oversubscribe the 2 cores), and helpers to open built models and
// tensor inputs written to a temporary folder.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { validated, type SightlineApi } from '../../src/api/contract';
import type { Explanation } from '../../src/api/schemas';
import { Engine } from '../../src/core/engine';
import { encodeNpy } from '../../src/core/tensor/npy';
import { fromWire } from '../../src/core/tensor/wire';
import { makeTempDir } from './fixtures';
import { writeModel } from './onnx-builder';

export interface ExplainHarness {
  api: SightlineApi;
  dir: string;
  openModel(name: string, bytes: Uint8Array, card?: unknown): Promise<string>;
  openTensor(name: string, shape: number[], data: Float32Array): Promise<string>;
}

/** Registers beforeAll/afterAll for an engine and a temporary folder; use inside a test file. */
export function explainHarness(prefix: string): ExplainHarness {
  const tmp = makeTempDir(prefix);
  let engine: Engine;
  const harness: ExplainHarness = {
    api: undefined as unknown as SightlineApi,
    dir: tmp.dir,
    async openModel(name, bytes, card) {
      return (await harness.api.openModel({ path: writeModel(join(tmp.dir, name), name, bytes, card) })).id;
    },
    async openTensor(name, shape, data) {
      const path = join(tmp.dir, `${name}.npy`);
      writeFileSync(path, encodeNpy({ shape, data }));
      return (await harness.api.openInput({ path })).id;
    },
  };
  beforeAll(() => {
    engine = new Engine({ intraOpThreads: 1, defaultProvider: 'cpu' });
    harness.api = validated(engine);
  });
  afterAll(async () => {
    await engine.dispose();
    tmp.cleanup();
  });
  return harness;
}

export const attributionOf = (result: Explanation) => fromWire(result.attribution);
export const heatmapOf = (result: Explanation) => fromWire(result.heatmap);

/** Mean of an [H, W] map over each cell of a K×K grid (cell = floor(row·K/H)·K + floor(col·K/W)). */
export function cellMeans(map: Float32Array, width: number, height: number, cells: number): number[] {
  const sums = new Array<number>(cells * cells).fill(0);
  const counts = new Array<number>(cells * cells).fill(0);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const cell = Math.floor((r * cells) / height) * cells + Math.floor((c * cells) / width);
      sums[cell] += map[r * width + c];
      counts[cell]++;
    }
  return sums.map((s, i) => s / counts[i]);
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
