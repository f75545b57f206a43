// The procedures of the api: name → input schema → output schema. IPC, HTTP and the CLI all call
// these through `validated()`, so a request is checked on the way in and a result on the way out.
import { z } from 'zod';
import {
  AppInfoSchema,
  ExplainRequestSchema,
  ExplanationSchema,
  InputInfoSchema,
  MethodInfoSchema,
  ModelInfoSchema,
  PredictionSchema,
  ProbeRequestSchema,
  ProbeSaveRequestSchema,
  ProbeResultSchema,
  ProviderSchema,
  ErrorCodeSchema,
  type ApiErrorShape,
  type ErrorCode,
  type Progress,
} from './schemas';
import {
  CaseAnnotationsSaveSchema,
  CaseCreateSchema,
  CaseDetailSchema,
  CaseListQuerySchema,
  CaseListSchema,
  CaseOpenedSchema,
  CaseRefSchema,
  CaseReviewInputSchema,
  CaseSearchResultSchema,
  CaseSignInputSchema,
  CaseUpdateSchema,
  CaseVerificationSchema,
  CaseViewUpdateSchema,
} from './case-schemas';
import {
  DicomExportRequestSchema,
  DicomExportSchema,
  DicomFrameRequestSchema,
  DicomFrameSchema,
  DicomInfoSchema,
  DicomTagsRequestSchema,
  DicomTagsSchema,
} from './dicom-schemas';
import { CaseReportRequestSchema, CaseReportSchema } from './report-schemas';
import { InterventionRequestSchema, InterventionSchema, StartupSchema } from './demo-schemas';
import { TrustMetricsRequestSchema, TrustMetricsSchema } from './metrics-schemas';

export const procedures = {
  info: { input: z.object({}).default({}), output: AppInfoSchema, long: false },
  methods: { input: z.object({}).default({}), output: z.array(MethodInfoSchema), long: false },
  openModel: { input: z.object({ path: z.string().min(1) }), output: ModelInfoSchema, long: false },
  openInput: { input: z.object({ path: z.string().min(1) }), output: InputInfoSchema, long: false },
  predict: {
    input: z.object({ modelId: z.string().min(1), inputId: z.string().min(1), provider: ProviderSchema.optional(), caseId: z.string().min(1).optional() }),
    output: PredictionSchema,
    long: false,
  },
  explain: { input: ExplainRequestSchema, output: ExplanationSchema, long: true },
  // Interactive probe (issue 5): hide painted pixels and see the prediction change, at brush speed.
  probe: { input: ProbeRequestSchema, output: ProbeResultSchema, long: false },
  probeSave: { input: ProbeSaveRequestSchema, output: CaseDetailSchema, long: false },
  // Case review (issue 6): the case database in the data folder, owned by the engine.
  caseCreate: { input: CaseCreateSchema, output: CaseDetailSchema, long: false },
  caseList: { input: CaseListQuerySchema.prefault({}), output: CaseListSchema, long: false },
  caseSearch: { input: z.object({ text: z.string().min(1).max(500), limit: z.number().int().min(1).max(200).default(20) }), output: CaseSearchResultSchema, long: false },
  caseGet: { input: CaseRefSchema, output: CaseDetailSchema, long: false },
  caseOpen: { input: CaseRefSchema, output: CaseOpenedSchema, long: false },
  caseUpdate: { input: CaseUpdateSchema, output: CaseDetailSchema, long: false },
  caseSetView: { input: CaseViewUpdateSchema, output: CaseDetailSchema, long: false },
  caseSaveAnnotations: { input: CaseAnnotationsSaveSchema, output: CaseDetailSchema, long: false },
  caseReview: { input: CaseReviewInputSchema, output: CaseDetailSchema, long: false },
  caseSign: { input: CaseSignInputSchema, output: CaseDetailSchema, long: false },
  caseVerify: { input: z.object({}).default({}), output: CaseVerificationSchema, long: false },
  // DICOM (issue 7): an open DICOM input's facts, any frame at any pipeline stage, attributes, export.
  dicomInfo: { input: z.object({ inputId: z.string().min(1) }), output: DicomInfoSchema, long: false },
  dicomFrame: { input: DicomFrameRequestSchema, output: DicomFrameSchema, long: false },
  dicomTags: { input: DicomTagsRequestSchema, output: DicomTagsSchema, long: false },
  dicomExport: { input: DicomExportRequestSchema, output: DicomExportSchema, long: false },
  // PDF case report (issue 8): written to a path or returned as bytes; each export is audited.
  caseReport: { input: CaseReportRequestSchema, output: CaseReportSchema, long: false },
  // Demo models, concepts and trust metrics (issue 9): what the app opens with (seeding the sample
  // cases on first run), a concept intervention recomputed by the label head, and the trust metrics of an explanation.
  startup: { input: z.object({}).default({}), output: StartupSchema, long: false },
  intervene: { input: InterventionRequestSchema, output: InterventionSchema, long: false },
  trustMetrics: { input: TrustMetricsRequestSchema, output: TrustMetricsSchema, long: true },
} as const;

