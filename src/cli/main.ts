// `sightline`: the api from a terminal, on the same engine as the app.
// Exit codes: 0 success, 1 bad input (file, model, parameters), 2 usage, 3 internal error.
// With --json, stdout holds exactly one JSON object; logs and progress go to stderr.
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, validated, type SightlineApi } from '../api/contract';
import { DISCLAIMER, type Explanation, type ParamValue } from '../api/schemas';
import { Engine } from '../core/engine';
import { renderOverlayPng } from '../core/display/overlay';
import { encodeNpy } from '../core/tensor/npy';
import { fromWire } from '../core/tensor/wire';

const USAGE = `Usage:
  sightline predict --model M.onnx --input IMAGE|TENSOR.npy [--json] [--top K] [--provider auto|cpu|cuda|webgpu]
  sightline explain --model M.onnx --input IMAGE|TENSOR.npy --method NAME [--target N]
                    [--set key=value ...] --out RESULT.npy|RESULT.png|RESULT.json [--json] [--provider P]
  sightline methods [--json]
  sightline --version

  .npy  the raw attribution exactly as the method defines it (no normalisation)
  .png  the heatmap over the image
  .json the record (method, parameters, target, model SHA-256, provider, time) and the array
Example:
  sightline explain --model resnet18.onnx --input cat.png --method occlusion --target 281 \\
    --set window=3,16,16 --set strides=3,8,8 --set baseline=0 --out occlusion.npy`;

class UsageError extends Error {}

const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 3 } as const;

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  const apiError = ApiError.from(error);
  return apiError.code === 'INTERNAL' ? EXIT.internal : EXIT.badInput;
}

