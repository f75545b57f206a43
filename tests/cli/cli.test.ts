// The `sightline` command end to end (a real child process). Must show 6 on the CLI: bad files and
// bad models exit 1 with a clear message on stderr (and one JSON error object on stdout with
// --json); usage errors exit 2; methods lists occlusion; explain writes .png and .json results.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCLAIMER } from '../../src/api/schemas';
import { runCli, singleJson, type CliResult } from '../helpers/cli';
import { imagePng, makeTempDir, modelPath, sha256File } from '../helpers/fixtures';
import { rgbPattern, writePng } from '../helpers/images';
import { linearModel, writeModel } from '../helpers/onnx-builder';

const tmp = makeTempDir('sightline-cli-');
afterAll(() => tmp.cleanup());

interface JsonError {
  error: { code: string; message: string };
}

/** Runs the same failing command twice: plain (message on stderr) and with --json (one object on stdout). */
async function expectFailure(args: string[], exitCode: number, code: string, message: RegExp): Promise<{ plain: CliResult; json: CliResult }> {
  const [plain, json] = await Promise.all([runCli(args), runCli([...args, '--json'])]);
  expect(plain.code, plain.stderr).toBe(exitCode);
  expect(plain.stderr).toMatch(/^sightline: /);
  expect(plain.stderr).toMatch(message);
  expect(plain.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  expect(json.code).toBe(exitCode);
  const body = singleJson<JsonError>(json.stdout);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
  return { plain, json };
}

let truncatedPng: string;
let textOnnx: string;
let mnistPath: string;
let rgbModel: ReturnType<typeof linearModel>;
let rgbModelPath: string;
let photo40x30: string;
let photo16: string;
const pixels16 = rgbPattern(16, 16);

beforeAll(async () => {
  truncatedPng = join(tmp.dir, 'truncated.png');
  writeFileSync(truncatedPng, readFileSync(imagePng('chelsea')).subarray(0, 1000));
  textOnnx = join(tmp.dir, 'notes.onnx');
  writeFileSync(textOnnx, 'These are my notes about the model, not the model itself.\nSecond line.\n');
  mnistPath = writeModel(join(tmp.dir, 'mnist'), 'mnist', linearModel({ dims: [1, 28, 28], classes: 10, seed: 51 }).bytes);
  rgbModel = linearModel({ dims: [3, 16, 16], classes: 4, seed: 52 });
  rgbModelPath = writeModel(join(tmp.dir, 'rgb'), 'rgb', rgbModel.bytes, { labels: ['cat', 'dog', 'cup', 'man'] });
  photo40x30 = await writePng(join(tmp.dir, 'photo40x30.png'), 40, 30, 3, rgbPattern(40, 30));
  photo16 = await writePng(join(tmp.dir, 'photo16.png'), 16, 16, 3, pixels16);
});

describe('bad input exits 1 with a clear message', () => {
  it('a truncated PNG (the first 1000 bytes of chelsea.png)', async () => {
    await expectFailure(['predict', '--model', modelPath('resnet18'), '--input', truncatedPng], 1, 'BAD_INPUT', /truncated\.png is corrupt or truncated/);
  });

  it('a text file named .onnx', async () => {
    await expectFailure(['predict', '--model', textOnnx, '--input', imagePng('chelsea')], 1, 'BAD_MODEL', /notes\.onnx is not an ONNX model/);
  });

  it('a 1×1×28×28 model given an RGB photo', async () => {
    const { plain } = await expectFailure(['predict', '--model', mnistPath, '--input', imagePng('chelsea')], 1, 'BAD_INPUT', /colorToGray/);
    expect(plain.stderr).toContain('1×1×28×28');
    expect(plain.stderr).toContain('chelsea.png has 3 channels (RGB, 224×224)');
  });

  it('a missing input file and an unknown parameter', async () => {
    await expectFailure(['predict', '--model', mnistPath, '--input', join(tmp.dir, 'missing.png')], 1, 'NOT_FOUND', /missing\.png/);
    await expectFailure(
      ['explain', '--model', rgbModelPath, '--input', photo16, '--method', 'occlusion', '--set', 'radius=2', '--out', join(tmp.dir, 'never.npy')],
      1,
      'BAD_PARAMS',
      /occlusion has no parameter "radius"/,
    );
  });
});

describe('usage errors exit 2', () => {
  it('no command prints the usage and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Usage:/);
    expect(result.stdout).toMatch(/sightline predict/);
  });

  it.each([
    ['an unknown command', ['frobnicate'], /Unknown command "frobnicate"/],
    ['an unknown option', ['predict', '--model', 'm.onnx', '--input', 'x.png', '--bogus'], /bogus/],
    ['a missing --model', ['predict', '--input', 'x.png'], /predict needs --model/],
    ['--out with another extension', ['explain', '--model', 'm.onnx', '--input', 'x.png', '--method', 'occlusion', '--out', 'result.txt'], /--out must end in \.npy, \.png or \.json/],
    ['a target that is not a class index', ['explain', '--model', 'm.onnx', '--input', 'x.png', '--method', 'occlusion', '--target', '2.5', '--out', 'r.npy'], /--target must be a class index/],
    ['--set without =', ['explain', '--model', 'm.onnx', '--input', 'x.png', '--method', 'occlusion', '--set', 'window', '--out', 'r.npy'], /--set takes key=value/],
  ])('%s', async (_what, args, message) => {
    const [plain, json] = await Promise.all([runCli(args), runCli([...args, '--json'])]);
    expect(plain.code, plain.stderr).toBe(2);
    expect(plain.stderr).toMatch(message);
    expect(json.code).toBe(2);
    const body = singleJson<JsonError>(json.stdout);
    expect(body.error.code).toBe('USAGE');
    expect(body.error.message).toMatch(message);
  });

  it('--version and --help exit 0', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 success, 1 bad input, 2 usage, 3 internal error/);
  });
});

