// The contract's DICOM part (issue 7): what the viewer learns about an open DICOM image (frames,
// photometric, the file's VOI presets, polarity), one frame at a pipeline stage, the attribute list,
// and de-identified export. The procedures are declared in contract.ts.
import { z } from 'zod';
import { DisplayStepSchema, TensorSchema } from './schemas';

export const VoiFunctionSchema = z.enum(['LINEAR', 'LINEAR_EXACT', 'SIGMOID']);

export const DicomWindowSchema = z.object({ center: z.number(), width: z.number().positive(), fn: VoiFunctionSchema.default('LINEAR') });

export const DicomVoiPresetSchema = z.discriminatedUnion('kind', [
  z.object({ id: z.string(), label: z.string(), kind: z.literal('window'), window: DicomWindowSchema }),
  z.object({ id: z.string(), label: z.string(), kind: z.literal('lut'), lut: z.object({ firstMapped: z.number(), bits: z.number().int(), data: z.array(z.number()) }) }),
]);
export type DicomVoiPreset = z.infer<typeof DicomVoiPresetSchema>;

export const DicomInfoSchema = z.object({
  inputId: z.string(),
  transferSyntax: z.object({ uid: z.string(), name: z.string() }),
  modality: z.string().nullable(),
  photometric: z.string(),
  rows: z.number().int(),
  columns: z.number().int(),
  frames: z.number().int().positive(),
  samplesPerPixel: z.number().int(),
  bitsAllocated: z.number().int(),
  bitsStored: z.number().int(),
  pixelRepresentation: z.number().int(),
  /** grayscale images are windowed live; colour ones are shown as decoded */
  grayscale: z.boolean(),
  /** the display inverts once after the VOI (MONOCHROME1 or Presentation LUT Shape INVERSE) */
  invert: z.boolean(),
  /** the VOI output range for windows: modality values' possible range */
  outputRange: z.tuple([z.number(), z.number()]).nullable(),
  /** the file's own VOI choices; the first is the default */
  presets: z.array(DicomVoiPresetSchema),
  /** the Modality LUT step (rescale or LUT), for the record */
  modalityStep: DisplayStepSchema.nullable(),
  /** milliseconds between frames for cine (Frame Time), when the file says */
  frameTimeMs: z.number().nullable(),
  burnedInAnnotation: z.string().nullable(),
  lossy: z.boolean(),
  warnings: z.array(z.string()),
});
export type DicomInfo = z.infer<typeof DicomInfoSchema>;

export const DicomStageSchema = z.enum(['stored', 'modality', 'display']);

export const DicomFrameRequestSchema = z.object({
  inputId: z.string().min(1),
  frame: z.number().int().nonnegative().default(0),
  stage: DicomStageSchema.default('modality'),
  /** display stage: a file preset id or an explicit window; omitted = the file's default */
  preset: z.string().optional(),
  window: DicomWindowSchema.optional(),
});

export const DicomFrameSchema = z.object({
  frame: z.number().int(),
  stage: DicomStageSchema,
  /** [rows, cols] or [rows, cols, samples], as pydicom's pixel_array */
  values: TensorSchema,
  steps: z.array(DisplayStepSchema),
  outputRange: z.tuple([z.number(), z.number()]).nullable(),
});
export type DicomFrame = z.infer<typeof DicomFrameSchema>;

export const DicomAttributeSchema = z.object({
  tag: z.string(),
  keyword: z.string(),
  vr: z.string(),
  path: z.string(),
  depth: z.number().int(),
  value: z.string(),
  private: z.boolean(),
});
export type DicomAttributeInfo = z.infer<typeof DicomAttributeSchema>;

export const DicomTagsRequestSchema = z
  .object({ inputId: z.string().min(1).optional(), path: z.string().min(1).optional() })
  .refine((r) => Boolean(r.inputId) !== Boolean(r.path), 'give either inputId or path');

export const DicomTagsSchema = z.object({
  name: z.string(),
  transferSyntax: z.object({ uid: z.string(), name: z.string() }),
  attributes: z.array(DicomAttributeSchema),
});

export const DicomExportRequestSchema = z.object({
  inputId: z.string().min(1),
  outDir: z.string().min(1),
  formats: z.array(z.enum(['dcm', 'png', 'json'])).min(1).default(['dcm', 'png', 'json']),
  frame: z.number().int().nonnegative().default(0),
  /** an identified export: only on the user's explicit opt-in (audited through onIdentifiedExport) */
  identified: z.boolean().default(false),
  baseName: z.string().optional(),
});

export const DicomExportSchema = z.object({
  files: z.array(z.object({ path: z.string(), format: z.enum(['dcm', 'png', 'json']), bytes: z.number().int() })),
  deidentified: z.boolean(),
  warnings: z.array(z.string()),
  burnedInAnnotation: z.string().nullable(),
});
