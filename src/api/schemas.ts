// The one typed contract of Sightline: every request, result, event and error that crosses a
// process boundary (Electron IPC, the host's HTTP, the CLI) is described here with zod, and the
// TypeScript types are derived from these schemas. Nothing else is shared between processes.
import { z } from 'zod';

export const DISCLAIMER =
  'Decision support only — not a diagnosis. Explanations show what the model used, not what is true.';

/** A float32 tensor on the wire: little-endian bytes in base64, with its shape. */
export const TensorSchema = z.object({
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  dataBase64: z.string(),
});
export type WireTensor = z.infer<typeof TensorSchema>;

export const ProviderSchema = z.enum(['auto', 'cpu', 'cuda', 'webgpu', 'dml', 'coreml']);
export type ProviderPreference = z.infer<typeof ProviderSchema>;

/** The model's output activation (the model card's output.activation): how logits become scores. */
export const ActivationSchema = z.enum(['softmax', 'sigmoid', 'none']);
export type Activation = z.infer<typeof ActivationSchema>;

/** Who makes a change, as a request names them (trimmed, 1–200 characters). */
export const ActorSchema = z.string().trim().min(1).max(200);

/** A rectangle as fractions of an image's width and height. */
export const RegionSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export type Region = z.infer<typeof RegionSchema>;

/**
 * The model card: a sidecar `<model>.json` or the ONNX `metadata_props` entry `sightline.card`.
 * Every key is optional (defaults fill in) and unknown keys never break loading.
 */
