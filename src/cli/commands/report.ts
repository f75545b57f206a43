// `sightline report --case ID --out R.pdf [--data DIR]`: a stored case's PDF report. For one-off
// analyst use, `sightline report --model M.onnx --input X --method m [--method m2 ...] --target N
// --out R.pdf` first records a case for the input (prediction and explanations), then reports it:
// every report is of a recorded case, and every export is in that case's audit trail.
import type { ProcOutput } from '../../api/contract';
import type { CliContext, Command } from '../command';
import { EXIT, UsageError, parseClassIndex, parseSets } from '../command';
import { methodList, paramsPerMethod, recordCase } from './cases-import';

const USAGE =
  'sightline report --case ID|PSEUDONYM --out R.pdf [--data DIR] [--page-size A4|Letter] [--institution NAME] [--date ISO] [--json]\n' +
  '  sightline report --model M.onnx --input X --method m [--method m2 ...] [--target N] [--set [method.]key=value ...]\n' +
  '                   --out R.pdf [--note TEXT] [--data DIR] [--page-size A4|Letter] [--institution NAME] [--date ISO] [--json]';

export const reportCommand: Command = {
  name: 'report',
  usage: USAGE,
  options: {
    case: { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' },
    'page-size': { type: 'string' },
    institution: { type: 'string' },
    date: { type: 'string' },
    model: { type: 'string' },
    input: { type: 'string' },
    method: { type: 'string', multiple: true },
    target: { type: 'string' },
    set: { type: 'string', multiple: true },
    note: { type: 'string' },
  },
  async run(ctx) {
    const out = ctx.need('out');
    if (!out.toLowerCase().endsWith('.pdf')) throw new UsageError(`--out must end in .pdf (got ${out})`);
    const pageSize = ctx.values['page-size'] as string | undefined;
    if (pageSize !== undefined && pageSize !== 'A4' && pageSize !== 'Letter') throw new UsageError(`--page-size takes A4 or Letter (got ${pageSize})`);
    const caseRef = ctx.values.case as string | undefined;
    if (caseRef !== undefined && ctx.values.model !== undefined) throw new UsageError('Give either --case or --model/--input/--method, not both');
    const caseId = caseRef ?? (await analystCase(ctx));
    const report = await ctx.api.caseReport({
      caseId,
      out,
      pageSize,
      institution: ctx.values.institution as string | undefined,
      generatedAt: ctx.values.date as string | undefined,
    });
    for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
    printReport(ctx, report);
    return EXIT.ok;
  },
};

/** Records the analyst's input as a case: prediction and each method's explanation; returns its id. */
async function analystCase(ctx: CliContext): Promise<string> {
  const methods = methodList(ctx.values.method);
  if (ctx.values.model === undefined || methods.length === 0) throw new UsageError(`report needs --case, or --model, --input and at least one --method\n  ${USAGE}`);
  const target = parseClassIndex(ctx.values.target);
  const params = paramsPerMethod(methods, parseSets(ctx.values.set));
  const model = await ctx.api.openModel({ path: ctx.need('model') });
  const input = await ctx.api.openInput({ path: ctx.need('input') });
  const note = typeof ctx.values.note === 'string' ? ctx.values.note : `Analyst report: ${methods.join(', ')}`;
  const { summary } = await recordCase(ctx, { modelId: model.id, inputId: input.id, note, methods, params, explain: { target, provider: ctx.values.provider as 'auto' | undefined } });
  return summary.id;
}

function printReport(ctx: CliContext, report: ProcOutput<'caseReport'>): void {
  const { pdfBase64: _none, warnings: _warnings, ...summary } = report;
  if (ctx.json) console.log(JSON.stringify(summary));
  else console.error(`Report of case ${report.pseudonym}: ${report.pages} page${report.pages === 1 ? '' : 's'} (${report.pageSize}), SHA-256 ${report.sha256} → ${report.path}`);
}
