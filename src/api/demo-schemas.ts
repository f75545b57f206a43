// The contract's demonstration and concept part (issue 9): what the app opens with (the demo
// models and sample cases seeded from resources/demo on first run), the concept bottleneck
// model's concept values, and interventions (a clinician overrides concepts and the label is
// recomputed by the model's label head, stored in the case). Procedures are in contract.ts.
import { z } from 'zod';
import { ActorSchema, ClassScoreSchema, ModelInfoSchema } from './schemas';

export const DemoModelSchema = z.object({ name: z.string(), path: z.string(), kind: z.string() });

export const StartupSchema = z.object({
  /** null when the app was started without demonstration assets (tests, a user's own setup) */
  demo: z
    .object({
      /** the model opened at start (the demo CNN) */
      model: ModelInfoSchema,
      models: z.array(DemoModelSchema),
      /** the sample cases, in sample order */
      caseIds: z.array(z.string()),
      /** sample cases created now (0 when the data folder had them already) */
      created: z.number().int(),
      disclaimer: z.string(),
    })
    .nullable(),
});
export type Startup = z.infer<typeof StartupSchema>;

export const ConceptOverrideSchema = z.object({ index: z.number().int().nonnegative(), value: z.number().min(0).max(1) });
export type ConceptOverride = z.infer<typeof ConceptOverrideSchema>;

export const InterventionRequestSchema = z.object({
  modelId: z.string().min(1),
  inputId: z.string().min(1),
  /** concept values set by the clinician; the others keep the model's own values */
  overrides: z.array(ConceptOverrideSchema).max(256),
  /** store the intervention in this case */
  caseId: z.string().min(1).optional(),
  actor: ActorSchema.optional(),
});
export type InterventionRequest = z.input<typeof InterventionRequestSchema>;

export const InterventionSchema = z.object({
  /** the concept values the label head received (the model's, with the overrides applied) */
  concepts: z.array(z.number()),
  /** the model's own concept values for this image */
  predictedConcepts: z.array(z.number()),
  overrides: z.array(ConceptOverrideSchema),
  logits: z.array(z.number()),
  probabilities: z.array(z.number()),
  top: z.array(ClassScoreSchema),
  recordId: z.string().optional(),
});
export type Intervention = z.infer<typeof InterventionSchema>;

export const StoredInterventionSchema = InterventionSchema.extend({
  id: z.string(),
  modelSha256: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type StoredIntervention = z.infer<typeof StoredInterventionSchema>;
