// `sightline cases import --data DIR --model M.onnx --input X [X ...] [--method m[,m] ...] [--set [method.]key=value ...]`:
// the analysts' batch route. One case per input, with its prediction and the named explanations,
// all stored in the data folder. A failing input is reported and the others still run (exit 1).
import { basename } from 'node:path';
import type { ProcInput, ProcOutput } from '../../api/contract';
import type { ParamValue } from '../../api/schemas';
import { EXIT, UsageError, parseSets, type CliContext } from '../command';

type RecordedExplanation = { method: string; recordId: string | undefined; durationMs: number };

interface ImportedCase {
  input: string;
  caseId: string;
  pseudonym: string;
  top: { index: number; label: string; score: number } | null;
  explanations: RecordedExplanation[];
}

/** The `--method` values, comma lists split: `--method a,b --method c` → [a, b, c]. */
export function methodList(values: unknown): string[] {
  return ((values as string[] | undefined) ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean);
}

export interface CaseRecording {
  modelId: string;
  inputId: string;
  note: string;
  methods: string[];
  params: Map<string, Record<string, ParamValue>>;
  /** more fields of every explain request (the report's --target and --provider) */
  explain?: Pick<ProcInput<'explain'>, 'target' | 'provider'>;
}

/** Records an input as a case (its prediction, by caseCreate) and each method's explanation in it. */
export async function recordCase(ctx: CliContext, recording: CaseRecording): Promise<{ summary: ProcOutput<'caseCreate'>['summary']; explanations: RecordedExplanation[] }> {
  const { modelId, inputId, note, methods, params } = recording;
  const created = await ctx.api.caseCreate({ inputId, modelId, note });
  const caseId = created.summary.id;
  const explanations: RecordedExplanation[] = [];
  for (const method of methods) {
    const result = await ctx.api.explain({ modelId, inputId, method, ...recording.explain, params: params.get(method), caseId }, { signal: ctx.signal, onProgress: ctx.progress });
    explanations.push({ method, recordId: result.recordId, durationMs: Math.round(result.durationMs) });
  }
  return { summary: created.summary, explanations };
}

/** `--set occlusion.window=…` applies to occlusion only; `--set window=…` to every method. */
export function paramsPerMethod(methods: string[], sets: Record<string, ParamValue>): Map<string, Record<string, ParamValue>> {
  const out = new Map(methods.map((m) => [m, {} as Record<string, ParamValue>]));
  for (const [key, value] of Object.entries(sets)) {
    const dot = key.indexOf('.');
    const scoped = dot > 0 ? key.slice(0, dot) : null;
    if (scoped !== null && !out.has(scoped)) throw new UsageError(`--set ${key}: "${scoped}" is not one of the --method values (${methods.join(', ')})`);
    for (const [method, params] of out) if (scoped === null || scoped === method) params[scoped ? key.slice(dot + 1) : key] = value;
  }
  return out;
}

export async function importCases(ctx: CliContext): Promise<number> {
  const inputs = [...((ctx.values.input as string[] | undefined) ?? []), ...ctx.positionals.slice(1)];
  if (inputs.length === 0) throw new UsageError('cases import needs --input FILE [FILE ...]');
  const methods = methodList(ctx.values.method);
  const params = paramsPerMethod(methods, parseSets(ctx.values.set));
  const note = typeof ctx.values.note === 'string' ? ctx.values.note : '';
  const model = await ctx.api.openModel({ path: ctx.need('model') });
  const imported: ImportedCase[] = [];
  const failed: { input: string; error: string }[] = [];
  for (const path of inputs) {
    try {
      const input = await ctx.api.openInput({ path });
      // --provider is not forwarded here: imported explanations run on the engine's default provider
      const { summary, explanations } = await recordCase(ctx, { modelId: model.id, inputId: input.id, note, methods, params });
      const record: ImportedCase = { input: path, caseId: summary.id, pseudonym: summary.pseudonym, top: summary.predictedClass, explanations };
      imported.push(record);
      if (!ctx.json) {
        const top = record.top ? `${record.top.label} (${(record.top.score * 100).toFixed(1)}%)` : 'no prediction';
        console.error(`${record.pseudonym}  ${basename(path)}  ${top}  ${methods.length ? methods.join(', ') : 'no explanations'}`);
      }
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      failed.push({ input: path, error: (error as Error).message });
      if (!ctx.json) console.error(`${basename(path)}: ${(error as Error).message}`);
    }
  }
  if (ctx.json) console.log(JSON.stringify({ model: { name: model.name, sha256: model.sha256 }, cases: imported, failed }));
  else console.error(`${imported.length} case(s) imported${failed.length ? `, ${failed.length} failed` : ''}`);
  return failed.length ? EXIT.badInput : EXIT.ok;
}
