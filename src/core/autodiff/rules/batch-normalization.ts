// BatchNormalization in inference mode: y = (x − mean)·scale/√(var + ε) + bias, so gx = g · k with
// k = scale/√(var + ε) per channel (computed in the graph; onnxruntime folds it when the stats are constant).
import type { VjpRule } from '../rule';
import { reshapeTo } from './shared/tensor-ops';

export const batchNormalizationRule: VjpRule = {
  opTypes: ['BatchNormalization'],
  attributes: ['epsilon', 'momentum', 'training_mode'],
  differentiableInputs: [0],
  backward(ctx, grads) {
    if (ctx.node.attrs.int('training_mode', 0) !== 0) ctx.unsupported('training_mode=1 (batch statistics)');
    if (grads.slice(1).some((g) => g !== null)) ctx.unsupported('gradients through the running-statistics outputs');
    const [x, scale, , , variance] = ctx.node.inputs;
    const type = ctx.elemType(x);
    const rank = ctx.shape(x).length;
    const channels = ctx.shape(scale)[0];
    const eps = ctx.node.attrs.float('epsilon', 1e-5);
    const k = ctx.op('Div', [scale, ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.scalar(eps, type)])])]);
    const perChannel = reshapeTo(ctx, k, [channels, ...Array<number>(Math.max(0, rank - 2)).fill(1)]);
    return ctx.node.inputs.map((_, i) => (i === 0 ? ctx.op('Mul', [grads[0]!, perChannel]) : null));
  },
};
