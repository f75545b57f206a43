// `sightline probe --model M --input X --mask MASK.png|MASK.npy [--masker NAME] [--set k=v …]
// [--target N] [--case ID [--note TEXT] [--actor NAME]] [--data DIR] [--json]`: the viewer's probe
// from the command line. Hides the mask's pixels with the masker and reports the target's score
// without and with them; with --case, saves it to that case as a counterfactual.
import { DISCLAIMER, MaskerNameSchema, type MaskerName, type ModelInfo, type ProbeResult } from '../../api/schemas';
import { formatScore, formatValue } from '../../core/display/number-format';
import { loadProbeMask } from '../../core/image/probe-mask';
import { EXIT, UsageError, parseClassIndex, parseSets, type Command } from '../command';

export const probeCommand: Command = {
  name: 'probe',
  usage:
    'sightline probe --model M.onnx --input IMAGE|TENSOR.npy --mask MASK.png|MASK.npy [--masker ' +
    MaskerNameSchema.options.join('|') +
    ']\n                [--set blurSize=N] [--set blurSigma=S] [--target N] [--case ID [--note TEXT] [--actor NAME]] [--data DIR] [--json]',
  options: {
    model: { type: 'string' },
    input: { type: 'string' },
    mask: { type: 'string' },
    masker: { type: 'string' },
    set: { type: 'string', multiple: true },
    target: { type: 'string' },
    case: { type: 'string' },
    note: { type: 'string' },
    actor: { type: 'string' },
    data: { type: 'string' },
  },
  async run(ctx) {
    const masker = parseMasker(ctx.values.masker);
    const target = parseClassIndex(ctx.values.target);
    const caseId = ctx.values.case as string | undefined;
    if (!caseId && (ctx.values.note !== undefined || ctx.values.actor !== undefined)) throw new UsageError('--note and --actor go with --case (the case to save the probe to)');
    const model = await ctx.api.openModel({ path: ctx.need('model') });
    const input = await ctx.api.openInput({ path: ctx.need('input') });
    const mask = await loadProbeMask(ctx.need('mask'), input, model.preprocessing);
    const request = { modelId: model.id, inputId: input.id, mask, masker, maskerParams: parseSets(ctx.values.set), target, provider: ctx.values.provider as 'auto' | undefined };
    const result = await ctx.api.probe(request);
    let saved: { caseId: string; pseudonym: string; revision: number; probeId: string } | null = null;
    if (caseId) {
      const detail = await ctx.api.probeSave({ ...request, caseId, note: (ctx.values.note as string | undefined) ?? '', actor: ctx.values.actor as string | undefined });
      saved = { caseId: detail.summary.id, pseudonym: detail.summary.pseudonym, revision: detail.summary.revision, probeId: detail.probes!.at(-1)!.id };
    }
    if (ctx.json) {
      console.log(JSON.stringify({ ...result, maskSize: [mask.width, mask.height], ...(saved ? { saved } : {}) }));
      return EXIT.ok;
    }
    for (const line of describeProbe(result, model, mask.width * mask.height)) console.log(line);
    if (saved) console.log(`Saved to case ${saved.pseudonym} (revision ${saved.revision}) as a counterfactual, probe ${saved.probeId}.`);
    console.log(DISCLAIMER);
    return EXIT.ok;
  },
};

function parseMasker(value: unknown): MaskerName {
  if (value === undefined) return 'blur';
  const parsed = MaskerNameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--masker must be one of ${MaskerNameSchema.options.join(', ')} (got ${String(value)})`);
  return parsed.data;
}

function describeProbe(result: ProbeResult, model: ModelInfo, total: number): string[] {
  const score = (value: number) => formatScore(value, model.activation);
  return [
    `${model.name}: hiding ${result.maskedPixels} of ${total} model-input pixels (${((result.maskedPixels / total) * 100).toFixed(1)}%) with the ${result.masker} masker`,
    `  ${result.targetLabel} (class ${result.target}): ${score(result.baseProbability)} → ${score(result.probability)}; logit ${formatValue(result.baseScore)} → ${formatValue(result.score)} (Δ ${formatValue(result.delta)})`,
    `  top now: ${result.top.map((t) => `${t.label} ${score(t.score)}`).join(', ')} (provider ${result.provider})`,
  ];
}
