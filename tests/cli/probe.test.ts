// `sightline probe` through the real command: a mask drawn at the image's own size is carried
// through the model card's centre crop onto exactly the model-input pixels under it (the answer
// equals an in-process probe with that model-size mask built by hand, and the hand computation on
// the region-mean model); a model-size .npy mask is taken as is; a mask of another size is a clear
// error; --case saves the probe to a case as a counterfactual that `cases show` lists.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/api/case-schemas';
import { validated, type SightlineApi } from '../../src/api/contract';
import type { ProbeResult } from '../../src/api/schemas';
import { Engine } from '../../src/core/engine';
import { encodeMask } from '../../src/core/tensor/binary-mask';
import { encodeNpy } from '../../src/core/tensor/npy';
import { runCli, singleJson } from '../helpers/cli';
import { makeTempDir } from '../helpers/fixtures';
import { writePng } from '../helpers/images';
import { regionMeanModel, writeModel } from '../helpers/onnx-builder';

// A 16×8 gray image centre-cropped to the model's 8×8 (image columns 4–11); the model's score is
// the mean of its input over rows 1–6, columns 1–6.
const IMAGE_W = 16;
const SIZE = 8;
const REGION = { top: 1, left: 1, height: 6, width: 6 };
/** hidden in the mask: image rows 2–5, columns 6–9 = model rows 2–5, columns 2–5 */
const HIDDEN = { rows: [2, 5], columns: [6, 9] } as const;

const temp = makeTempDir('sightline-cli-probe-');
const dataDir = join(temp.dir, 'data');
const pixels = Array.from({ length: IMAGE_W * SIZE }, (_, i) => 40 + ((i * 37) % 200));
let modelPath: string;
let imagePath: string;
let engine: Engine;
let api: SightlineApi;

beforeAll(async () => {
  modelPath = writeModel(temp.dir, 'region-mean', regionMeanModel({ channels: 1, height: SIZE, width: SIZE, region: REGION }), {
    name: 'region-mean',
    labels: ['bright', 'dark'],
    input: { resize: 'center-crop' },
  });
  imagePath = await writePng(join(temp.dir, 'wide.png'), IMAGE_W, SIZE, 1, pixels);
  const mask = Array.from({ length: IMAGE_W * SIZE }, (_, i) => {
    const [x, y] = [i % IMAGE_W, Math.floor(i / IMAGE_W)];
    return y >= HIDDEN.rows[0] && y <= HIDDEN.rows[1] && x >= HIDDEN.columns[0] && x <= HIDDEN.columns[1] ? 255 : 0;
  });
  await writePng(join(temp.dir, 'mask-image.png'), IMAGE_W, SIZE, 1, mask);
  engine = new Engine({ intraOpThreads: 1, defaultProvider: 'cpu' });
  api = validated(engine);
});

afterAll(async () => {
  await engine?.dispose();
  temp.cleanup();
});

/** The model-input mask the image mask should become, built by hand. */
function expectedModelMask(): Uint8Array {
  const hidden = new Uint8Array(SIZE * SIZE);
  for (let y = HIDDEN.rows[0]; y <= HIDDEN.rows[1]; y++) for (let x = HIDDEN.columns[0] - 4; x <= HIDDEN.columns[1] - 4; x++) hidden[y * SIZE + x] = 1;
  return hidden;
}

describe('sightline probe', () => {
  it('carries an image-size mask through the centre crop onto the model-input pixels under it', async () => {
    const run = await runCli(['probe', '--model', modelPath, '--input', imagePath, '--mask', join(temp.dir, 'mask-image.png'), '--masker', 'zero', '--target', '0', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = singleJson<ProbeResult & { maskSize: number[] }>(run.stdout);
    expect(result.maskSize).toEqual([SIZE, SIZE]);
    expect(result.maskedPixels).toBe(16);
    // The same probe in process with the hand-built model-size mask.
    const model = await api.openModel({ path: modelPath });
    const input = await api.openInput({ path: imagePath });
    const direct = await api.probe({ modelId: model.id, inputId: input.id, mask: encodeMask(SIZE, SIZE, expectedModelMask()), masker: 'zero', target: 0 });
    expect(result.score).toBeCloseTo(direct.score, 6);
    expect(result.delta).toBeCloseTo(direct.delta, 6);
    // By hand: zeroing removes the hidden pixels' values (all inside the region) from the region mean.
    let removed = 0;
    for (let y = HIDDEN.rows[0]; y <= HIDDEN.rows[1]; y++) for (let x = HIDDEN.columns[0]; x <= HIDDEN.columns[1]; x++) removed += pixels[y * IMAGE_W + x] / 255;
    expect(result.delta).toBeCloseTo(-removed / (REGION.height * REGION.width), 5);
  });

  it('takes a model-size .npy mask as is, and refuses a mask of any other size by naming both sizes', async () => {
    const npy = join(temp.dir, 'mask-model.npy');
    writeFileSync(npy, encodeNpy({ shape: [SIZE, SIZE], data: Float32Array.from(expectedModelMask()) }));
    const fromNpy = singleJson<ProbeResult>((await runCli(['probe', '--model', modelPath, '--input', imagePath, '--mask', npy, '--masker', 'zero', '--target', '0', '--json'])).stdout);
    expect(fromNpy.maskedPixels).toBe(16);
    const wrong = join(temp.dir, 'mask-wrong.png');
    await writePng(wrong, 5, 5, 1, new Array(25).fill(255));
    const refused = await runCli(['probe', '--model', modelPath, '--input', imagePath, '--mask', wrong, '--json']);
    expect(refused.code).toBe(1);
    expect(singleJson<{ error: { code: string; message: string } }>(refused.stdout).error).toEqual({
      code: 'BAD_INPUT',
      message: "The mask mask-wrong.png is 5×5; it must be the image's size (16×8) or the model input's (8×8)",
    });
    const usage = await runCli(['probe', '--model', modelPath, '--input', imagePath, '--mask', npy, '--masker', 'sepia']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--masker must be one of zero, black, mean, blur, gaussian, superpixel-mean, noise/);
  });

  it('--case saves the probe to the case as a counterfactual, listed by cases show', async () => {
    const imported = await runCli(['cases', 'import', '--model', modelPath, '--input', imagePath, '--data', dataDir, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    const caseId = singleJson<{ cases: { caseId: string }[] }>(imported.stdout).cases[0].caseId;
    const saved = await runCli(['probe', '--model', modelPath, '--input', imagePath, '--mask', join(temp.dir, 'mask-image.png'), '--masker', 'zero', '--target', '0', '--case', caseId, '--note', 'centre hidden', '--actor', 'Dr CLI', '--data', dataDir]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/hiding 16 of 64 model-input pixels \(25\.0%\) with the zero masker/);
    expect(saved.stdout).toMatch(/Saved to case SL-\S+ \(revision 1\) as a counterfactual/);
    const detail = singleJson<CaseDetail>((await runCli(['cases', 'show', caseId, '--data', dataDir, '--json'])).stdout);
    expect(detail.probes).toHaveLength(1);
    expect(detail.probes![0]).toMatchObject({ note: 'centre hidden', author: 'Dr CLI', masker: 'zero', maskedPixels: 16 });
    const shown = await runCli(['cases', 'show', caseId, '--data', dataDir]);
    expect(shown.stdout).toMatch(/Counterfactual by Dr CLI: 25\.0% hidden \(zero\) → bright .* — centre hidden/);
  });
});
