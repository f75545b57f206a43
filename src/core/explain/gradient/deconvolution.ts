// Deconvolution: the input gradient with every Relu's backward replaced by grad_in = max(0, grad_out),
// ignoring the forward mask — matches Captum Deconvolution (hooks on nn.ReLU = ONNX Relu nodes;
// MaxPool still routes to the first maximum of its window, as torch and onnxruntime's Indices).
import { overrideRules, standardRuleSet } from '../../autodiff/rules';
import { elementwiseRule } from '../../autodiff/rules/shared/elementwise';
import { inputGradientExplainer, keepGradient } from './input-gradient-method';

export const deconvolution = inputGradientExplainer({
  id: 'deconvolution',
  label: 'Deconvolution',
  output: { shape: 'input shape [1, C, H, W]', meaning: 'input gradient where every ReLU passes back only the positive part of the gradient, whatever its input was', signed: true, unit: 'Δ score per unit (deconvnet)' },
  reference: 'Captum Deconvolution; Zeiler & Fergus 2014',
  ruleSet: overrideRules(standardRuleSet, 'deconvolution', [elementwiseRule(['Relu'], [], ({ ctx, g }) => ctx.op('Relu', [g]))]),
  combine: keepGradient,
});
