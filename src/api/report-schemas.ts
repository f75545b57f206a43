// The contract's report part (issue 8): a case's PDF report, written to a path (CLI, Electron's save
// dialog) or returned as bytes for a browser to download; each export is recorded in the audit trail.
// The procedure is declared in contract.ts.
import { z } from 'zod';
import { ActorSchema } from './schemas';

export const ReportPageSizeSchema = z.enum(['A4', 'Letter']);
export type ReportPageSize = z.infer<typeof ReportPageSizeSchema>;

export const CaseReportRequestSchema = z.object({
  /** the case's id or pseudonym */
  caseId: z.string().trim().min(1).max(200),
  /** where to write the PDF; omitted = the bytes come back in `pdfBase64` (a browser download) */
  out: z.string().min(1).optional(),
  /** default: the data folder's settings.json, else A4 */
  pageSize: ReportPageSizeSchema.optional(),
  /** default: the data folder's settings.json */
  institution: z.string().trim().max(200).optional(),
  /** the report's date (ISO 8601); default now. A fixed date makes the same case give the same bytes. */
  generatedAt: z.iso.datetime({ offset: true }).optional(),
  actor: ActorSchema.optional(),
});
export type CaseReportRequest = z.input<typeof CaseReportRequestSchema>;

export const CaseReportSchema = z.object({
  exportId: z.string(),
  caseId: z.string(),
  pseudonym: z.string(),
  /** the file written, or null when the bytes came back instead */
  path: z.string().nullable(),
  /** a suggested file name ("SL-7K3M-Q9TD-report.pdf") */
  fileName: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  pages: z.number().int(),
  pageSize: ReportPageSizeSchema,
  pdfBase64: z.string().optional(),
  warnings: z.array(z.string()),
});
export type CaseReport = z.infer<typeof CaseReportSchema>;
