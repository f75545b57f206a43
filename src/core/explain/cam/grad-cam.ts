// Grad-CAM: channel weights w_c = mean_ij G_cij; raw = Σ_c w_c A_c before ReLU — matches
// pytorch-grad-cam GradCAM (get_cam_weights = spatial mean of the gradients) and Captum LayerGradCam.
import { camExplainer, type CamMaps, type CamWeightRule } from './cam-explainer';

/** w_c = mean over positions of G_c (Guided Grad-CAM reuses it through gradCamRule). */
function gradCamWeights(maps: CamMaps): Float32Array {
  const plane = maps.height * maps.width;
  const weights = new Float32Array(maps.channels);
  for (let c = 0; c < maps.channels; c++) {
    let sum = 0;
    for (let p = 0; p < plane; p++) sum += maps.gradient![c * plane + p];
    weights[c] = sum / plane;
  }
  return weights;
}

export const gradCamRule: CamWeightRule = {
  id: 'grad-cam',
  label: 'Grad-CAM',
  reference: 'pytorch-grad-cam GradCAM (raw = get_cam_image before ReLU); Selvaraju et al. 2017',
  meaning: 'layer activations weighted by the spatial mean of the target score\'s gradient per channel, summed over channels (signed; positive = supports the class)',
  needsGradient: true,
  weights: gradCamWeights,
};

export const gradCam = camExplainer(gradCamRule);
