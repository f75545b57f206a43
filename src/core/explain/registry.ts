// The one list of explanation methods: the UI's forms, the CLI's `methods` and the contract all
// read it. A method is added by writing its file and registering it here.
import { ApiError } from '../../api/contract';
import type { MethodInfo } from '../../api/schemas';
import { attention } from './attention/attention';
import { attentionGradientRollout } from './attention/attention-gradient-rollout';
import { attentionRolloutExplainer } from './attention/attention-rollout';
import { gradCam } from './cam/grad-cam';
import { gradCamPlusPlus } from './cam/grad-cam-plus-plus';
import { guidedGradCam } from './cam/guided-grad-cam';
import { hiResCam } from './cam/hires-cam';
import { layerCam } from './cam/layer-cam';
import { scoreCam } from './cam/score-cam';
import { xGradCam } from './cam/xgrad-cam';
import { deconvolution } from './gradient/deconvolution';
import { gradient } from './gradient/gradient';
import { guidedBackprop } from './gradient/guided-backprop';
import { inputXGradient } from './gradient/input-x-gradient';
import { integratedGradients } from './gradient/integrated-gradients';
import { saliency } from './gradient/saliency';
import { smoothgrad } from './gradient/smoothgrad';
import { kernelShap } from './perturbation/kernel-shap';
import { lime } from './perturbation/lime';
import { occlusion } from './perturbation/occlusion';
import { partitionShap } from './perturbation/partition-shap';
import { rise } from './perturbation/rise';
import type { Explainer } from './types';

const explainers: Explainer[] = [
  occlusion, rise, lime, kernelShap, partitionShap,
  gradient, saliency, inputXGradient, integratedGradients, smoothgrad, guidedBackprop, deconvolution,
  gradCam, gradCamPlusPlus, hiResCam, xGradCam, layerCam, scoreCam, guidedGradCam,
  attention, attentionRolloutExplainer, attentionGradientRollout,
];
const byId = new Map(explainers.map((e) => [e.info.id, e]));

export function listMethods(): MethodInfo[] {
  return explainers.map((e) => e.info);
}

export function getExplainer(id: string): Explainer {
  const explainer = byId.get(id);
  if (!explainer) throw new ApiError('BAD_PARAMS', `Unknown method "${id}"; available: ${[...byId.keys()].join(', ')}`);
  return explainer;
}
