// One ONNX node-test case through the gradient transform: run its forward in onnxruntime-node,
// transform it (score = Σ seed ⊙ every float output, with respect to every float input; the first
// input alone when the others are weights the rules do not differentiate), check that the
// transformed model still returns the reference outputs, and gradient-check it by central differences.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { UnsupportedError } from '../../src/core/autodiff/rule';
import { GradCheck } from './gradcheck';
import { seededRandom } from './onnx-builder';
import { readTestData, toleranceViolation, type CorpusOutcome } from './onnx-corpus';

/** Central-difference steps (× rms of each input) by precision, and the pass mark (relative). */
export const CORPUS_FD = { float32Steps: [1e-2, 1e-3, 1e-4, 1e-5], float64Steps: [1e-4, 1e-6], tolerance: 1e-2, jitteredPoints: 3 } as const;

const isFloat = (t: ort.Tensor) => t.type === 'float32' || t.type === 'float64';

async function openCheck(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, outputs: Record<string, { dims: readonly number[]; type: string }>, floatInputs: string[]): Promise<GradCheck | UnsupportedError> {
  try {
    return await GradCheck.open(bytes, feeds, outputs, { wrt: floatInputs });
  } catch (error) {
    if (!(error instanceof UnsupportedError)) throw error;
    // weights given as graph inputs (Conv W, BatchNorm stats …): check the data input alone
    if (floatInputs.length > 1 && /no gradient with respect to input/.test(error.message)) return openCheck(bytes, feeds, outputs, floatInputs.slice(0, 1));
    return error;
  }
}

/** The check point moved by a small random jitter (off exact kinks and ties in the test data). */
function jittered(feeds: Record<string, ort.Tensor>, wrt: string[], seed: number): Record<string, ort.Tensor> {
  const random = seededRandom(seed);
  const out = { ...feeds };
  for (const name of wrt) {
    const t = feeds[name];
    const x = t.data as Float32Array;
    const scale = 1e-2 * (Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(x.length, 1)) || 1);
    out[name] = new ort.Tensor(t.type as 'float32', x.map((v) => v + scale * (2 * random() - 1)), t.dims);
  }
  return out;
}

async function gradientCheck(check: GradCheck, feeds: Record<string, ort.Tensor>): Promise<{ error: number; how: string }> {
  const steps = check.wrt.some((n) => feeds[n].type === 'float32') ? CORPUS_FD.float32Steps : CORPUS_FD.float64Steps;
  let best = { error: Number.POSITIVE_INFINITY, how: '' };
  for (let p = 0; p <= CORPUS_FD.jitteredPoints; p++) {
    const point = p === 0 ? feeds : jittered(feeds, check.wrt, 100 + p);
    for (const step of steps) {
      const error = await check.finiteDifference(step, 3, point);
      if (error < best.error) best = { error, how: `${p === 0 ? 'test data' : `jittered point ${p}`}, step ${step}·rms` };
      if (error <= CORPUS_FD.tolerance) return best;
    }
  }
  return best;
}

export async function checkCorpusCase(caseDir: string): Promise<CorpusOutcome> {
  const bytes = readFileSync(join(caseDir, 'model.onnx'));
  const model = fromBinary(ModelProtoSchema, bytes);
  const graph = model.graph!;
  const initializers = new Set(graph.initializer.map((t) => t.name));
  const inputNames = graph.input.map((i) => i.name).filter((n) => !initializers.has(n));
  let data;
  try {
    data = readTestData(caseDir, inputNames, graph.output.map((o) => o.name));
  } catch (error) {
    return { kind: 'no-forward', reason: `test data: ${(error as Error).message}` };
  }
  const feeds = Object.fromEntries(data.inputs.map((i) => [i.name, i.tensor]));
  let forward: ort.InferenceSession.ReturnType;
  try {
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, logSeverityLevel: 4 });
    forward = await session.run(feeds);
    await session.release();
  } catch (error) {
    return { kind: 'no-forward', reason: (error as Error).message.split('\n')[0].slice(0, 160) };
  }
  const forwardMatchesReference = data.outputs.every((o) => forward[o.name] && toleranceViolation(forward[o.name], o.tensor) === 0);
  const floatInputs = Object.keys(feeds).filter((n) => isFloat(feeds[n]));
  const outputs = Object.fromEntries(Object.entries(forward).map(([k, t]) => [k, { dims: t.dims, type: t.type }]));
  if (floatInputs.length === 0 || !Object.values(forward).some(isFloat)) return { kind: 'not-differentiable', reason: 'no float input or output' };
  let check: GradCheck | UnsupportedError;
  try {
    check = await openCheck(bytes, feeds, outputs, floatInputs);
  } catch (error) {
    return { kind: 'failed', reason: `transform or session: ${(error as Error).message.split('\n')[0].slice(0, 300)}` };
  }
  if (check instanceof UnsupportedError) return { kind: 'unsupported', message: check.message };
  try {
    const after = await check.outputs();
    // outputs after the transform: the reference where onnxruntime's own forward matches it, else that forward
    const outputsAfterTransform = Object.keys(forward).every((name) => {
      const ref = data.outputs.find((o) => o.name === name)?.tensor;
      return toleranceViolation(after[name], forwardMatchesReference && ref ? ref : forward[name]) === 0;
    })
      ? 'match'
      : 'differ';
    if (check.transform.stats.differentiatedNodes === 0) return { kind: 'no-float-path', outputsAfterTransform };
    const { error, how } = await gradientCheck(check, feeds);
    return { kind: 'checked', forwardMatchesReference, outputsAfterTransform, gradientError: error, gradientCheck: how, wrt: check.wrt };
  } catch (error) {
    return { kind: 'failed', reason: `run: ${(error as Error).message.split('\n')[0].slice(0, 300)}` };
  } finally {
    await check.release();
  }
}
