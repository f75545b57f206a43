// The contract's trust-metrics part (issue 9): how far to trust one explanation — deletion and
// insertion curves, ROAD, the model-parameter randomisation sanity check and localisation against a
// ground-truth mask — computed on request (they cost extra model runs) and stored with the case's
// explanation for the report. The procedure is declared in contract.ts.
import { z } from 'zod';
import { BinaryMaskSchema, ParamValueSchema, ProviderSchema, TensorSchema } from './schemas';

export const TRUST_METRICS = ['deletion', 'insertion', 'road', 'randomisation', 'localisation'] as const;
export const TrustMetricIdSchema = z.enum(TRUST_METRICS);
export type TrustMetricId = z.infer<typeof TrustMetricIdSchema>;

/** what removed pixels become (deletion) or what the insertion starts from */
export const CurveBaselineSchema = z.enum(['zero', 'black', 'mean', 'blur', 'gaussian', 'noise']);
export type CurveBaseline = z.infer<typeof CurveBaselineSchema>;

export const CurveSchema = z.object({
  baseline: CurveBaselineSchema,
  /** fraction of the pixels removed (deletion) or inserted (insertion) at each point */
  fractions: z.array(z.number()),
  /** the target's probability at each fraction */
  scores: z.array(z.number()),
  auc: z.number(),
});
export type CurveResult = z.infer<typeof CurveSchema>;

export const RoadSchema = z.object({
  fractions: z.array(z.number()),
  /** most relevant first removed: the target's probability per fraction */
  morf: z.array(z.number()),
  /** least relevant first removed */
  lerf: z.array(z.number()),
  morfMean: z.number(),
  lerfMean: z.number(),
  /** lerfMean − morfMean: larger = the map ranks pixels by what the model uses */
  gap: z.number(),
  noiseStd: z.number(),
});
export type RoadResult = z.infer<typeof RoadSchema>;

export const RandomisationSchema = z.object({
  layerCount: z.number().int(),
  seed: z.number().int(),
  /** per step, the layers randomised so far (from the top) and the map's similarity to the original */
  steps: z.array(z.object({ randomised: z.array(z.string()), spearman: z.number(), spearmanAbs: z.number(), ssim: z.number() })),
  threshold: z.number(),
  /** fewest top layers randomised at which the rank correlation first falls under the threshold (null: never) */
  separatesAt: z.number().int().nullable(),
  /**
   * 'separates': under the threshold once the top layers (core/metrics/randomisation's TOP_LAYERS) are
   * randomised; 'partial': under it at some other step only; 'insensitive': never (the map does not depend on the weights).
   */
  verdict: z.enum(['separates', 'partial', 'insensitive']),
});
export type RandomisationSummary = z.infer<typeof RandomisationSchema>;

export const LocalisationSchema = z.object({
  /** what the map was compared with */
  source: z.enum(['mask', 'demo ground truth']),
  pointingHit: z.boolean(),
  massInside: z.number(),
  relevanceRank: z.number(),
  topKIoU: z.number(),
  topKPercent: z.number(),
  regionCells: z.number().int(),
  mapCells: z.number().int(),
});

export const TrustMetricsSchema = z.object({
  method: z.string(),
  target: z.number().int(),
  deletion: CurveSchema.optional(),
  insertion: CurveSchema.optional(),
  road: RoadSchema.optional(),
  randomisation: RandomisationSchema.optional(),
  /** absent when no mask was given and the image has no known ground truth */
  localisation: LocalisationSchema.optional(),
  /** metrics that were asked for and could not be computed, with why */
  skipped: z.array(z.object({ metric: TrustMetricIdSchema, reason: z.string() })),
  durationMs: z.number(),
  computedAt: z.string(),
  /** the stored explanation the metrics were saved with */
  explanationId: z.string().optional(),
});
export type TrustMetrics = z.infer<typeof TrustMetricsSchema>;

export const TrustMetricsRequestSchema = z.object({
  modelId: z.string().min(1),
  inputId: z.string().min(1),
  /** the explanation to judge: its method, parameters, class and display map ([H, W] at model-input resolution) */
  explanation: z.object({ method: z.string().min(1), params: z.record(z.string(), ParamValueSchema).default({}), target: z.number().int().nonnegative(), heatmap: TensorSchema }),
  metrics: z.array(TrustMetricIdSchema).min(1).default(['deletion', 'insertion', 'road', 'localisation']),
  deletionBaseline: CurveBaselineSchema.default('blur'),
  insertionBaseline: CurveBaselineSchema.default('blur'),
  /** points per deletion/insertion curve, after the first */
  steps: z.number().int().min(2).max(512).default(24),
  /** layers to randomise from the top (default: all) */
  randomisationSteps: z.number().int().min(1).max(200).optional(),
  seed: z.number().int().nonnegative().default(0),
  /** a ground-truth region at model-input resolution; default: the demo sample's lesion mask, if any */
  mask: BinaryMaskSchema.optional(),
  provider: ProviderSchema.optional(),
  /** store the metrics with this case's explanation (both ids or pseudonym + explanation id) */
  caseId: z.string().min(1).optional(),
  explanationId: z.string().min(1).optional(),
});
export type TrustMetricsRequest = z.input<typeof TrustMetricsRequestSchema>;
