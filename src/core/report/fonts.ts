// The report's fonts: DejaVu Sans, Sans Bold and Sans Mono TTFs from the dejavu-fonts-ttf package
// (Bitstream Vera licence + public domain; its LICENSE travels with it). PDF's 14 standard fonts
// cannot be embedded, so PDF/A needs these: each is embedded as a subset where it is used.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

export const REPORT_FONTS = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
export type ReportFont = keyof typeof REPORT_FONTS;

const resolvePackageFile = createRequire(import.meta.url).resolve;

/** The absolute path of one of the report's TTF files, or a clear error when the package is missing. */
export function reportFontPath(font: ReportFont): string {
  const file = `dejavu-fonts-ttf/ttf/${REPORT_FONTS[font]}`;
  let path: string;
  try {
    path = resolvePackageFile(file);
  } catch {
    throw new Error(`The report font ${file} is missing: reinstall the app's dependencies (npm install)`);
  }
  if (!existsSync(path)) throw new Error(`The report font ${path} is missing`);
  return path;
}
