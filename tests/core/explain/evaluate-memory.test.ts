// The perturbation evaluator's batch size follows the memory available: it starts small, grows
// towards the time target, and never beyond what half of the available memory holds at the cost
// per input it has measured (the process's growth per input of its largest batch). Real
// onnxruntime on a tiny linear model; the memory figures come from a probe the test controls, so
// the limit is exact and the test does not depend on this machine's free memory.
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../src/api/schemas';
import { ScoreEvaluator, type EvaluationContext, type MemoryProbe } from '../../../src/core/explain/evaluate';
import type { ForwardRunner } from '../../../src/core/explain/types';
import { linearForward, linearModel } from '../../helpers/onnx-builder';

const DIMS = [1, 8, 8];
const INPUT = 64;
const built = linearModel({ dims: DIMS, classes: 3, seed: 7 });
let session: ort.InferenceSession;

beforeAll(async () => {
  session = await ort.InferenceSession.create(built.bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
});
afterAll(async () => {
  await session.release();
});

/** A forward runner over the real session that records each batch size it was given. */
function recordingRunner(batches: number[]): ForwardRunner {
  return {
    provider: 'cpu',
    maxBatch: 1024,
    async run(data, batch) {
      batches.push(batch);
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [batch, ...DIMS]) });
      return out[session.outputNames[0]].data as Float32Array;
    },
  };
}

function context(forward: ForwardRunner): EvaluationContext {
  return {
    model: { numClasses: 3, activation: 'none' } as ModelInfo,
    input: { shape: [1, ...DIMS], data: new Float32Array(INPUT).fill(0.5) },
    target: 1,
    forward,
    progress: () => {},
    checkCancelled: () => {},
  };
}

/** Inputs whose score is known: input i is all (i mod 5) / 4. */
function fill(index: number, dst: Float32Array): void {
  dst.fill((index % 5) / 4);
}

describe('ScoreEvaluator batch size', () => {
  it('never runs a batch larger than half the available memory holds at the measured cost per input', async () => {
    const batches: number[] = [];
    // 1 MB available; the process "grows" 64 KB per input of the largest batch so far.
    let resident = 10_000_000;
    let largest = 0;
    const memory: MemoryProbe = { available: () => 1_000_000, resident: () => resident };
    const forward = recordingRunner(batches);
    const runner: ForwardRunner = {
      ...forward,
      run: async (data, batch) => {
        if (batch > largest) {
          resident += (batch - largest) * 64_000;
          largest = batch;
        }
        return forward.run(data, batch);
      },
    };
    const evaluator = new ScoreEvaluator(context(runner), { maxBatch: 1024, targetBatchMs: 10_000, memory });
    const scores = await evaluator.scores(200, fill);
    // The scores are the model's, whatever the batching.
    for (const i of [0, 1, 7, 199]) expect(scores[i]).toBeCloseTo(linearForward(built, new Array(INPUT).fill((i % 5) / 4))[1], 4);
    // 0.5 × 1 MB / 64 KB = 7 inputs per batch at most once the cost is measured; before it, the
    // initial guess (16 × 256 B per input) allows more, but the first batch is at most 4.
    expect(batches[0]).toBeLessThanOrEqual(4);
    expect(evaluator.bytesPerInput).toBe(64_000);
    expect(Math.max(...batches.slice(1))).toBeLessThanOrEqual(7);
    expect(batches.slice(1).some((b) => b === 7)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
  });

  it('with memory to spare, the batch grows to the method\'s limit', async () => {
    const batches: number[] = [];
    const memory: MemoryProbe = { available: () => 8e9, resident: () => 1e8 };
    const evaluator = new ScoreEvaluator(context(recordingRunner(batches)), { maxBatch: 32, targetBatchMs: 10_000, memory });
    await evaluator.scores(100, fill);
    expect(Math.max(...batches)).toBe(32);
    expect(evaluator.largestBatch).toBe(32);
  });
});
