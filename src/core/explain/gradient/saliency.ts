// Saliency: |d score / d input|, the input's shape — matches Captum Saliency (abs=True, its default).
import { inputGradientExplainer } from './input-gradient-method';

export const saliency = inputGradientExplainer({
  id: 'saliency',
  label: 'Saliency (|gradient|)',
  output: { shape: 'input shape [1, C, H, W]', meaning: 'magnitude of the derivative of the target score with respect to each input element', signed: false, unit: '|Δ score| per unit' },
  reference: 'Captum Saliency(abs=True); Simonyan et al. 2014',
  combine(_x, g, out) {
    for (let i = 0; i < g.length; i++) out[i] = Math.abs(g[i]);
  },
});
