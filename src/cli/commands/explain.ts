// `sightline explain --model M --input X --method NAME [--target N] [--set k=v …] --out R.npy|png|json`
// .npy = the raw attribution exactly as the method defines it; .png = the overlay; .json = the record.
import { extname } from 'node:path';
import { DISCLAIMER, type Explanation } from '../../api/schemas';
import { renderOverlayPng } from '../../core/display/overlay';
import { encodeNpy } from '../../core/tensor/npy';
import { fromWire } from '../../core/tensor/wire';
import { EXIT, UsageError, parseSets, writeOutput, type Command } from '../command';

export const explainCommand: Command = {
  name: 'explain',
  usage:
    'sightline explain --model M.onnx --input IMAGE|TENSOR.npy --method NAME [--target N]\n' +
    '                  [--layer TENSOR] [--set key=value ...] --out RESULT.npy|RESULT.png|RESULT.json [--json] [--provider P]',
  options: {
    model: { type: 'string' },
    input: { type: 'string' },
    method: { type: 'string' },
    target: { type: 'string' },
    set: { type: 'string', multiple: true },
    // the method's `layer` parameter (an ONNX tensor name), e.g. --method gradient --layer T
    layer: { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx) {
    const out = ctx.need('out');
    const format = extname(out).toLowerCase();
    if (!['.npy', '.png', '.json'].includes(format)) throw new UsageError(`--out must end in .npy, .png or .json (got ${out})`);
    const targetText = ctx.values.target as string | undefined;
    const target = targetText === undefined ? undefined : Number(targetText);
    if (target !== undefined && !(Number.isInteger(target) && target >= 0)) throw new UsageError(`--target must be a class index (got ${targetText})`);
    const params = parseSets(ctx.values.set);
    if (ctx.values.layer !== undefined) params.layer = ctx.values.layer as string;
    const method = ctx.need('method');
    const model = await ctx.api.openModel({ path: ctx.need('model') });
    const input = await ctx.api.openInput({ path: ctx.need('input') });
    const result = await ctx.api.explain(
      { modelId: model.id, inputId: input.id, method, target, params, provider: ctx.values.provider as 'auto' | undefined },
      { signal: ctx.signal, onProgress: ctx.progress },
    );
    await writeOutput(out, await encodeResult(format, result, input.previewPng));
    const summary = {
      out,
      method: result.method,
      target: result.target,
      targetLabel: result.targetLabel,
      shape: result.attribution.shape,
      range: result.heatmapRange,
      evaluations: result.evaluations,
      provider: result.provider,
      durationMs: Math.round(result.durationMs),
      modelSha256: result.modelSha256,
    };
    if (ctx.json) console.log(JSON.stringify(summary));
    else {
      console.error(`${result.method} for class ${result.target} (${result.targetLabel}): ${result.evaluations} evaluations on ${result.provider} in ${(result.durationMs / 1000).toFixed(2)} s → ${out}`);
      console.error(DISCLAIMER);
    }
    return EXIT.ok;
  },
};

async function encodeResult(format: string, result: Explanation, previewPng: string): Promise<Uint8Array | string> {
  const attribution = fromWire(result.attribution);
  if (format === '.npy') return encodeNpy(attribution);
  if (format === '.png') return renderOverlayPng(previewPng, result);
  const { attribution: _raw, heatmap: _heatmap, ...record } = result;
  return JSON.stringify({ ...record, disclaimer: DISCLAIMER, attribution: { shape: attribution.shape, data: Array.from(attribution.data) } });
}
