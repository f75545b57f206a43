// LayerNormalization (opset 17) over axes [axis, rank): with n elements per group, x̂ = (x − μ)·σ⁻¹,
// ĝ = g·scale: gx = σ⁻¹ (ĝ − mean(ĝ) − x̂ · mean(ĝ·x̂)). μ and σ⁻¹ are recomputed from x in the
// backward. The optional outputs add gμ/n (Mean) and −gσ⁻¹·σ⁻²·x̂/n (InvStdDev). Scale and bias get
// no gradient (model constants).
import type { VjpRule } from '../rule';
import { normalizeAxis, product } from '../shapes/dims';
import { reduceSum } from './shared/tensor-ops';

export const layerNormalizationRule: VjpRule = {
  opTypes: ['LayerNormalization'],
  attributes: ['axis', 'epsilon', 'stash_type'],
  differentiableInputs: [0],
  backward(ctx, [gY, gMean, gInvStd]) {
    const [x, scale] = ctx.node.inputs;
    const shape = ctx.shape(x);
    const type = ctx.elemType(x);
    const axis = normalizeAxis(ctx.node.attrs.int('axis', -1), shape.length);
    const axes = shape.map((_, i) => i).filter((i) => i >= axis);
    const invN = ctx.scalar(1 / product(shape.slice(axis)), type);
    const mean = (t: string) => ctx.op('Mul', [reduceSum(ctx, t, axes), invN]);
    // the statistics outputs are float32 (stash_type 1) whatever x's type
    const asX = (t: string, output: string) => (ctx.elemType(output) === type ? t : ctx.op('Cast', [t], { to: type }));
    const centred = ctx.op('Sub', [x, mean(x)]);
    const variance = mean(ctx.op('Mul', [centred, centred]));
    const invStd = ctx.op('Reciprocal', [ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.scalar(ctx.node.attrs.float('epsilon', 1e-5), type)])])]);
    const normalized = ctx.op('Mul', [centred, invStd]);
    const terms: string[] = [];
    if (gY) {
      const gHat = ctx.op('Mul', [gY, scale]);
      const inner = ctx.op('Sub', [ctx.op('Sub', [gHat, mean(gHat)]), ctx.op('Mul', [normalized, mean(ctx.op('Mul', [gHat, normalized]))])]);
      terms.push(ctx.op('Mul', [invStd, inner]));
    }
    if (gMean) terms.push(ctx.op('Mul', [asX(gMean, ctx.node.outputs[1]), invN]));
    if (gInvStd) {
      const perGroup = ctx.op('Neg', [ctx.op('Mul', [ctx.op('Mul', [asX(gInvStd, ctx.node.outputs[2]), ctx.op('Mul', [invStd, invStd])]), invN])]);
      terms.push(ctx.op('Mul', [perGroup, normalized]));
    }
    const total = terms.reduce((sum, t) => ctx.op('Add', [sum, t]));
    // a lone Mean term has the statistics' shape: broadcast it to x's
    const gx = gY || gInvStd ? total : ctx.op('Expand', [total, ctx.int64s(shape)]);
    return ctx.node.inputs.map((_, i) => (i === 0 ? gx : null));
  },
};