export const ModelCardSchema = z.looseObject({
  name: z.string().optional(),
  /** the model's version, recorded with every stored prediction */
  version: z.string().optional(),
  labels: z.array(z.string()).optional(),
  input: z
    .looseObject({
      name: z.string().optional(),
      shape: z.array(z.number().int()).optional(),
      layout: z.enum(['NCHW', 'NHWC']).optional(),
      channelOrder: z.enum(['RGB', 'BGR']).optional(),
      /** multiplier for 8-bit samples; 1/255 means float32(u8) / 255 exactly */
      scale: z.number().positive().optional(),
      mean: z.array(z.number()).optional(),
      std: z.array(z.number()).optional(),
      /** how a colour image becomes the one channel a grayscale model wants */
      colorToGray: z.enum(['luminance', 'average', 'first-channel']).optional(),
      /** how an image whose size differs from the model's is fitted */
      resize: z.enum(['stretch', 'center-crop']).optional(),
    })
    .optional(),
  output: z
    .looseObject({
      name: z.string().optional(),
      activation: ActivationSchema.optional(),
    })
    .optional(),
  explainer: z
    .looseObject({
      targetLayer: z.string().optional(),
      /** transformers: prefix (class/distillation) tokens before the patches, and the patch grid [rows, columns] */
      tokenLayout: z.object({ classTokens: z.number().int().nonnegative(), grid: z.tuple([z.number().int().positive(), z.number().int().positive()]) }).optional(),
    })
    .optional(),
  /** a demonstration model (issue 9): the UI labels it "not for clinical use" */
  demo: z.boolean().optional(),
  disclaimer: z.string().optional(),
  /**
   * Concept bottleneck models: the graph output holding concept values (0–1), their names, and the
   * label head exported alone (a path relative to the model) that maps concept values to logits.
   */
  concepts: z
    .looseObject({
      output: z.string(),
      names: z.array(z.string()).min(1),
      labelHead: z.looseObject({ path: z.string(), input: z.string().optional(), output: z.string().optional() }).optional(),
    })
    .optional(),
  dicom: z
    .looseObject({
      /**
       * How a DICOM becomes the image the preprocessing above receives: "window" = the window below
       * (VOI, then MONOCHROME1 polarity) to 8 bits; "modality-range" = modality values (e.g. HU) in
       * `range` scaled to the full 16-bit range; "file-window" = the file's own default VOI to 8 bits.
       */
      input: z.enum(['window', 'modality-range', 'file-window']).optional(),
      window: z.object({ center: z.number(), width: z.number().positive(), function: z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']).optional() }).optional(),
      range: z.tuple([z.number(), z.number()]).optional(),
      /** which frame of a multi-frame file the model sees (default 0) */
      frame: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

/** The card's DICOM section resolved: what the model sees of a DICOM, reproducibly. */
export const ResolvedDicomInputSchema = z.object({
  input: z.enum(['window', 'modality-range', 'file-window']),
  window: z.object({ center: z.number(), width: z.number(), fn: z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']) }).nullable(),
  range: z.tuple([z.number(), z.number()]).nullable(),
  frame: z.number().int(),
  /** true when the card did not say (the file's own window is used, with a warning) */
  defaulted: z.boolean(),
});
export type ResolvedDicomInput = z.infer<typeof ResolvedDicomInputSchema>;

export const ResolvedPreprocessingSchema = z.object({
  layout: z.enum(['NCHW', 'NHWC']),
  channels: z.number().int().positive(),
  height: z.number().int().positive(),
  width: z.number().int().positive(),
  channelOrder: z.enum(['RGB', 'BGR']),
  scale: z.number(),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  colorToGray: z.enum(['luminance', 'average', 'first-channel']).nullable(),
  resize: z.enum(['stretch', 'center-crop']),
  /** how a DICOM input is turned into the image above (absent = the file's own window) */
  dicom: ResolvedDicomInputSchema.optional(),
});
export type ResolvedPreprocessing = z.infer<typeof ResolvedPreprocessingSchema>;

export const ConceptModelSchema = z.object({
  output: z.string(),
  names: z.array(z.string()),
  labelHead: z.object({ path: z.string(), input: z.string(), output: z.string() }).nullable(),
});
export type ConceptModel = z.infer<typeof ConceptModelSchema>;

export const ModelInfoSchema = z.object({
  id: z.string(),
  path: z.string(),
  name: z.string(),
  sha256: z.string(),
  opset: z.number().int().nullable(),
  inputName: z.string(),
  /** the input shape with the batch dimension as the model declares it (-1 when dynamic) */
  inputShape: z.array(z.number().int()),
  dynamicBatch: z.boolean(),
  outputName: z.string(),
  numClasses: z.number().int().positive(),
  labels: z.array(z.string()),
  activation: ActivationSchema,
  preprocessing: ResolvedPreprocessingSchema,
  targetLayer: z.string().nullable(),
  /** the card's explainer.tokenLayout (transformers), when it gives one */
  tokenLayout: z.object({ classTokens: z.number().int(), grid: z.tuple([z.number().int(), z.number().int()]) }).nullable().optional(),
  cardSource: z.enum(['sidecar', 'metadata', 'defaults']),
  /** the card's model version, when it names one */
  version: z.string().nullable().optional(),
  /** a demonstration model, with the card's disclaimer */
  demo: z.boolean().optional(),
  disclaimer: z.string().nullable().optional(),
  /** concept bottleneck models: the concept output, names and the label head (absolute path) for interventions */
  concepts: ConceptModelSchema.nullable().optional(),
  warnings: z.array(z.string()),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const InputInfoSchema = z.object({
  id: z.string(),
  path: z.string(),
  name: z.string(),
  kind: z.enum(['image', 'tensor']),
  format: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
  bitDepth: z.number().int().positive(),
  /** tensor inputs only: the stored shape */
  shape: z.array(z.number().int()).nullable(),
  /** an 8-bit PNG of what is shown under overlays, as a data URL */
  previewPng: z.string(),
});
export type InputInfo = z.infer<typeof InputInfoSchema>;

export const ClassScoreSchema = z.object({ index: z.number().int(), label: z.string(), score: z.number() });
export type ClassScore = z.infer<typeof ClassScoreSchema>;

export const PredictionSchema = z.object({
  logits: z.array(z.number()),
  probabilities: z.array(z.number()),
  top: z.array(ClassScoreSchema),
  activation: ActivationSchema,
  provider: z.string(),
  modelSha256: z.string(),
  durationMs: z.number(),
  /** the stored prediction's id, when the request named a case */
  recordId: z.string().optional(),
  /** concept bottleneck models: each concept's value (0–1) for this image */
  concepts: z.array(z.object({ index: z.number().int(), name: z.string(), value: z.number() })).optional(),
});
export type Prediction = z.infer<typeof PredictionSchema>;

export const ParamValueSchema = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);
export type ParamValue = z.infer<typeof ParamValueSchema>;

export const ParamSpecSchema = z.object({
  name: z.string(),
  kind: z.enum(['int', 'number', 'int-list', 'enum', 'number-or-enum', 'string']),
  default: ParamValueSchema.nullable(),
  options: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  description: z.string(),
});
export type ParamSpec = z.infer<typeof ParamSpecSchema>;

export const MethodInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  family: z.enum(['perturbation', 'gradient', 'cam', 'attention', 'intrinsic']),
  needs: z.enum(['forward', 'gradient']),
  output: z.object({ shape: z.string(), meaning: z.string(), signed: z.boolean(), unit: z.string() }),
  reference: z.string(),
  params: z.array(ParamSpecSchema),
});
export type MethodInfo = z.infer<typeof MethodInfoSchema>;

export const ExplainRequestSchema = z.object({
  modelId: z.string().min(1),
  inputId: z.string().min(1),
  method: z.string().min(1),
  /** class index; omitted = the top-1 class */
  target: z.number().int().nonnegative().optional(),
  params: z.record(z.string(), ParamValueSchema).default({}),
  provider: ProviderSchema.optional(),
  /** store the result in this case (its id or pseudonym) */
  caseId: z.string().min(1).optional(),
});
export type ExplainRequest = z.input<typeof ExplainRequestSchema>;

/** A display step recorded with a result; the raw array is never changed by display. */
export const DisplayStepSchema = z.object({ op: z.string(), args: z.record(z.string(), z.unknown()).default({}) });

export const ExplanationSchema = z.object({
  method: z.string(),
  params: z.record(z.string(), ParamValueSchema),
  target: z.number().int(),
  targetLabel: z.string(),
  modelSha256: z.string(),
  inputId: z.string(),
  provider: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  evaluations: z.number().int(),
  meaning: z.string(),
  unit: z.string(),
  signed: z.boolean(),
  /** the raw attribution exactly as the method defines it */
  attribution: TensorSchema,
  /** how the raw attribution becomes the [H, W] heatmap shown over the image */
  display: z.array(DisplayStepSchema),
  /** display map at the model-input resolution ([H, W]), derived by `display` */
  heatmap: TensorSchema,
  heatmapRange: z.object({ min: z.number(), max: z.number() }),
  /** min and max of the raw attribution, before any display step */
  attributionRange: z.object({ min: z.number(), max: z.number() }).optional(),
  /** where the heatmap lies over the preview image, as fractions of its width and height */
  overlayRegion: RegionSchema,
  /** the stored explanation's id, when the request named a case or it was reopened from one */
  recordId: z.string().optional(),
  /** figures of the run worth recording: seed, fit R² (LIME, KernelSHAP), feature count… */
  stats: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

/** What hidden pixels become in perturbation methods and probes (see core/explain/perturbation/maskers). */
export const MaskerNameSchema = z.enum(['zero', 'black', 'mean', 'blur', 'gaussian', 'superpixel-mean', 'noise']);
export type MaskerName = z.infer<typeof MaskerNameSchema>;

/**
 * A binary mask at model-input resolution, run-length encoded over the row-major pixels: run lengths
 * alternating unmasked, masked, unmasked, … starting with unmasked (COCO's uncompressed RLE order).
 */
export const BinaryMaskSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  runs: z.array(z.number().int().nonnegative()),
});
export type BinaryMask = z.infer<typeof BinaryMaskSchema>;

/** Interactive probe: hide the painted pixels with a masker and see the prediction change. */
export const ProbeRequestSchema = z.object({
  modelId: z.string().min(1),
  inputId: z.string().min(1),
  /** class index; omitted = the top-1 class of the unmasked input */
  target: z.number().int().nonnegative().optional(),
  mask: BinaryMaskSchema,
  masker: MaskerNameSchema.default('blur'),
  /** the masker's parameters (blurSize, blurSigma) */
  maskerParams: z.record(z.string(), ParamValueSchema).default({}),
  provider: ProviderSchema.optional(),
  /** also return the masked model input as a picture (inputPreviewPng) */
  preview: z.boolean().default(false),
});
export type ProbeRequest = z.input<typeof ProbeRequestSchema>;

export const ProbeResultSchema = z.object({
  target: z.number().int(),
  targetLabel: z.string(),
  /** the target's logit without and with the painted pixels hidden, and the change */
  baseScore: z.number(),
  score: z.number(),
  delta: z.number(),
  /** the target's probability (per the card's activation) without and with the mask */
  baseProbability: z.number(),
  probability: z.number(),
  top: z.array(ClassScoreSchema),
  maskedPixels: z.number().int().nonnegative(),
  masker: MaskerNameSchema,
  provider: z.string(),
  durationMs: z.number(),
  /** with `preview`: the masked model input, undone to display values (PNG data URL, model-input size) */
  inputPreviewPng: z.string().optional(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

/**
 * Saves a probe to a case as a counterfactual ("with this region hidden, the model says …"). The
 * engine reruns the probe rather than trusting numbers from the client, then stores the mask, the
 * masker and what the model said.
 */
export const ProbeSaveRequestSchema = ProbeRequestSchema.extend({
  caseId: z.string().min(1),
  /** the reviewer's words on what the counterfactual shows */
  note: z.string().max(4000).default(''),
  actor: ActorSchema.optional(),
});
export type ProbeSaveRequest = z.input<typeof ProbeSaveRequestSchema>;

/** A probe stored with a case: what was hidden, how, and the model's answer then. */
export const StoredProbeSchema = ProbeResultSchema.omit({ durationMs: true, inputPreviewPng: true }).extend({
  id: z.string(),
  modelSha256: z.string(),
  mask: BinaryMaskSchema,
  /** the part of the image the mask covers (the model's crop), as fractions of its width and height */
  region: RegionSchema,
  maskerParams: z.record(z.string(), ParamValueSchema),
  note: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type StoredProbe = z.infer<typeof StoredProbeSchema>;

export const ErrorCodeSchema = z.enum(['BAD_INPUT', 'BAD_MODEL', 'BAD_PARAMS', 'NOT_FOUND', 'CANCELLED', 'INTERNAL']);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
export const ApiErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type ApiErrorShape = z.infer<typeof ApiErrorSchema>;

export const ProgressSchema = z.object({ done: z.number(), total: z.number(), message: z.string().optional() });
export type Progress = z.infer<typeof ProgressSchema>;

/** Events of one call on a streaming transport (HTTP NDJSON, IPC). */
export const CallEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: ProgressSchema }),
  z.object({ type: z.literal('result'), value: z.unknown() }),
  z.object({ type: z.literal('error'), error: ApiErrorSchema }),
]);
export type CallEvent = z.infer<typeof CallEventSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  disclaimer: z.string(),
  transport: z.enum(['ipc', 'http', 'cli']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
