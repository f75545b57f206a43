// The shared interface of every explainer: a method states itself (id, parameters, output
// meaning) and runs on a prepared context; the registry feeds the UI, the CLI and the contract.
import type { MethodInfo, ModelInfo, ParamSpec, ParamValue } from '../../api/schemas';
import type { RuleSet } from '../autodiff/rules';
import type { PixelImage } from '../segmentation/types';
import type { Float32Tensor } from '../tensor/npy';

export type ResolvedParams = Record<string, ParamValue>;

/** Runs the model's forward pass on a batch: data holds `batch` inputs back to back. */
export interface ForwardRunner {
  readonly provider: string;
  /** the largest batch the model accepts (1 when its batch dimension is fixed) */
  readonly maxBatch: number;
  run(data: Float32Array, batch: number): Promise<Float32Array>;
}

/** One gradient run: score_b = Σ_k seeds[b, k] · logits[b, k] (or of softmax(logits) with scoreActivation). */
export interface GradientRequest {
  /** `batch` model inputs back to back */
  inputs: Float32Array;
  batch: number;
  /** batch × numClasses weights; a one-hot row = the gradient of one logit */
  seeds: Float32Array;
  /** intermediate tensors (ONNX names) whose activations and gradients are wanted */
  layers?: string[];
  /** whether to compute the input gradient (default true) */
  inputGradient?: boolean;
  /** replaced VJP rules (guided backprop, deconvolution …); default the standard set */
  ruleSet?: RuleSet;
  scoreActivation?: 'none' | 'softmax';
}

export interface GradientResult {
  logits: Float32Array;
  /** d score / d input, the input's shape [batch, …] (null when not requested) */
  inputGradient: Float32Tensor | null;
  /** per requested layer: its activation and d score / d layer, both the tensor's shape with the batch */
  layers: Record<string, { activation: Float32Tensor; gradient: Float32Tensor }>;
  provider: string;
}

/** Runs forward + backward on a batch (a separate, lazily created session from the forward one). */
export interface GradientRunner {
  /** the provider of the last run */
  readonly provider: string;
  readonly maxBatch: number;
  run(request: GradientRequest): Promise<GradientResult>;
}

export interface ExplainContext {
  model: ModelInfo;
  /** the model tensor, batch 1 */
  input: Float32Tensor;
  target: number;
  params: ResolvedParams;
  forward: ForwardRunner;
  gradients: GradientRunner;
  progress(done: number, total: number, message?: string): void;
  /** throws CANCELLED when the caller has cancelled; call between bounded chunks of work */
  checkCancelled(): void;
  /** the image the tensor was made from, at model resolution in unit range (absent for tensor inputs) */
  pixels?: PixelImage;
  /** another file (an image or a .npy tensor) as this model's input tensor, preprocessed like the input */
  modelTensorOf?(path: string): Promise<Float32Tensor>;
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
  /** the provider that ran the method, when not the forward runner's (gradient methods) */
  provider?: string;
  /** figures of the run worth recording (seed, fit R², segment count…) */
  stats?: Record<string, number | string | boolean>;
  /** whether the displayed map is signed, when the display changes it (a CAM's ReLU); default: the method's output.signed */
  heatmapSigned?: boolean;
}

export interface Explainer {
  info: Omit<MethodInfo, 'params'> & { params: ParamSpec[] };
  run(ctx: ExplainContext): Promise<ExplainOutput>;
}
