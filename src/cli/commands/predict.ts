// `sightline predict --model M.onnx --input X [--json] [--top K]`: logits, probabilities, top-k.
import { DISCLAIMER } from '../../api/schemas';
import { topClasses } from '../../core/model/activation';
import { EXIT, UsageError, type Command } from '../command';

export const predictCommand: Command = {
  name: 'predict',
  usage: 'sightline predict --model M.onnx --input IMAGE|TENSOR.npy [--json] [--top K] [--provider auto|cpu|cuda|webgpu]',
  options: { model: { type: 'string' }, input: { type: 'string' }, top: { type: 'string' } },
  async run(ctx) {
    const top = ctx.values.top === undefined ? 5 : Number(ctx.values.top);
    if (!(Number.isInteger(top) && top > 0)) throw new UsageError(`--top must be a positive integer (got ${String(ctx.values.top)})`);
    const model = await ctx.api.openModel({ path: ctx.need('model') });
    const input = await ctx.api.openInput({ path: ctx.need('input') });
    const prediction = await ctx.api.predict({ modelId: model.id, inputId: input.id, provider: ctx.values.provider as 'auto' | undefined });
    const topK = topClasses(model, prediction.probabilities, top);
    if (ctx.json) {
      const { logits, probabilities, provider, modelSha256 } = prediction;
      console.log(JSON.stringify({ logits, probabilities, top: topK, provider, modelSha256 }));
      return EXIT.ok;
    }
    console.log(`${model.name} on ${input.name} (provider ${prediction.provider})`);
    for (const t of topK) console.log(`  ${t.index.toString().padStart(5)}  ${t.label.padEnd(24)} ${(t.score * 100).toFixed(2)}%`);
    console.log(DISCLAIMER);
    return EXIT.ok;
  },
};
