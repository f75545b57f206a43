// The interactive probe: hide a painted region of the input with a masker and report the new
// prediction and the change in the target's score. Built for brush-speed repeats: the unmasked
// logits and each masker's replacement tensor are cached per model and input, so a probe costs one
// batch-1 forward pass plus a copy of the painted pixels.
import { ApiError } from '../../../api/contract';
import type { BinaryMask, MaskerName, ModelInfo, ParamValue, ProbeResult, ResolvedPreprocessing } from '../../../api/schemas';
import { modelInputPng } from '../../image/model-input-view';
import { activate, argmax, checkTarget, topClasses } from '../../model/activation';
import { Prng } from '../../random/prng';
import type { PixelImage } from '../../segmentation/types';
import { decodeMask } from '../../tensor/binary-mask';
import type { Float32Tensor } from '../../tensor/npy';
import { resolveParams } from '../params';
import type { ForwardRunner, ResolvedParams } from '../types';
import { defaultSegmentation } from './features';
import { copyPixels, layoutOf, MASKER_PARAMS, maskerReplacement } from './maskers';

export interface ProbeInput {
  model: ModelInfo;
  inputId: string;
  tensor: Float32Tensor;
  pixels?: PixelImage;
  forward: ForwardRunner;
  target?: number;
  mask: BinaryMask;
  masker: MaskerName;
  maskerParams: Record<string, ParamValue>;
  /** also return the masked input as a picture */
  preview?: boolean;
}

/** The 0/1 pixels of a probe mask, checked against the model input's size (BAD_PARAMS when it does not fit). */
export function probeMaskCells(mask: BinaryMask, prep: ResolvedPreprocessing): Uint8Array {
  if (mask.width !== prep.width || mask.height !== prep.height) {
    throw new ApiError('BAD_PARAMS', `The probe mask is ${mask.width}×${mask.height}; the model input is ${prep.width}×${prep.height}`);
  }
  const total = mask.runs.reduce((a, b) => a + b, 0);
  if (total !== mask.width * mask.height) throw new ApiError('BAD_PARAMS', `The probe mask's runs cover ${total} pixels, not ${mask.width}×${mask.height}`);
  return decodeMask(mask);
}

/** Pixel indices of the masked runs (odd positions of the alternating run list). */
export function maskedPixels(mask: BinaryMask, prep: ResolvedPreprocessing): Int32Array {
  const cells = probeMaskCells(mask, prep);
  const out: number[] = [];
  for (let p = 0; p < cells.length; p++) if (cells[p]) out.push(p);
  return Int32Array.from(out);
}

/** The probe's masker settings with defaults filled in: `masker` and its parameters (blurSize, blurSigma). */
export function resolveMaskerSettings(masker: MaskerName, maskerParams: Record<string, ParamValue>): ResolvedParams {
  return resolveParams('probe', MASKER_PARAMS, { ...maskerParams, masker });
}

interface CachedInput {
  logits: Float32Array;
  replacements: Map<string, Float32Array>;
}

export class ProbeCache {
  private readonly entries = new Map<string, Promise<CachedInput>>();

  constructor(private readonly capacity = 8) {}

  async probe(input: ProbeInput): Promise<ProbeResult> {
    const started = performance.now();
    const { model, tensor } = input;
    const prep = model.preprocessing;
    const pixels = maskedPixels(input.mask, prep);
    const cached = await this.entry(input);
    const params = resolveMaskerSettings(input.masker, input.maskerParams);
    const maskerKey = JSON.stringify(params);
    let replacement = cached.replacements.get(maskerKey);
    if (!replacement) {
      replacement = maskerReplacement({ model, input: tensor, params }, { segmentation: () => defaultSegmentation({ model, input: tensor, pixels: input.pixels }), rng: new Prng(0) });
      cached.replacements.set(maskerKey, replacement);
    }
    const target = input.target ?? argmax(cached.logits);
    checkTarget(model, target);
    const layout = layoutOf(prep);
    const probeInput = Float32Array.from(tensor.data);
    copyPixels(layout, pixels, replacement, probeInput);
    // The picture is encoded while the model runs (onnxruntime and libvips work off the JS thread).
    const [logits, inputPreviewPng] = await Promise.all([input.forward.run(probeInput, 1), input.preview ? modelInputPng(probeInput, prep) : undefined]);
    const baseScores = activate(cached.logits, model.activation);
    const scores = activate(logits, model.activation);
    return {
      target,
      targetLabel: model.labels[target] ?? `class ${target}`,
      baseScore: cached.logits[target],
      score: logits[target],
      delta: logits[target] - cached.logits[target],
      baseProbability: baseScores[target],
      probability: scores[target],
      top: topClasses(model, scores),
      maskedPixels: pixels.length,
      masker: input.masker,
      provider: input.forward.provider,
      durationMs: performance.now() - started,
      ...(inputPreviewPng ? { inputPreviewPng } : {}),
    };
  }

  private entry(input: ProbeInput): Promise<CachedInput> {
    // the preprocessing is part of the key: a re-opened model may come with a changed card
    const key = `${input.model.sha256}|${JSON.stringify(input.model.preprocessing)}|${input.inputId}|${input.forward.provider}`;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
      entry = input.forward.run(input.tensor.data, 1).then((logits) => ({ logits: Float32Array.from(logits), replacements: new Map() }));
      this.entries.set(key, entry);
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}
