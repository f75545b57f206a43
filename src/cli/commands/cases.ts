// `sightline cases import|list|show ID|verify [--data DIR] [--json]`: the case database of a data
// folder from a terminal. `verify` checks the audit chain and SQLite's integrity_check and exits 0
// only when both hold (1 when either fails). Import lives in cases-import.ts.
import type { CaseDetail, CaseSummary } from '../../api/case-schemas';
import { DISCLAIMER } from '../../api/schemas';
import { EXIT, UsageError, type CliContext, type Command } from '../command';
import { importCases } from './cases-import';

const USAGE =
  'sightline cases import --model M.onnx --input X [X ...] [--method m[,m] ...] [--set [method.]key=value ...] [--note TEXT] [--data DIR] [--json]\n' +
  '  sightline cases list [--text WORDS] [--status new|in_review|signed] [--model M] [--class C] [--verdict V]\n' +
  '                       [--from DATE] [--to DATE] [--sort updated|created|pseudonym|status] [--order asc|desc] [--limit N] [--data DIR] [--json]\n' +
  '  sightline cases show ID|PSEUDONYM [--data DIR] [--json]\n' +
  '  sightline cases verify [--data DIR] [--json]';

export const casesCommand: Command = {
  name: 'cases',
  usage: USAGE,
  positionals: true,
  options: {
    data: { type: 'string' },
    model: { type: 'string' },
    input: { type: 'string', multiple: true },
    method: { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
    note: { type: 'string' },
    text: { type: 'string' },
    status: { type: 'string' },
    class: { type: 'string' },
    verdict: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    sort: { type: 'string' },
    order: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub === 'import') return importCases(ctx);
    if (sub === 'list') return listCases(ctx);
    if (sub === 'show') return showCase(ctx);
    if (sub === 'verify') return verifyCases(ctx);
    throw new UsageError(sub ? `Unknown cases subcommand "${sub}"` : 'cases needs a subcommand: import, list, show or verify');
  },
};

function noMorePositionals(ctx: CliContext, count: number): void {
  if (ctx.positionals.length > count) throw new UsageError(`Unexpected argument "${ctx.positionals[count]}"`);
}

async function listCases(ctx: CliContext): Promise<number> {
  noMorePositionals(ctx, 1);
  const text = (name: string) => (typeof ctx.values[name] === 'string' ? (ctx.values[name] as string) : undefined);
  const limit = text('limit') === undefined ? undefined : Number(text('limit'));
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit must be a positive integer (got ${text('limit')})`);
  const list = await ctx.api.caseList({
    text: text('text'),
    status: text('status') as CaseSummary['status'] | undefined,
    model: text('model'),
    predictedClass: text('class'),
    verdict: text('verdict') as CaseSummary['predictionVerdict'] & string,
    from: text('from'),
    to: text('to'),
    sort: text('sort') as 'updated' | undefined,
    order: text('order') as 'asc' | undefined,
    limit,
  });
  if (ctx.json) {
    console.log(JSON.stringify(list));
    return EXIT.ok;
  }
  for (const c of list.cases) {
    const predicted = c.predictedClass ? `${c.predictedClass.label} ${(c.predictedClass.score * 100).toFixed(1)}%` : '—';
    console.log(`${c.pseudonym}  ${c.status.padEnd(9)}  rev ${c.revision}  ${c.updatedAt.slice(0, 19)}Z  ${predicted}  verdict ${c.predictionVerdict ?? '—'}  ${c.note.slice(0, 60)}`);
  }
  console.log(`${list.cases.length} of ${list.total} case(s)`);
  return EXIT.ok;
}

async function showCase(ctx: CliContext): Promise<number> {
  const ref = ctx.positionals[1];
  if (!ref) throw new UsageError('cases show needs a case ID or pseudonym');
  noMorePositionals(ctx, 2);
  const detail = await ctx.api.caseGet({ caseId: ref });
  if (ctx.json) console.log(JSON.stringify(detail));
  else printDetail(detail);
  return EXIT.ok;
}

function printDetail(detail: CaseDetail): void {
  const s = detail.summary;
  console.log(`${s.pseudonym} (${s.id}) — ${s.status}, revision ${s.revision}; created ${s.createdAt} by ${s.createdBy}`);
  if (s.note) console.log(`Note: ${s.note}`);
  if (detail.image) console.log(`Image: ${detail.image.fileName} ${detail.image.width}×${detail.image.height}, SHA-256 ${detail.image.sha256}`);
  for (const p of detail.predictions) {
    console.log(`Prediction: ${p.modelName} (SHA-256 ${p.modelSha256.slice(0, 16)}…) on ${p.provider}: ${p.top.map((t) => `${t.label} ${(t.score * 100).toFixed(1)}%`).join(', ')}`);
  }
  for (const e of detail.explanations) {
    const a = e.agreement;
    const agreement = a ? `pointing ${a.pointingHit ? 'hit' : 'miss'}, mass inside ${a.massInside.toFixed(3)}, IoU top-${a.topKPercent}% ${a.topKIoU.toFixed(3)}` : 'no region annotated';
    console.log(`Explanation: ${e.method} ${JSON.stringify(e.params)} for ${e.targetLabel} (#${e.target}) — ${agreement}`);
  }
  for (const a of detail.annotations) console.log(`Annotation: ${a.kind}${a.label ? ` "${a.label}"` : ''} by ${a.author}`);
  for (const p of detail.probes ?? []) {
    const share = ((p.maskedPixels / (p.mask.width * p.mask.height)) * 100).toFixed(1);
    console.log(`Counterfactual by ${p.author}: ${share}% hidden (${p.masker}) → ${p.targetLabel} ${(p.baseProbability * 100).toFixed(1)}% → ${(p.probability * 100).toFixed(1)}%, logit Δ ${p.delta.toFixed(4)}${p.note ? ` — ${p.note}` : ''}`);
  }
  for (const i of detail.interventions ?? []) {
    console.log(`Concept intervention by ${i.author}: ${i.overrides.length} concept(s) set → ${i.top[0]?.label ?? '?'} ${((i.top[0]?.score ?? 0) * 100).toFixed(1)}%`);
  }
  for (const r of detail.reviews) console.log(`Review (rev ${r.revision}) by ${r.reviewer}: prediction ${r.predictionVerdict}, explanation ${r.explanationVerdict}${r.comment ? ` — ${r.comment}` : ''}`);
  for (const sig of detail.signatures) console.log(`Signed (rev ${sig.revision}) by ${sig.signer} at ${sig.signedAt}, meaning: ${sig.meaning}; record SHA-256 ${sig.recordSha256}`);
  console.log(DISCLAIMER);
}

async function verifyCases(ctx: CliContext): Promise<number> {
  noMorePositionals(ctx, 1);
  const result = await ctx.api.caseVerify({});
  if (ctx.json) console.log(JSON.stringify(result));
  else {
    console.log(`integrity_check: ${result.integrity.join('; ')}`);
    console.log(`audit: ${result.auditRows} rows, ${result.auditOk ? 'chain intact' : 'TAMPERING FOUND'}`);
    for (const problem of result.problems) console.log(`  problem: ${problem}`);
    console.log(result.ok ? 'verified' : 'NOT verified');
  }
  return result.ok ? EXIT.ok : EXIT.badInput;
}
