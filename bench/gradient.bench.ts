// Gradient engine cost per fixture model, on the CPU: (forward + backward) / forward at batch 1 and 8
// (batch 8 per image; "forward" = the forward-only session at the same batch), transform time
// (decode + transform + encode, no cache), and peak RSS of a child process that loads one model
// (forward and gradient sessions, all runs). Options: --threads N (intra-op threads, default 1),
// --runs N (timed runs per measurement, default 7), --models a,b.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { gradientModel } from '../src/core/autodiff/model-cache';
import { readOnnxModel } from '../src/core/model/onnx-info';
import { SessionCache } from '../src/core/model/session';
import { modelNames, modelPath } from '../tests/helpers/fixtures';
import { median, option } from './bench-args';

const BATCHES = [1, 8];

interface ChildResult {
  model: string;
  transformMs: number;
  forwardNodes: number;
  backwardNodes: number;
  batches: { batch: number; forwardMs: number; gradientMs: number; forwardMinMs: number; gradientMinMs: number }[];
  peakRssMiB: number;
}

/** In the child: measures one model and prints one JSON line. */
async function measure(model: string, threads: number, runs: number): Promise<ChildResult> {
  const path = modelPath(model);
  const info = await readOnnxModel(path);
  const input = info.inputs[0];
  const output = info.outputs[0];
  const cacheDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const sessions = new SessionCache({ intraOpThreads: threads });
  try {
    const forward = (await sessions.get(path, info.sha256, 'cpu')).session;
    const dims = input.shape.slice(1);
    const perImage = dims.reduce((a, b) => a * b, 1);
    const classes = output.shape[1];
    const batches: ChildResult['batches'] = [];
    let transformMs = 0;
    let stats = { forwardNodes: 0, backwardNodes: 0 };
    for (const batch of BATCHES) {
      const built = await gradientModel({ modelPath: path, sha256: info.sha256, wrt: [input.name], batch, scores: [output.name] }, cacheDir);
      if (batch === 1) [transformMs, stats] = [built.transformMs, built.stats];
      const gradient = (await sessions.get(built.path, `bench:${batch}:${info.sha256}`, 'cpu')).session;
      const x = new ort.Tensor('float32', Float32Array.from({ length: batch * perImage }, (_, i) => Math.sin(i)), [batch, ...dims]);
      const seedValues = new Float32Array(batch * classes);
      for (let b = 0; b < batch; b++) seedValues[b * classes + (b % classes)] = 1;
      const seed = new ort.Tensor('float32', seedValues, [batch, classes]);
      const runForward = () => forward.run({ [input.name]: x }, [output.name]);
      const runGradient = () => gradient.run({ [input.name]: x, [built.seeds[output.name]]: seed }, [output.name, built.gradients[input.name]]);
      for (let w = 0; w < 2; w++) {
        await runForward();
        await runGradient();
      }
      const f: number[] = [];
      const g: number[] = [];
      for (let r = 0; r < runs; r++) {
        // interleaved, so load changes on the machine hit both alike
        let t = performance.now();
        await runForward();
        f.push(performance.now() - t);
        t = performance.now();
        await runGradient();
        g.push(performance.now() - t);
      }
      batches.push({ batch, forwardMs: median(f), gradientMs: median(g), forwardMinMs: Math.min(...f), gradientMinMs: Math.min(...g) });
    }
    return { model, transformMs, ...stats, batches, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await sessions.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function runChild(model: string, threads: number, runs: number): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', model, String(threads), String(runs)], { maxBuffer: 1 << 20, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${model}: ${error.message}\n${stderr}`));
      else resolvePromise(JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult);
    });
  });
}

export async function run(args: string[]): Promise<void> {
  const threads = Number(option(args, 'threads', '1'));
  const runs = Number(option(args, 'runs', '7'));
  const models = option(args, 'models', modelNames().join(',')).split(',');
  console.log(`CPU, onnxruntime-node ${ort.env.versions.common}, intra-op threads ${threads}, ${runs} interleaved runs; times are medians;`);
  console.log('ratio = (forward + backward) / forward at the same batch (target ≤ 2.2×), from medians and (in brackets) from the fastest runs, which a loaded machine disturbs least');
  console.log(['model', 'nodes fwd→+bwd', 'transform ms', 'fwd b1 ms', 'f+b b1 ms', 'ratio b1', 'fwd b8 ms/img', 'f+b b8 ms/img', 'ratio b8', 'peak RSS MiB'].join(' | '));
  for (const model of models) {
    const r = await runChild(model, threads, runs);
    const [b1, b8] = r.batches;
    const cells = [
      r.model,
      `${r.forwardNodes}→${r.forwardNodes + r.backwardNodes}`,
      r.transformMs.toFixed(0),
      b1.forwardMs.toFixed(1),
      b1.gradientMs.toFixed(1),
      `${(b1.gradientMs / b1.forwardMs).toFixed(2)} (${(b1.gradientMinMs / b1.forwardMinMs).toFixed(2)})`,
      (b8.forwardMs / 8).toFixed(1),
      (b8.gradientMs / 8).toFixed(1),
      `${(b8.gradientMs / b8.forwardMs).toFixed(2)} (${(b8.gradientMinMs / b8.forwardMinMs).toFixed(2)})`,
      r.peakRssMiB.toFixed(0),
    ];
    console.log(cells.join(' | '));
  }
}

if (process.argv[2] === '--child') {
  const [model, threads, runs] = process.argv.slice(3);
  console.log(JSON.stringify(await measure(model, Number(threads), Number(runs))));
}
