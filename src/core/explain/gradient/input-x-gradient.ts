// Input × gradient: x ⊙ d score / d x, the input's shape — matches Captum InputXGradient (x is the
// model input after preprocessing, so a 0 in model space contributes nothing).
import { inputGradientExplainer } from './input-gradient-method';

export const inputXGradient = inputGradientExplainer({
  id: 'input-x-gradient',
  label: 'Input × gradient',
  output: { shape: 'input shape [1, C, H, W]', meaning: 'each model-input element times the derivative of the target score with respect to it (first-order contribution relative to a zero input)', signed: true, unit: 'Δ score' },
  reference: 'Captum InputXGradient; Shrikumar et al. 2016',
  combine(x, g, out) {
    for (let i = 0; i < g.length; i++) out[i] = Math.fround(x[i] * g[i]);
  },
});
