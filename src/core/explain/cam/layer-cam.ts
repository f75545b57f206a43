// LayerCAM: raw = Σ_c max(G_c, 0) ⊙ A_c (elementwise) before ReLU — matches pytorch-grad-cam
// LayerCAM.get_cam_image; Jiang et al. 2021.
import { camExplainer, type CamWeightRule } from './cam-explainer';

export const layerCamRule: CamWeightRule = {
  id: 'layer-cam',
  label: 'LayerCAM',
  reference: 'pytorch-grad-cam LayerCAM (raw before ReLU); Jiang et al. 2021',
  meaning: 'elementwise positive gradient × activation of the layer, summed over channels (signed where activations are negative)',
  needsGradient: true,
  weights: (maps) => maps.gradient!.map((g) => Math.max(g, 0)),
};

export const layerCam = camExplainer(layerCamRule);
