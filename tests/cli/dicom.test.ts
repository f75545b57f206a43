// The DICOM commands as a user runs them (issue 7): `decode` writes float32 .npy laid out as pydicom's
// pixel_array at each stage; `dicom-tags --json` prints one JSON object; bad files exit 1 with a clear
// message; `predict` and `explain` take a DICOM --input, which the model sees through its card's window.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DicomImage } from '../../src/core/dicom/dicom-image';
import { windowValue } from '../../src/core/dicom/voi';
import { runCli, singleJson } from '../helpers/cli';
import { makeTempDir, maxAbsDiff, readNpyF32 } from '../helpers/fixtures';
import { dicomFile, dicomManifest, readNpyAny, referencePath } from '../helpers/dicom-fixtures';
import { linearModel } from '../helpers/onnx-builder';

const temp = makeTempDir('sightline-cli-dicom-');
afterAll(() => temp.cleanup());
const manifest = new Map(dicomManifest().map((e) => [e.file.replace(/^files\/|\.dcm$/g, ''), e]));

async function decode(stem: string, args: string[], reference: string): Promise<number> {
  const out = join(temp.dir, `${stem}-${reference}.npy`);
  const result = await runCli(['decode', '--input', dicomFile(stem), ...args, '--out', out, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const summary = singleJson<{ shape: number[]; steps: { op: string }[] }>(result.stdout);
  const written = readNpyF32(out);
  const expected = readNpyAny(referencePath(manifest.get(stem)!, reference));
  expect(written.shape).toEqual(expected.shape);
  expect(summary.shape).toEqual(expected.shape);
  return maxAbsDiff(written.data, expected.data);
}

describe('sightline decode', () => {
  it('--stage stored: implicit VR, JPEG 2000 colour (YBR_RCT) and 12-bit JPEG equal the references', async () => {
    const [implicit, j2k, jpeg12] = await Promise.all([
      decode('MR_small_implicit', ['--stage', 'stored'], 'stored'),
      decode('examples_jpeg2k', ['--stage', 'stored'], 'stored'),
      decode('JPGExtended', ['--stage', 'stored'], 'stored'),
    ]);
    expect([implicit, j2k, jpeg12]).toEqual([0, 0, 0]);
  });

  it('--stage display with a file preset, --stage modality of frame 2', async () => {
    const image = DicomImage.parse(readFileSync(dicomFile('synthetic_f_window_presets')), 'f');
    const second = image.voiPresets(0)[1].id;
    const [display, frame2] = await Promise.all([
      decode('synthetic_f_window_presets', ['--stage', 'display', '--preset', second], 'display_w1'),
      decode('synthetic_m_multiframe', ['--stage', 'modality', '--frame', '2'], 'frame2.modality'),
    ]);
    expect(display).toBeLessThanOrEqual(1e-3);
    expect(frame2).toBeLessThanOrEqual(1e-3);
  });

  it('refuses every bad file with exit 1 and a message naming the problem', async () => {
    const cases: [string, RegExp][] = [
      ['MR_truncated', /truncated/],
      ['bad_truncated_pixeldata', /truncated: Pixel Data holds 1000 bytes/],
      ['bad_no_pixeldata', /no Pixel Data/],
      ['bad_absurd_dimensions', /absurd dimensions/],
      ['bad_unsupported_transfer_syntax', /unsupported transfer syntax: 1\.2\.840\.10008\.1\.2\.4\.100/],
      ['bad_not_dicom', /not a DICOM file/],
    ];
    const results = await Promise.all(cases.map(([stem]) => runCli(['decode', '--input', dicomFile(stem), '--stage', 'stored', '--out', join(temp.dir, 'bad.npy')], { timeoutMs: 30_000 })));
    results.forEach((result, i) => {
      expect(result.code, cases[i][0]).toBe(1);
      expect(result.stderr, cases[i][0]).toMatch(cases[i][1]);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    });
  });
});

describe('sightline dicom-tags', () => {
  it('--json prints exactly one JSON object with every attribute, sequences recursed', async () => {
    const result = await runCli(['dicom-tags', '--input', dicomFile('rtdose_rle_1frame'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const tags = singleJson<{ transferSyntax: { uid: string }; attributes: { path: string; vr: string; value: string }[] }>(result.stdout);
    expect(tags.transferSyntax.uid).toBe('1.2.840.10008.1.2.5');
    const byPath = new Map(tags.attributes.map((a) => [a.path, a]));
    expect(byPath.get('Rows')?.value).toBe('10');
    // a sequence stored as UN with a defined length is read as its items (PS3.5 6.2.2)
    expect(byPath.get('ReferencedRTPlanSequence[0]/ReferencedSOPInstanceUID')?.value).toBe('1.2.123.456.78.9.0123.4567.89012345678901');
  });

  it('reads the header of a file whose pixels cannot be decoded', async () => {
    const result = await runCli(['dicom-tags', '--input', dicomFile('bad_unsupported_transfer_syntax'), '--json']);
    expect(result.code).toBe(0);
    expect(singleJson<{ transferSyntax: { name: string } }>(result.stdout).transferSyntax.name).toMatch(/MPEG2/);
  });
});

describe('predict and explain with a DICOM --input', () => {
  it('the model sees the card’s window (8 bits) of the DICOM; logits equal W·x computed by hand', async () => {
    const model = linearModel({ dims: [1, 64, 64], classes: 2, seed: 11 });
    const modelPath = join(temp.dir, 'mr.onnx');
    writeFileSync(modelPath, model.bytes);
    const card = { labels: ['a', 'b'], input: { scale: 1 / 255, mean: [0], std: [1] }, dicom: { input: 'window', window: { center: 600, width: 1600 } } };
    writeFileSync(join(temp.dir, 'mr.json'), JSON.stringify(card));
    const result = await runCli(['predict', '--model', modelPath, '--input', dicomFile('MR_small'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { logits } = singleJson<{ logits: number[] }>(result.stdout);
    // By hand: modality = stored (no rescale), LINEAR window c 600 w 1600 onto [−32768, 32767], to 8 bits, /255.
    const stored = readNpyAny(referencePath(manifest.get('MR_small')!, 'stored')).data;
    const expected = [0, 0];
    stored.forEach((v, i) => {
      const y = windowValue(v, { center: 600, width: 1600, fn: 'LINEAR' }, -32768, 32767);
      const x = Math.fround(Math.round(((y + 32768) * 255) / 65535) / 255);
      for (let k = 0; k < 2; k++) expected[k] += model.weights[i * 2 + k] * x;
    });
    logits.forEach((l, k) => expect(Math.abs(l - expected[k])).toBeLessThan(1e-3));
    const explained = await runCli(['explain', '--model', modelPath, '--input', dicomFile('MR_small'), '--method', 'occlusion', '--set', 'window=1,16,16', '--set', 'strides=1,16,16', '--out', join(temp.dir, 'occ.npy'), '--json']);
    expect(explained.code, explained.stderr).toBe(0);
    expect(readNpyF32(join(temp.dir, 'occ.npy')).shape).toEqual([1, 1, 64, 64]);
  });
});
