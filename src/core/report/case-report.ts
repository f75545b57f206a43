// The caseReport procedure: a stored case → its PDF report (report-data.ts → compose.ts), written
// to a file (atomically: a temporary name, then renamed) or returned as bytes for a browser, and
// recorded as an export in the case's audit trail with the PDF's SHA-256.
import { rename, rm, writeFile } from 'node:fs/promises';
import { ApiError, type ProcOutput, type ProcParsedInput } from '../../api/contract';
import type { InputInfo } from '../../api/schemas';
import { APP_VERSION } from '../../api/version';
import { listMethods } from '../explain/registry';
import { sha256Hex, type Who } from '../store/audit';
import type { CaseStore } from '../store/case-store';
import { renderReportPdf } from './compose';
import { caseReportData } from './report-data';
import { readReportSettings } from './settings';

export const REPORT_EXPORT_KIND = 'pdf-report';

export interface CaseReportAccess {
  store: CaseStore;
  /** opens the stored image as the viewer would (its preview is what the report shows) */
  openInput(path: string): Promise<InputInfo>;
}

async function writeReportFile(path: string, bytes: Uint8Array): Promise<void> {
  const partial = `${path}.partial-${process.pid}`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ApiError('BAD_INPUT', `The disk is full: the report ${path} could not be written`);
    throw new ApiError('BAD_INPUT', `Cannot write the report ${path}: ${code ?? (error as Error).message}`);
  }
}

export async function exportCaseReport(access: CaseReportAccess, input: ProcParsedInput<'caseReport'>, who: Who): Promise<ProcOutput<'caseReport'>> {
  const { store } = access;
  const detail = store.detail(input.caseId);
  const warnings: string[] = [];
  let preview: InputInfo | null = null;
  const imagePath = store.imagePath(input.caseId);
  if (imagePath) {
    try {
      preview = await access.openInput(imagePath);
    } catch (error) {
      warnings.push(`The stored image could not be opened, so the report shows no image: ${(error as Error).message}`);
    }
  }
  const settings = await readReportSettings(store.dataDir);
  const pageSize = input.pageSize ?? settings.pageSize;
  const data = caseReportData({
    detail,
    records: store.explanationRecords(input.caseId, preview?.id ?? detail.image?.sha256 ?? ''),
    previewPng: preview?.previewPng ?? '',
    methodLabels: new Map(listMethods().map((m) => [m.id, m.label])),
    pageSize,
    generatedAt: input.generatedAt ? new Date(input.generatedAt).toISOString() : new Date().toISOString(),
    appVersion: APP_VERSION,
    institution: input.institution || settings.institution,
  });
  const { bytes, pages } = await renderReportPdf(data);
  const sha256 = sha256Hex(bytes);
  const { pseudonym } = detail.summary;
  const fileName = `${pseudonym}-report.pdf`;
  if (input.out) await writeReportFile(input.out, bytes);
  const exportId = store.recordExport(input.caseId, { kind: REPORT_EXPORT_KIND, path: input.out ?? `download:${fileName}`, sha256 }, who);
  return {
    exportId,
    caseId: detail.summary.id,
    pseudonym,
    path: input.out ?? null,
    fileName,
    sha256,
    bytes: bytes.length,
    pages,
    pageSize,
    ...(input.out ? {} : { pdfBase64: bytes.toString('base64') }),
    warnings,
  };
}
