// Rules of the form gx = g · f'(x, y) for one-input elementwise ops: the file of each op states
// only its derivative, built from the forward input x and/or output y.
import type { RuleContext, VjpRule } from '../../rule';

export interface DerivativeArgs {
  ctx: RuleContext;
  /** forward input 0 */
  x: string;
  /** forward output 0 */
  y: string;
  /** upstream gradient of y */
  g: string;
  /** element type of x, for constants */
  type: number;
}

/** A rule whose gradient for input 0 is `gradient(args)`; other inputs (if any) are not differentiable. */
export function elementwiseRule(opTypes: string[], attributes: string[], gradient: (args: DerivativeArgs) => string): VjpRule {
  return {
    opTypes,
    attributes,
    differentiableInputs: [0],
    backward(ctx, grads) {
      const [x, y] = [ctx.node.inputs[0], ctx.node.outputs[0]];
      const gx = gradient({ ctx, x, y, g: grads[0]!, type: ctx.elemType(x) });
      return ctx.node.inputs.map((_, i) => (i === 0 ? gx : null));
    },
    source: gradient.toString(),
  };
}

/** g where the mask holds, 0 elsewhere. */
export function maskedGradient(args: DerivativeArgs, mask: string): string {
  return args.ctx.op('Where', [mask, args.g, args.ctx.scalar(0, args.type)]);
}
