// The report settings of a data folder: settings.json beside the case database, e.g.
// { "institution": "St Elsewhere, Radiology", "report": { "pageSize": "Letter" } }. A missing file
// means defaults (no institution, A4); a malformed one is a clear error naming the file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError, formatZodError } from '../../api/contract';
import { ReportPageSizeSchema } from '../../api/report-schemas';
import type { PageSize } from './report-data';

export const SETTINGS_FILE = 'settings.json';

const SettingsSchema = z.looseObject({
  institution: z.string().trim().max(200).optional(),
  report: z.looseObject({ pageSize: ReportPageSizeSchema.optional() }).optional(),
});

export interface ReportSettings {
  institution: string | null;
  pageSize: PageSize;
}

export async function readReportSettings(dataDir: string): Promise<ReportSettings> {
  const path = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { institution: null, pageSize: 'A4' };
    throw new ApiError('BAD_INPUT', `The settings file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ApiError('BAD_INPUT', `The settings file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = SettingsSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_INPUT', `The settings file ${path} is malformed: ${formatZodError(parsed.error)}`);
  return { institution: parsed.data.institution || null, pageSize: parsed.data.report?.pageSize ?? 'A4' };
}
