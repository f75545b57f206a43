// What the bench files share: `--name value` options after `npm run bench -- …`, the median, and a
// timer of forward passes on a forward-only session opened as the engine opens it.
import * as ort from 'onnxruntime-node';

export function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export interface ForwardTimer {
  readonly batch: number;
  /** Runs one forward pass of the whole batch; returns its milliseconds. */
  time(): Promise<number>;
  release(): Promise<void>;
}

/**
 * Forward passes of the model's first input at 3×224² (one warm-up run already done), on the CPU with
 * `threads` intra-op threads (0 = onnxruntime's default) and one inter-op thread. The input values do
 * not change a CNN's time.
 */
export async function forwardTimer(modelPath: string, { batch = 1, threads = 0 }: { batch?: number; threads?: number } = {}): Promise<ForwardTimer> {
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1 });
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(batch * 3 * 224 * 224).fill(0.1), [batch, 3, 224, 224]) };
  const time = async () => {
    const started = performance.now();
    await session.run(feeds);
    return performance.now() - started;
  };
  await time();
  return { batch, time, release: () => session.release() };
}
