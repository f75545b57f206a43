// HiResCAM: raw = Σ_c G_c ⊙ A_c (elementwise, no spatial averaging) before ReLU — matches
// pytorch-grad-cam HiResCAM.get_cam_image; Draelos & Carin 2020.
import { camExplainer, type CamWeightRule } from './cam-explainer';

export const hiResCamRule: CamWeightRule = {
  id: 'hires-cam',
  label: 'HiResCAM',
  reference: 'pytorch-grad-cam HiResCAM (raw before ReLU); Draelos & Carin 2020',
  meaning: 'elementwise gradient × activation of the layer, summed over channels (signed)',
  needsGradient: true,
  weights: (maps) => maps.gradient!,
};

export const hiResCam = camExplainer(hiResCamRule);
