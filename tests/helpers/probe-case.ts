// A case to save probes to, for the store and report tests: an engine on a temporary data folder
// (CPU, one thread), the region-mean model (logits [m, −m], m = the mean of a 10×10 input over a
// 4×5 region, labels from a card), and two 10×10 tensor inputs, the first made a case with the
// model's prediction. Small enough that a probe is computable by hand: hiding pixels with zeros
// lowers m by their sum over the region's 20 pixels.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { validated, type SightlineApi } from '../../src/api/contract';
import { Engine } from '../../src/core/engine';
import { encodeMask } from '../../src/core/tensor/binary-mask';
import { encodeNpy } from '../../src/core/tensor/npy';
import type { BinaryMask } from '../../src/api/schemas';
import { makeTempDir } from './fixtures';
import { randomFloats, regionMeanModel, writeModel } from './onnx-builder';

export const PROBE_SIZE = 10;
export const PROBE_REGION = { top: 2, left: 2, height: 4, width: 5 };
export const PROBE_LABELS = ['region bright', 'region dark'];

export interface ProbeCase {
  api: SightlineApi;
  dir: string;
  dataDir: string;
  modelId: string;
  modelSha256: string;
  /** the case's image (its id is the .npy file's SHA-256) and its values */
  inputId: string;
  pixels: Float32Array;
  /** another open image, not the case's */
  otherInputId: string;
  caseId: string;
  pseudonym: string;
}

/** Registers beforeAll/afterAll that build the engine, model, inputs and case; use inside a test file. */
export function probeCase(prefix: string, actor = 'dr.test'): ProbeCase {
  const temp = makeTempDir(prefix);
  let engine: Engine | undefined;
  const state = { dir: temp.dir, dataDir: join(temp.dir, 'data') } as ProbeCase;
  beforeAll(async () => {
    engine = new Engine({ dataDir: state.dataDir, intraOpThreads: 1, defaultProvider: 'cpu', actor });
    state.api = validated(engine);
    const modelPath = writeModel(temp.dir, 'region-mean', regionMeanModel({ channels: 1, height: PROBE_SIZE, width: PROBE_SIZE, region: PROBE_REGION }), {
      name: 'region-mean',
      labels: PROBE_LABELS,
    });
    const model = await state.api.openModel({ path: modelPath });
    state.modelId = model.id;
    state.modelSha256 = model.sha256;
    const openTensor = async (name: string, data: Float32Array) => {
      const path = join(temp.dir, `${name}.npy`);
      writeFileSync(path, encodeNpy({ shape: [1, 1, PROBE_SIZE, PROBE_SIZE], data }));
      return (await state.api.openInput({ path })).id;
    };
    state.pixels = randomFloats(PROBE_SIZE * PROBE_SIZE, 101, 0.5, 1.5);
    state.inputId = await openTensor('scan', state.pixels);
    state.otherInputId = await openTensor('other', randomFloats(PROBE_SIZE * PROBE_SIZE, 202, 0.5, 1.5));
    const created = await state.api.caseCreate({ inputId: state.inputId, modelId: model.id, note: 'probe test case' });
    state.caseId = created.summary.id;
    state.pseudonym = created.summary.pseudonym;
  });
  afterAll(async () => {
    await engine?.dispose();
    temp.cleanup();
  });
  return state;
}

/** A brush stroke over rows and columns [from, to] (inclusive) of the 10×10 input. */
export function brushStroke(rows: [number, number], columns: [number, number]): { mask: BinaryMask; painted: number } {
  const painted = new Uint8Array(PROBE_SIZE * PROBE_SIZE);
  for (let r = rows[0]; r <= rows[1]; r++) for (let c = columns[0]; c <= columns[1]; c++) painted[r * PROBE_SIZE + c] = 1;
  return { mask: encodeMask(PROBE_SIZE, PROBE_SIZE, painted), painted: painted.reduce((a, b) => a + b, 0) };
}

/** The sum of the input over the stroke's pixels that lie in the model's region (what zeros remove from m·20). */
export function hiddenInRegion(pixels: Float32Array, rows: [number, number], columns: [number, number]): number {
  let sum = 0;
  const { top, left, height, width } = PROBE_REGION;
  for (let r = Math.max(rows[0], top); r <= Math.min(rows[1], top + height - 1); r++)
    for (let c = Math.max(columns[0], left); c <= Math.min(columns[1], left + width - 1); c++) sum += pixels[r * PROBE_SIZE + c];
  return sum;
}
