// XGrad-CAM: w_c = Σ_ij (G ⊙ A)_c / (Σ_ij A_c + 1e-7); raw = Σ_c w_c A_c before ReLU — matches
// pytorch-grad-cam XGradCAM.get_cam_weights; Fu et al. 2020.
import { camExplainer, type CamMaps, type CamWeightRule } from './cam-explainer';

function xGradCamWeights(maps: CamMaps): Float32Array {
  const plane = maps.height * maps.width;
  const weights = new Float32Array(maps.channels);
  for (let c = 0; c < maps.channels; c++) {
    let [weighted, sum] = [0, 0];
    for (let p = 0; p < plane; p++) {
      const a = maps.activation[c * plane + p];
      weighted += maps.gradient![c * plane + p] * a;
      sum += a;
    }
    weights[c] = weighted / (sum + 1e-7);
  }
  return weights;
}

export const xGradCamRule: CamWeightRule = {
  id: 'xgrad-cam',
  label: 'XGrad-CAM',
  reference: 'pytorch-grad-cam XGradCAM (raw before ReLU); Fu et al. 2020',
  meaning: 'layer activations weighted per channel by the activation-weighted gradient, normalised by the channel\'s activation sum, summed over channels (signed)',
  needsGradient: true,
  weights: xGradCamWeights,
};

export const xGradCam = camExplainer(xGradCamRule);
