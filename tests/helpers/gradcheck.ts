// Gradient checks of a transformed ONNX model, all in onnxruntime: the adjoint (dot-product) test
// ⟨f(v) − f(0), u⟩ = ⟨v, Jᵀu⟩ for linear/affine graphs, and directional central differences
// (⟨u, f(x + h·d)⟩ − ⟨u, f(x − h·d)⟩)/2 vs ⟨Jᵀu, h·d⟩ with h = step·rms(x) per input, accumulated in float64.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import type { RuleSet } from '../../src/core/autodiff/rules';
import { appendBackward, type TransformResult } from '../../src/core/autodiff/transform';
import { seededRandom } from './onnx-builder';

type FloatArray = Float32Array | Float64Array;

export interface GradCheckOptions {
  /** inputs to differentiate (default: every float graph input) */
  wrt?: string[];
  /** score outputs (default: every float graph output fed) */
  scores?: string[];
  ruleSet?: RuleSet;
  seed?: number;
}

function isFloatTensor(t: ort.Tensor): boolean {
  return t.type === 'float32' || t.type === 'float64';
}

function withData(t: ort.Tensor, data: FloatArray): ort.Tensor {
  return new ort.Tensor(t.type as 'float32', data as Float32Array, t.dims);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function rms(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a) / Math.max(a.length, 1));
}

/** |a − b| relative to the larger magnitude (0 when both are ~0). */
export function relativeError(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale < 1e-30 ? 0 : Math.abs(a - b) / scale;
}

export class GradCheck {
  private constructor(
    readonly transform: TransformResult,
    private readonly session: ort.InferenceSession,
    private readonly feeds: Record<string, ort.Tensor>,
    readonly wrt: string[],
    private readonly scores: { name: string; seed: string; dims: readonly number[]; type: 'float32' | 'float64' }[],
    private readonly random: () => number,
  ) {}

  /** Transforms `modelBytes` and opens the result; `feeds` holds every graph input at the check point. */
  static async open(modelBytes: Uint8Array, feeds: Record<string, ort.Tensor>, outputs: Record<string, { dims: readonly number[]; type: string }>, options: GradCheckOptions = {}): Promise<GradCheck> {
    const wrt = options.wrt ?? Object.keys(feeds).filter((k) => isFloatTensor(feeds[k]));
    const scoreNames = options.scores ?? Object.keys(outputs).filter((k) => outputs[k].type === 'float32' || outputs[k].type === 'float64');
    const model = fromBinary(ModelProtoSchema, modelBytes);
    const transform = appendBackward(model, { wrt, scores: scoreNames, ruleSet: options.ruleSet, inputShapes: Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, [...t.dims]])) });
    const session = await ort.InferenceSession.create(toBinary(ModelProtoSchema, transform.model), { graphOptimizationLevel: 'all', intraOpNumThreads: 1, logSeverityLevel: 4 });
    const scores = scoreNames.map((name) => ({ name, seed: transform.seeds[name], dims: outputs[name].dims, type: outputs[name].type as 'float32' | 'float64' }));
    return new GradCheck(transform, session, feeds, wrt, scores, seededRandom(options.seed ?? 12345));
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private randomLike(length: number, type: 'float32' | 'float64'): FloatArray {
    const out = type === 'float64' ? new Float64Array(length) : new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = 2 * this.random() - 1;
    return out;
  }

  /** Runs the transformed model: outputs and gradients at the given inputs for the given seeds. */
  async run(inputs: Record<string, ort.Tensor>, seeds: FloatArray[]): Promise<ort.InferenceSession.ReturnType> {
    const seedFeeds = Object.fromEntries(this.scores.map((s, k) => [s.seed, new ort.Tensor(s.type, seeds[k] as Float32Array, s.dims)]));
    return this.session.run({ ...this.feeds, ...inputs, ...seedFeeds });
  }

  randomSeeds(): FloatArray[] {
    return this.scores.map((s) => this.randomLike(s.dims.reduce((a, b) => a * b, 1), s.type));
  }

  /** The original outputs of the transformed model at the check point. */
  async outputs(): Promise<ort.InferenceSession.ReturnType> {
    return this.run({}, this.randomSeeds());
  }

  private score(out: ort.InferenceSession.ReturnType, seeds: FloatArray[]): number {
    return this.scores.reduce((sum, s, k) => sum + dot(out[s.name].data as FloatArray, seeds[k]), 0);
  }

  /**
   * Worst relative error of central differences over `directions` random directions at `point`
   * (default: the feeds), step h_i = step · rms(x_i) per input.
   */
  async finiteDifference(step: number, directions = 3, point: Record<string, ort.Tensor> = this.feeds): Promise<number> {
    const seeds = this.randomSeeds();
    const base = await this.run(point, seeds);
    let worst = 0;
    for (let k = 0; k < directions; k++) {
      const plus: Record<string, ort.Tensor> = {};
      const minus: Record<string, ort.Tensor> = {};
      let analytic = 0;
      for (const name of this.wrt) {
        const x = point[name].data as FloatArray;
        const h = step * (rms(x) || 1);
        const d = this.randomLike(x.length, point[name].type as 'float32');
        const xp = x.map((v, i) => v + h * d[i]);
        const xm = x.map((v, i) => v - h * d[i]);
        plus[name] = withData(point[name], xp as FloatArray);
        minus[name] = withData(point[name], xm as FloatArray);
        // the step really taken, after rounding to the input's precision
        const taken = xp.map((v, i) => (v - xm[i]) / 2);
        analytic += dot(base[this.transform.gradients[name]].data as FloatArray, taken);
      }
      const fd = (this.score(await this.run({ ...point, ...plus }, seeds), seeds) - this.score(await this.run({ ...point, ...minus }, seeds), seeds)) / 2;
      worst = Math.max(worst, relativeError(fd, analytic));
    }
    return worst;
  }

  /** Worst relative error of ⟨f(v) − f(0), u⟩ vs Σ_i ⟨v_i, (Jᵀu)_i⟩ over `trials` random v, u. */
  async adjoint(trials = 3): Promise<number> {
    const zeros = Object.fromEntries(this.wrt.map((n) => [n, withData(this.feeds[n], this.randomLike(this.feeds[n].data.length, this.feeds[n].type as 'float32').fill(0))]));
    let worst = 0;
    for (let k = 0; k < trials; k++) {
      const seeds = this.randomSeeds();
      const at0 = await this.run(zeros, seeds);
      const v = Object.fromEntries(this.wrt.map((n) => [n, withData(this.feeds[n], this.randomLike(this.feeds[n].data.length, this.feeds[n].type as 'float32'))]));
      const atV = await this.run(v, seeds);
      const lhs = this.score(atV, seeds) - this.score(at0, seeds);
      const rhs = this.wrt.reduce((sum, n) => sum + dot(v[n].data as FloatArray, atV[this.transform.gradients[n]].data as FloatArray), 0);
      worst = Math.max(worst, relativeError(lhs, rhs));
    }
    return worst;
  }
}
