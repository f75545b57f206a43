// Relu: gx = g where x > 0, else 0 (torch's choice at x = 0). The mask is read from the output
// (y > 0 ⇔ x > 0), so onnxruntime can still fuse Conv+Relu and free the pre-activation.
import { elementwiseRule, maskedGradient } from './shared/elementwise';

export const reluRule = elementwiseRule(['Relu'], [], (a) => maskedGradient(a, a.ctx.op('Greater', [a.y, a.ctx.scalar(0, a.type)])));
