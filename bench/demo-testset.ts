// Shared by the demo benches: the 200-image demo test set (resources/demo/testset) opened in an
// in-process engine with its lesion and marker masks, the demo models, and the
// explanation parameters that keep perturbation methods to a few minutes over 200 images.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validated, type SightlineApi } from '../src/api/contract';
import type { InputInfo, ModelInfo, ParamValue } from '../src/api/schemas';
import { boxMask, demoModelPath, readMask, readTestManifest, repoDemoDir, type DemoTestImage } from '../src/core/demo/demo-assets';
import { Engine } from '../src/core/engine';
import { option } from './bench-args';

export interface TestCase {
  image: DemoTestImage;
  input: InputInfo;
  lesion: Uint8Array;
}

export interface DemoBench {
  api: SightlineApi;
  cases: TestCase[];
  /** the corner marker's cells on the model-input grid, with the pointing-game tolerance around it */
  marker: Uint8Array;
  openModel(file: string): Promise<ModelInfo>;
  dispose(): Promise<void>;
}

/**
 * Pixels around the marker plate that still count as pointing at it: the pointing game's tolerance
 * (Zhang et al. allow 15 px at 224 px; 3 px here covers the plate's corner, where a window-based
 * map such as occlusion puts its first maximum).
 */
export const MARKER_TOLERANCE = 3;

/** Fewer samples than the interactive defaults for the sampling methods, so 200 images take minutes. */
export const BENCH_PARAMS: Record<string, Record<string, ParamValue>> = {
  rise: { samples: 500 },
  lime: { samples: 300 },
  'kernel-shap': { samples: 300 },
  'partition-shap': { samples: 200 },
  'integrated-gradients': { steps: 16 },
};

export async function openDemoBench(args: string[]): Promise<DemoBench> {
  const demoDir = repoDemoDir();
  const manifest = await readTestManifest(demoDir);
  const count = Math.min(manifest.images.length, Number(option(args, 'images', String(manifest.images.length))));
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-data-'));
  const engine = new Engine({ dataDir, intraOpThreads: Number(option(args, 'threads', '2')) });
  const api = validated(engine);
  const cases: TestCase[] = [];
  for (const image of manifest.images.slice(0, count)) {
    const input = await api.openInput({ path: join(demoDir, 'testset', image.file) });
    cases.push({ image, input, lesion: (await readMask(join(demoDir, 'testset', image.mask))).cells });
  }
  const first = cases[0].input;
  return {
    api,
    cases,
    marker: boxMask(manifest.markerBox, first.width, first.height, MARKER_TOLERANCE),
    openModel: (file) => api.openModel({ path: demoModelPath(demoDir, file) }),
    async dispose() {
      await engine.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The explanation's display map ([H, W] at model-input resolution) as float32 values. */
export function heatmapValues(dataBase64: string): Float32Array {
  const bytes = Buffer.from(dataBase64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}