export type Procedures = typeof procedures;
export type ProcedureName = keyof Procedures;
export type ProcInput<K extends ProcedureName> = z.input<Procedures[K]['input']>;
export type ProcParsedInput<K extends ProcedureName> = z.output<Procedures[K]['input']>;
export type ProcOutput<K extends ProcedureName> = z.output<Procedures[K]['output']>;

export const procedureNames = Object.keys(procedures) as ProcedureName[];
export function isProcedureName(name: string): name is ProcedureName {
  return Object.prototype.hasOwnProperty.call(procedures, name);
}

/** Per-call context: progress reporting and cancellation. */
export interface CallContext {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

/** What every transport calls: one async function per procedure. */
export type SightlineApi = {
  [K in ProcedureName]: (input: ProcInput<K>, ctx?: CallContext) => Promise<ProcOutput<K>>;
};

/** What an implementation provides: the same procedures, receiving already-parsed inputs. */
export type SightlineImpl = {
  [K in ProcedureName]: (input: ProcParsedInput<K>, ctx?: CallContext) => Promise<ProcOutput<K>>;
};

/** An error that carries an api error code across every boundary. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
      const code = ErrorCodeSchema.safeParse(error.code);
      if (code.success) return new ApiError(code.data, String(error.message));
    }
    if (error instanceof z.ZodError) return new ApiError('BAD_PARAMS', formatZodError(error));
    const message = error instanceof Error ? error.message : String(error);
    return new ApiError('INTERNAL', message);
  }
}

/** A check that throws CANCELLED with `message` once the call's signal is aborted. */
export function cancellation(ctx: CallContext, message: string): () => void {
  return () => {
    if (ctx.signal?.aborted) throw new ApiError('CANCELLED', message);
  };
}

/** Calls a procedure named in a message from another process (IPC, HTTP, the engine worker); an unknown name is NOT_FOUND. */
export async function callProcedure(api: SightlineApi, name: string, input: unknown, ctx: CallContext): Promise<unknown> {
  if (!isProcedureName(name)) throw new ApiError('NOT_FOUND', `Unknown procedure ${name}`);
  return (api[name] as (input: unknown, ctx: CallContext) => Promise<unknown>)(input, ctx);
}

export function formatZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
}

/**
 * Wraps an implementation so that every input is parsed by its schema before the call and every
 * output is checked after it; failures become ApiErrors with a clear code.
 */
export function validated(impl: SightlineImpl): SightlineApi {
  const api = {} as Record<ProcedureName, unknown>;
  for (const name of procedureNames) {
    const spec = procedures[name];
    api[name] = async (input: unknown, ctx?: CallContext) => {
      const parsedIn = spec.input.safeParse(input ?? {});
      if (!parsedIn.success) throw new ApiError('BAD_PARAMS', `${name}: ${formatZodError(parsedIn.error)}`);
      const fn = impl[name] as (i: unknown, c?: CallContext) => Promise<unknown>;
      const result = await fn.call(impl, parsedIn.data, ctx);
      const parsedOut = spec.output.safeParse(result);
      if (!parsedOut.success) throw new ApiError('INTERNAL', `${name} returned a malformed result: ${formatZodError(parsedOut.error)}`);
      return parsedOut.data;
    };
  }
  return api as SightlineApi;
}
