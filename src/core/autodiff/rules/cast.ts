// Cast and CastLike between float types: gx = g cast back to x's type. (A cast to an integer type carries no
// gradient: its output is never differentiated.)
import type { VjpRule } from '../rule';

export const castRule: VjpRule = {
  opTypes: ['Cast', 'CastLike'],
  attributes: ['to', 'saturate'],
  differentiableInputs: [0],
  backward: (ctx, [g]) => ctx.node.inputs.map((x, i) => (i === 0 ? ctx.op('Cast', [g!], { to: ctx.elemType(x) }) : null)),
};
