// The shared interface of every explainer: a method states itself (id, parameters, output
// meaning) and runs on a prepared context; the registry feeds the UI, the CLI and the contract.
import type { MethodInfo, ModelInfo, ParamSpec, ParamValue } from '../../api/schemas';
import type { Float32Tensor } from '../tensor/npy';

export type ResolvedParams = Record<string, ParamValue>;

/** Runs the model's forward pass on a batch: data holds `batch` inputs back to back. */
export interface ForwardRunner {
  readonly provider: string;
  /** the largest batch the model accepts (1 when its batch dimension is fixed) */
  readonly maxBatch: number;
  run(data: Float32Array, batch: number): Promise<Float32Array>;
}

export interface ExplainContext {
  model: ModelInfo;
  /** the model tensor, batch 1 */
  input: Float32Tensor;
  target: number;
  params: ResolvedParams;
  forward: ForwardRunner;
  progress(done: number, total: number, message?: string): void;
  /** throws CANCELLED when the caller has cancelled; call between bounded chunks of work */
  checkCancelled(): void;
}

export interface DisplayStep {
  op: string;
  args: Record<string, unknown>;
}

export interface ExplainOutput {
  attribution: Float32Tensor;
  evaluations: number;
  /** steps that turn the raw attribution into an [H, W] map at model-input resolution */
  display: DisplayStep[];
}

export interface Explainer {
  info: Omit<MethodInfo, 'params'> & { params: ParamSpec[] };
  run(ctx: ExplainContext): Promise<ExplainOutput>;
}
