// The contract's case-review part: cases, stored images, predictions and explanations, annotations
// (vector shapes in image coordinates), reviews, signatures, agreement metrics, list/search queries
// and audit verification. The procedures are declared in contract.ts.
import { z } from 'zod';
import { StoredInterventionSchema } from './demo-schemas';
import { TrustMetricsSchema } from './metrics-schemas';
import { ActivationSchema, ActorSchema, ClassScoreSchema, DisplayStepSchema, ExplanationSchema, InputInfoSchema, ModelInfoSchema, ParamValueSchema, StoredProbeSchema } from './schemas';

export const CaseStatusSchema = z.enum(['new', 'in_review', 'signed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

export const VerdictSchema = z.enum(['agree', 'disagree', 'uncertain']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** 21 CFR 11.50: the meaning of a signature is shown with it. */
export const SignatureMeaningSchema = z.enum(['review', 'approval', 'responsibility', 'authorship']);
export type SignatureMeaning = z.infer<typeof SignatureMeaningSchema>;

export const ANNOTATION_KINDS = ['rectangle', 'ellipse', 'freehand', 'polygon', 'arrow', 'text'] as const;
export const AnnotationKindSchema = z.enum(ANNOTATION_KINDS);
export type AnnotationKind = z.infer<typeof AnnotationKindSchema>;
/** Kinds that enclose a region: these are what explanations are compared with. */
export const REGION_KINDS: readonly AnnotationKind[] = ['rectangle', 'ellipse', 'freehand', 'polygon'];

/** Fewest points per kind: two corners, a closed outline, head and tail, one anchor. */
export const MIN_POINTS: Record<AnnotationKind, number> = { rectangle: 2, ellipse: 2, freehand: 3, polygon: 3, arrow: 2, text: 1 };

const PointSchema = z.tuple([z.number().finite(), z.number().finite()]);
export type Point = z.infer<typeof PointSchema>;

/**
 * One annotation as the UI sends it. `points` are in the original image's pixel coordinates:
 * rectangle and ellipse = two opposite corners of the box; freehand and polygon = the closed
 * outline; arrow = [head, tail]; text = [anchor], its text in `label`.
 */
export const AnnotationInputSchema = z
  .object({
    id: z.string().min(1).max(64),
    kind: AnnotationKindSchema,
    points: z.array(PointSchema).min(1).max(10_000),
    label: z.string().max(500).default(''),
    note: z.string().max(5000).default(''),
  })
  .refine((a) => a.points.length >= MIN_POINTS[a.kind], { message: 'too few points for its kind' });
export type AnnotationInput = z.input<typeof AnnotationInputSchema>;

export const AnnotationSchema = z.object({
  id: z.string(),
  kind: AnnotationKindSchema,
  points: z.array(PointSchema),
  label: z.string(),
  note: z.string(),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Annotation = z.infer<typeof AnnotationSchema>;

/** How one explanation's heatmap is shown (stored so a reopened case looks as it did). */
export const DisplaySettingsSchema = z.object({
  opacity: z.number().min(0).max(1),
  colormap: z.string().min(1),
  threshold: z.number().min(0).max(1),
  visible: z.boolean(),
});
export type DisplaySettings = z.infer<typeof DisplaySettingsSchema>;

export const CaseViewSchema = z.object({
  /** the explanation shown over the image */
  explanationId: z.string().nullable().default(null),
  /** display settings per explanation id */
  display: z.record(z.string(), DisplaySettingsSchema).default({}),
});
export type CaseView = z.infer<typeof CaseViewSchema>;

/** Agreement of one explanation's map with the union of the case's region annotations. */
export const AgreementSchema = z.object({
  /** is the map's maximum inside an annotated region (pointing game) */
  pointingHit: z.boolean(),
  /** where the maximum is, in image coordinates */
  pointingAt: PointSchema,
  /** share of the positive relevance that lies inside the regions (0–1) */
  massInside: z.number(),
  /** IoU of the map's top-k % pixels with the regions (0–1) */
  topKIoU: z.number(),
  /** relevance rank accuracy: share of the map's K highest cells inside the regions, K = region cells (0–1) */
  relevanceRank: z.number().nullable().optional(),
  topKPercent: z.number(),
  /** map cells inside the regions, of all map cells */
  regionCells: z.number().int(),
  mapCells: z.number().int(),
  computedAt: z.string(),
});
export type Agreement = z.infer<typeof AgreementSchema>;

export const StoredImageSchema = z.object({
  sha256: z.string(),
  fileName: z.string(),
  format: z.string(),
  kind: z.enum(['image', 'tensor']),
  width: z.number().int(),
  height: z.number().int(),
  channels: z.number().int(),
  bitDepth: z.number().int(),
  byteSize: z.number().int(),
  /** DICOM attributes when the image came from a DICOM file */
  dicom: z.record(z.string(), z.unknown()).nullable(),
});
export type StoredImage = z.infer<typeof StoredImageSchema>;

export const StoredPredictionSchema = z.object({
  id: z.string(),
  modelSha256: z.string(),
  modelName: z.string(),
  modelVersion: z.string().nullable(),
  modelPath: z.string(),
  provider: z.string(),
  activation: ActivationSchema,
  logits: z.array(z.number()),
  probabilities: z.array(z.number()),
  top: z.array(ClassScoreSchema),
  createdAt: z.string(),
});
export type StoredPrediction = z.infer<typeof StoredPredictionSchema>;

export const StoredExplanationSchema = z.object({
  id: z.string(),
  predictionId: z.string().nullable(),
  method: z.string(),
  params: z.record(z.string(), ParamValueSchema),
  target: z.number().int(),
  targetLabel: z.string(),
  seed: z.number().int().nullable(),
  modelSha256: z.string(),
  provider: z.string(),
  startedAt: z.string(),
  durationMs: z.number(),
  evaluations: z.number().int(),
  unit: z.string(),
  signed: z.boolean(),
  attributionShape: z.array(z.number().int()),
  display: z.array(DisplayStepSchema),
  heatmapRange: z.object({ min: z.number(), max: z.number() }),
  createdAt: z.string(),
  agreement: AgreementSchema.nullable(),
  /** the latest trust metrics computed for this explanation (deletion, insertion, ROAD, randomisation, localisation) */
  trust: TrustMetricsSchema.nullable().optional(),
});
export type StoredExplanation = z.infer<typeof StoredExplanationSchema>;

export const ReviewSchema = z.object({
  id: z.string(),
  revision: z.number().int(),
  predictionVerdict: VerdictSchema,
  explanationVerdict: VerdictSchema,
  comment: z.string(),
  reviewer: z.string(),
  createdAt: z.string(),
});
export type Review = z.infer<typeof ReviewSchema>;

export const SignatureSchema = z.object({
  id: z.string(),
  revision: z.number().int(),
  signer: z.string(),
  meaning: SignatureMeaningSchema,
  signedAt: z.string(),
  /** SHA-256 of the signed record (the case as it stood), which the signature is bound to */
  recordSha256: z.string(),
});
export type Signature = z.infer<typeof SignatureSchema>;

export const CaseSummarySchema = z.object({
  id: z.string(),
  pseudonym: z.string(),
  status: CaseStatusSchema,
  revision: z.number().int(),
  note: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  modelName: z.string().nullable(),
  predictedClass: ClassScoreSchema.nullable(),
  predictionVerdict: VerdictSchema.nullable(),
  explanationVerdict: VerdictSchema.nullable(),
  explanationCount: z.number().int(),
  annotationCount: z.number().int(),
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export const CaseDetailSchema = z.object({
  summary: CaseSummarySchema,
  image: StoredImageSchema.nullable(),
  predictions: z.array(StoredPredictionSchema),
  explanations: z.array(StoredExplanationSchema),
  annotations: z.array(AnnotationSchema),
  reviews: z.array(ReviewSchema),
  signatures: z.array(SignatureSchema),
  view: CaseViewSchema,
  /** concept interventions on a concept bottleneck model, oldest first */
  interventions: z.array(StoredInterventionSchema).optional(),
  /** probes saved as counterfactuals (a painted region hidden, the prediction then), oldest first */
  probes: z.array(StoredProbeSchema).optional(),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

/** A case reopened for review: its record, the stored image opened again, the stored overlays. */
export const CaseOpenedSchema = z.object({
  detail: CaseDetailSchema,
  input: InputInfoSchema.nullable(),
  /** the model of the latest prediction, when its file is still where it was */
  model: ModelInfoSchema.nullable(),
  /** every stored explanation as the viewer draws it (recordId = the stored explanation id) */
  explanations: z.array(ExplanationSchema),
  warnings: z.array(z.string()),
});
export type CaseOpened = z.infer<typeof CaseOpenedSchema>;

const actor = ActorSchema.optional();
/** A case's id or its pseudonym. */
const caseRef = z.string().trim().min(1).max(200);

export const CaseCreateSchema = z.object({
  inputId: z.string().min(1),
  /** also predicts with this open model and stores the prediction */
  modelId: z.string().min(1).optional(),
  pseudonym: z.string().trim().min(1).max(64).optional(),
  note: z.string().max(20_000).default(''),
  actor,
});

export const CaseListQuerySchema = z.object({
  /** full-text words (notes, labels, case IDs); every word must match, as a prefix */
  text: z.string().max(500).optional(),
  status: CaseStatusSchema.optional(),
  /** model SHA-256 (a prefix) or name */
  model: z.string().optional(),
  /** predicted top-1 class: its index or label */
  predictedClass: z.string().optional(),
  verdict: VerdictSchema.optional(),
  /** created on or after / before (ISO dates or date-times, UTC) */
  from: z.string().optional(),
  to: z.string().optional(),
  sort: z.enum(['updated', 'created', 'pseudonym', 'status']).default('updated'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
export type CaseListQuery = z.input<typeof CaseListQuerySchema>;

export const CaseListSchema = z.object({ total: z.number().int(), cases: z.array(CaseSummarySchema) });
export type CaseList = z.infer<typeof CaseListSchema>;

export const CaseSearchHitSchema = z.object({ summary: CaseSummarySchema, snippet: z.string() });
export const CaseSearchResultSchema = z.object({ hits: z.array(CaseSearchHitSchema) });

export const CaseUpdateSchema = z.object({ caseId: caseRef, note: z.string().max(20_000).optional(), actor });
export const CaseViewUpdateSchema = z.object({ caseId: caseRef, view: CaseViewSchema, actor });
export const CaseAnnotationsSaveSchema = z.object({ caseId: caseRef, annotations: z.array(AnnotationInputSchema).max(2000), actor });
export const CaseReviewInputSchema = z.object({
  caseId: caseRef,
  predictionVerdict: VerdictSchema,
  explanationVerdict: VerdictSchema,
  comment: z.string().max(20_000).default(''),
  actor,
});
export const CaseSignInputSchema = z.object({ caseId: caseRef, signer: ActorSchema, meaning: SignatureMeaningSchema, actor });
export const CaseRefSchema = z.object({ caseId: caseRef });

export const CaseVerificationSchema = z.object({
  ok: z.boolean(),
  schemaVersion: z.number().int(),
  auditRows: z.number().int(),
  /** `PRAGMA integrity_check` lines ("ok" when sound) */
  integrity: z.array(z.string()),
  auditOk: z.boolean(),
  problems: z.array(z.string()),
});
export type CaseVerification = z.infer<typeof CaseVerificationSchema>;