describe('methods', () => {
  it('methods --json lists occlusion with its parameters', async () => {
    const result = await runCli(['methods', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { methods } = singleJson<{ methods: { id: string; family: string; params: { name: string; kind: string; default: unknown }[] }[] }>(result.stdout);
    const occlusion = methods.find((m) => m.id === 'occlusion');
    expect(occlusion).toBeDefined();
    expect(occlusion!.family).toBe('perturbation');
    expect(occlusion!.params.map((p) => p.name)).toEqual(['window', 'strides', 'baseline', 'batchSize']);
    expect(occlusion!.params.find((p) => p.name === 'baseline')).toMatchObject({ kind: 'number-or-enum', default: 0 });
    expect(occlusion!.params.find((p) => p.name === 'batchSize')).toMatchObject({ kind: 'int', default: 32 });
  });

  it('methods without --json prints one line per method with --set hints', async () => {
    const result = await runCli(['methods']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^occlusion — Occlusion/m);
    expect(result.stdout).toMatch(/--set window=/);
  });
});

describe('explain outputs', () => {
  it('--out .png writes the heatmap over the whole input image (its size, not the model size)', async () => {
    const out = join(tmp.dir, 'overlay.png');
    const result = await runCli(['explain', '--model', rgbModelPath, '--input', photo40x30, '--method', 'occlusion', '--target', '2', '--set', 'window=3,4,4', '--set', 'strides=3,4,4', '--out', out, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(DISCLAIMER);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([40, 30]);
    // the heatmap is really drawn: the pixels differ from the source image
    const drawn = await sharp(bytes).removeAlpha().raw().toBuffer();
    const source = Buffer.from(rgbPattern(40, 30));
    let changed = 0;
    for (let i = 0; i < source.length; i++) if (Math.abs(drawn[i] - source[i]) > 8) changed++;
    expect(changed).toBeGreaterThan(source.length / 4);
  });

  it('--out .json writes the record: method, params, target, model SHA-256, provider and the attribution', async () => {
    const out = join(tmp.dir, 'record.json');
    const result = await runCli(['explain', '--model', rgbModelPath, '--input', photo16, '--method', 'occlusion', '--target', '1', '--set', 'window=3,8,8', '--set', 'strides=3,8,8', '--set', 'baseline=0', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = singleJson<{ out: string; evaluations: number; target: number; targetLabel: string }>(result.stdout);
    expect(summary).toMatchObject({ out, evaluations: 5, target: 1, targetLabel: 'dog' });
    const record = JSON.parse(readFileSync(out, 'utf8')) as {
      method: string;
      params: Record<string, unknown>;
      target: number;
      targetLabel: string;
      modelSha256: string;
      provider: string;
      evaluations: number;
      disclaimer: string;
      attribution: { shape: number[]; data: number[] };
    };
    expect(record.method).toBe('occlusion');
    expect(record.params).toEqual({ window: [3, 8, 8], strides: [3, 8, 8], baseline: 0, batchSize: 32 });
    expect(record.target).toBe(1);
    expect(record.targetLabel).toBe('dog');
    expect(record.modelSha256).toBe(sha256File(rgbModelPath));
    expect(record.provider).toBe('cpu');
    expect(record.evaluations).toBe(5);
    expect(record.disclaimer).toBe(DISCLAIMER);
    expect(record.attribution.shape).toEqual([1, 3, 16, 16]);
    expect(record.attribution.data).toHaveLength(3 * 16 * 16);
    // four non-overlapping 8×8 windows over all channels: each element gets its quadrant's Σ w·x
    const x = new Float64Array(3 * 256);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 256; p++) x[c * 256 + p] = pixels16[p * 3 + c] / 255;
    const quadrant = (p: number) => (Math.floor(p / 16) < 8 ? 0 : 2) + ((p % 16) < 8 ? 0 : 1);
    const deltas = [0, 0, 0, 0];
    for (let i = 0; i < 768; i++) deltas[quadrant(i % 256)] += rgbModel.weights[i * 4 + 1] * x[i];
    for (let i = 0; i < 768; i++) expect(Math.abs(record.attribution.data[i] - deltas[quadrant(i % 256)])).toBeLessThan(1e-4);
  });
});
