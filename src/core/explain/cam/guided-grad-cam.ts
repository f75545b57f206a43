// Guided Grad-CAM: guided backpropagation ⊙ ReLU(Grad-CAM) resampled to the input size (nearest by
// default), the input's shape — matches Captum GuidedGradCam (LayerGradCam with relu_attributions,
// LayerAttribution.interpolate, interpolate_mode 'nearest'); Selvaraju et al. 2017.
import { resizeMap, type ResizeMode } from '../../display/resample';
import type { ExplainContext, ExplainOutput, Explainer } from '../types';
import { attributeOnce, inputMapDisplay } from '../gradient/input-gradient-method';
import { guidedBackprop } from '../gradient/guided-backprop';
import { layoutOf } from '../perturbation/maskers';
import { SCORE_PARAM } from '../gradient/target-gradients';
import { computeCam, LAYER_PARAM, layerStats } from './cam-explainer';
import { gradCamRule } from './grad-cam';

export const guidedGradCam: Explainer = {
  info: {
    id: 'guided-grad-cam',
    label: 'Guided Grad-CAM',
    family: 'cam',
    needs: 'gradient',
    output: {
      shape: 'input shape [1, C, H, W]',
      meaning: 'guided backpropagation masked by the positive part of Grad-CAM resampled to the input size: fine detail inside the regions that support the class',
      signed: true,
      unit: 'guided gradient × CAM units',
    },
    reference: 'Captum GuidedGradCam (interpolate_mode nearest); Selvaraju et al. 2017',
    params: [
      LAYER_PARAM,
      { name: 'interpolation', kind: 'enum', default: 'nearest', options: ['nearest', 'bilinear'], description: 'how the Grad-CAM map is resampled to the input (Captum: nearest)' },
      SCORE_PARAM,
    ],
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const cam = await computeCam(ctx, gradCamRule);
    const guided = await attributeOnce(ctx, guidedBackprop.method);
    const prep = ctx.model.preprocessing;
    const mode: ResizeMode = ctx.params.interpolation === 'bilinear' ? 'bilinear' : 'nearest';
    const positive = cam.raw.map((v) => Math.max(v, 0));
    const mask = resizeMap(positive, cam.maps.height, cam.maps.width, prep.height, prep.width, mode);
    const layout = layoutOf(prep);
    const attribution = guided.attribution;
    for (let c = 0; c < layout.channels; c++) for (let p = 0; p < layout.plane; p++) attribution[layout.index(c, p)] = Math.fround(attribution[layout.index(c, p)] * mask[p]);
    return { attribution: { shape: ctx.input.shape, data: attribution }, evaluations: 2, display: inputMapDisplay(ctx), provider: guided.provider, stats: layerStats(cam.layer) };
  },
};
