// Grad-CAM++: α = G² / (2G² + Σ_ij A · G³ + 1e-6) (0 where G = 0), w_c = Σ_ij max(G, 0) · α —
// matches pytorch-grad-cam GradCAMPlusPlus.get_cam_weights; raw = Σ_c w_c A_c before ReLU.
import { camExplainer, type CamMaps, type CamWeightRule } from './cam-explainer';

function gradCamPlusPlusWeights(maps: CamMaps): Float32Array {
  const plane = maps.height * maps.width;
  const G = maps.gradient!;
  const A = maps.activation;
  const weights = new Float32Array(maps.channels);
  for (let c = 0; c < maps.channels; c++) {
    let activationSum = 0;
    for (let p = 0; p < plane; p++) activationSum += A[c * plane + p];
    let w = 0;
    for (let p = 0; p < plane; p++) {
      const g = G[c * plane + p];
      if (g === 0) continue;
      const g2 = g * g;
      const alpha = g2 / (2 * g2 + activationSum * g2 * g + 1e-6);
      w += Math.max(g, 0) * alpha;
    }
    weights[c] = w;
  }
  return weights;
}

export const gradCamPlusPlusRule: CamWeightRule = {
  id: 'grad-cam-plus-plus',
  label: 'Grad-CAM++',
  reference: 'pytorch-grad-cam GradCAMPlusPlus (raw before ReLU); Chattopadhyay et al. 2018',
  meaning: 'layer activations weighted per channel by positive gradients with Grad-CAM++\'s second/third-order α coefficients, summed over channels (signed)',
  needsGradient: true,
  weights: gradCamPlusPlusWeights,
};

export const gradCamPlusPlus = camExplainer(gradCamPlusPlusRule);
