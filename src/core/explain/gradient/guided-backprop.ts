// Guided backpropagation: the input gradient with every Relu's backward replaced by
// grad_in = max(0, grad_out) · 1[x > 0] — matches Captum GuidedBackprop (its hooks sit on nn.ReLU
// modules, i.e. ONNX Relu nodes; Clip/ReLU6 and other activations keep their ordinary gradient).
import { overrideRules, standardRuleSet } from '../../autodiff/rules';
import { elementwiseRule } from '../../autodiff/rules/shared/elementwise';
import { inputGradientExplainer, keepGradient } from './input-gradient-method';

export const guidedBackprop = inputGradientExplainer({
  id: 'guided-backprop',
  label: 'Guided backpropagation',
  output: { shape: 'input shape [1, C, H, W]', meaning: 'input gradient where every ReLU passes back only positive gradient, and only where its input was positive', signed: true, unit: 'Δ score per unit (guided)' },
  reference: 'Captum GuidedBackprop; Springenberg et al. 2015',
  ruleSet: overrideRules(standardRuleSet, 'guided-backprop', [
    // the forward mask read from the output (y > 0 ⇔ x > 0), as the standard Relu rule
    elementwiseRule(['Relu'], [], ({ ctx, y, g, type }) => {
      const zero = ctx.scalar(0, type);
      return ctx.op('Where', [ctx.op('And', [ctx.op('Greater', [y, zero]), ctx.op('Greater', [g, zero])]), g, zero]);
    }),
  ]),
  combine: keepGradient,
});