function parseSets(sets: string[] | undefined): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const item of sets ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes key=value, got "${item}"`);
    params[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return params;
}

function progressReporter(enabled: boolean) {
  let lastPercent = -1;
  return (progress: { done: number; total: number }) => {
    if (!enabled) return;
    const percent = progress.total ? Math.floor((100 * progress.done) / progress.total) : 0;
    if (percent === lastPercent || (percent % 10 !== 0 && !process.stderr.isTTY)) return;
    lastPercent = percent;
    if (process.stderr.isTTY) process.stderr.write(`\r${progress.done}/${progress.total} evaluations (${percent}%)`);
    else process.stderr.write(`${progress.done}/${progress.total} evaluations (${percent}%)\n`);
    if (process.stderr.isTTY && progress.done >= progress.total) process.stderr.write('\n');
  };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === '--version') {
    console.log('0.1.0');
    return EXIT.ok;
  }
  let values: ReturnType<typeof parse>;
  const parse = (args: string[]) =>
    parseArgs({
      args,
      strict: true,
      options: {
        model: { type: 'string' },
        input: { type: 'string' },
        method: { type: 'string' },
        target: { type: 'string' },
        set: { type: 'string', multiple: true },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        top: { type: 'string' },
        provider: { type: 'string' },
        quiet: { type: 'boolean', default: false },
      },
    }).values;
  try {
    values = parse(rest);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const engine = new Engine({ transport: 'cli', intraOpThreads: Number(process.env.SIGHTLINE_THREADS ?? 0) || 0 });
  const api: SightlineApi = validated(engine);
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nCancelling…\n');
    controller.abort();
  });
  const provider = values.provider as 'auto' | undefined;
  const need = (name: 'model' | 'input' | 'method' | 'out') => {
    const value = values[name];
    if (!value) throw new UsageError(`${command} needs --${name}`);
    return value;
  };
  try {
    switch (command) {
      case 'methods': {
        const methods = await api.methods({});
        if (values.json) console.log(JSON.stringify({ methods }));
        else {
          for (const m of methods) {
            console.log(`${m.id} — ${m.label} (${m.family}, needs ${m.needs}); output ${m.output.shape}: ${m.output.meaning}`);
            for (const p of m.params) {
              const def = p.default === null ? 'auto' : Array.isArray(p.default) ? p.default.join(',') : String(p.default);
              console.log(`    --set ${p.name}=…  (${p.kind}${p.options ? `: ${p.options.join('|')}` : ''}; default ${def}) ${p.description}`);
            }
          }
        }
        return EXIT.ok;
      }
      case 'predict': {
        const model = await api.openModel({ path: need('model') });
        const input = await api.openInput({ path: need('input') });
        const prediction = await api.predict({ modelId: model.id, inputId: input.id, provider });
        const top = Number(values.top ?? 5);
        if (values.json) {
          const { logits, probabilities, provider: ran, modelSha256 } = prediction;
          console.log(JSON.stringify({ logits, probabilities, top: prediction.top.slice(0, top), provider: ran, modelSha256 }));
        } else {
          console.log(`${model.name} on ${input.name} (provider ${prediction.provider})`);
          for (const t of prediction.top.slice(0, top)) console.log(`  ${t.index.toString().padStart(5)}  ${t.label.padEnd(24)} ${(t.score * 100).toFixed(2)}%`);
          console.log(DISCLAIMER);
        }
        return EXIT.ok;
      }
      case 'explain': {
        const out = need('out');
        const format = extname(out).toLowerCase();
        if (!['.npy', '.png', '.json'].includes(format)) throw new UsageError(`--out must end in .npy, .png or .json (got ${out})`);
        const target = values.target === undefined ? undefined : Number(values.target);
        if (target !== undefined && !(Number.isInteger(target) && target >= 0)) throw new UsageError(`--target must be a class index (got ${values.target})`);
        const params = parseSets(values.set);
        const model = await api.openModel({ path: need('model') });
        const input = await api.openInput({ path: need('input') });
        const result = await api.explain(
          { modelId: model.id, inputId: input.id, method: need('method'), target, params, provider },
          { signal: controller.signal, onProgress: progressReporter(!values.quiet) },
        );
        await writeResult(out, format, result, input.previewPng);
        const summary = {
          out,
          method: result.method,
          target: result.target,
          targetLabel: result.targetLabel,
          shape: result.attribution.shape,
          range: result.heatmapRange,
          evaluations: result.evaluations,
          provider: result.provider,
          durationMs: Math.round(result.durationMs),
          modelSha256: result.modelSha256,
        };
        if (values.json) console.log(JSON.stringify(summary));
        else {
          console.error(`${result.method} for class ${result.target} (${result.targetLabel}): ${result.evaluations} evaluations on ${result.provider} in ${(result.durationMs / 1000).toFixed(2)} s → ${out}`);
          console.error(DISCLAIMER);
        }
        return EXIT.ok;
      }
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } finally {
    await engine.dispose();
  }
}

async function writeResult(out: string, format: string, result: Explanation, previewPng: string): Promise<void> {
  const attribution = fromWire(result.attribution);
  try {
    if (format === '.npy') await writeFile(out, encodeNpy(attribution));
    else if (format === '.png') await writeFile(out, await renderOverlayPng(previewPng, result));
    else {
      const { attribution: _raw, heatmap: _heatmap, ...record } = result;
      await writeFile(out, JSON.stringify({ ...record, disclaimer: DISCLAIMER, attribution: { shape: attribution.shape, data: Array.from(attribution.data) } }));
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ApiError('BAD_INPUT', `The disk is full: ${out} could not be written`);
    if (code) throw new ApiError('BAD_INPUT', `Cannot write ${out}: ${code}`);
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = exitCodeOf(error);
    const message = error instanceof UsageError ? `${error.message}\n\n${USAGE}` : ApiError.from(error).message;
    const wantsJson = process.argv.includes('--json');
    if (wantsJson) {
      const apiError = error instanceof UsageError ? { code: 'USAGE', message: error.message } : ApiError.from(error).toJSON();
      console.log(JSON.stringify({ error: apiError }));
    }
    console.error(`sightline: ${message}`);
    process.exitCode = code;
  },
);
