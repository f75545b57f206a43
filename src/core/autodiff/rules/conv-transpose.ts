// ConvTranspose, data gradient only: it is the adjoint of a Conv with the same weights, strides,
// pads, dilations and groups, so gx = Conv(g, W) (output_padding only adds rows the Conv skips).
// output_shape and auto_pad are refused: their implied pads are not resolved here.
import type { VjpRule } from '../rule';

export const convTransposeRule: VjpRule = {
  opTypes: ['ConvTranspose'],
  attributes: ['dilations', 'group', 'kernel_shape', 'output_padding', 'pads', 'strides', 'auto_pad'],
  differentiableInputs: [0],
  backward(ctx, [g]) {
    const attrs = ctx.node.attrs;
    if (attrs.string('auto_pad', 'NOTSET') !== 'NOTSET') ctx.unsupported(`auto_pad=${attrs.string('auto_pad', '')}`);
    const w = ctx.node.inputs[1];
    const spatial = ctx.shape(w).length - 2;
    const ones = new Array<number>(spatial).fill(1);
    const gx = ctx.op('Conv', [g!, w], {
      strides: attrs.ints('strides') ?? ones,
      pads: attrs.ints('pads') ?? new Array<number>(2 * spatial).fill(0),
      dilations: attrs.ints('dilations') ?? ones,
      group: attrs.int('group', 1),
      kernel_shape: attrs.ints('kernel_shape') ?? ctx.shape(w).slice(2),
    });
    return ctx.node.inputs.map((_, i) => (i === 0 ? gx : null));
  },
};
