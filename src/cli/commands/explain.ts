// `sightline explain --model M --input X --method NAME [--target N|topK] [--set k=v …] --out R.npy|png|json`
// .npy = the raw attribution exactly as the method defines it; .png = the overlay; .json = the record.
// --target topK explains the K highest-scoring classes, one file each: R.top<rank>-c<class>.<ext>.
import { extname } from 'node:path';
import { DISCLAIMER, type Explanation } from '../../api/schemas';
import { renderOverlayPng } from '../../core/display/overlay';
import { encodeNpy } from '../../core/tensor/npy';
import { fromWire } from '../../core/tensor/wire';
import { topClasses } from '../../core/model/activation';
import { EXIT, UsageError, parseClassIndex, parseSets, writeOutput, type Command } from '../command';

export const explainCommand: Command = {
  name: 'explain',
  usage:
    'sightline explain --model M.onnx --input IMAGE|TENSOR.npy --method NAME [--target N|topK]\n' +
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
    const topK = targetText === undefined ? null : /^top-?(\d+)$/i.exec(targetText);
    const target = topK ? undefined : parseClassIndex(targetText, 'a class index or topK, e.g. top3');
    if (topK && Number(topK[1]) < 1) throw new UsageError(`--target ${targetText}: K must be at least 1`);
    const params = parseSets(ctx.values.set);
    if (ctx.values.layer !== undefined) params.layer = ctx.values.layer as string;
    const method = ctx.need('method');
    const provider = ctx.values.provider as 'auto' | undefined;
    const model = await ctx.api.openModel({ path: ctx.need('model') });
    const input = await ctx.api.openInput({ path: ctx.need('input') });
    // top-K: the classes in order of their logits (the order of the probabilities too)
    const targets = topK
      ? topClasses(model, (await ctx.api.predict({ modelId: model.id, inputId: input.id, provider })).logits, Number(topK[1])).map(({ index }) => index)
      : [target];
    const summaries = [];
    for (const [rank, classIndex] of targets.entries()) {
      const result = await ctx.api.explain({ modelId: model.id, inputId: input.id, method, target: classIndex, params, provider }, { signal: ctx.signal, onProgress: ctx.progress });
      const path = topK ? `${out.slice(0, -format.length)}.top${rank + 1}-c${result.target}${format}` : out;
      await writeOutput(path, await encodeResult(format, result, input.previewPng));
      summaries.push({
        out: path,
        method: result.method,
        target: result.target,
        targetLabel: result.targetLabel,
        shape: result.attribution.shape,
        range: result.heatmapRange,
        ...(result.attributionRange ? { attributionRange: result.attributionRange } : {}),
        evaluations: result.evaluations,
        provider: result.provider,
        durationMs: Math.round(result.durationMs),
        modelSha256: result.modelSha256,
        ...(result.stats ? { stats: result.stats } : {}),
      });
      if (!ctx.json) console.error(`${result.method} for class ${result.target} (${result.targetLabel}): ${result.evaluations} evaluations on ${result.provider} in ${(result.durationMs / 1000).toFixed(2)} s → ${path}`);
    }
    if (ctx.json) console.log(JSON.stringify(topK ? { results: summaries } : summaries[0]));
    else console.error(DISCLAIMER);
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
