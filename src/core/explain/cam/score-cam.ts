// Score-CAM: each channel's activation, upsampled with aligned corners (torch UpsamplingBilinear2d) and
// min–max scaled to [0, 1] (+1e-8), masks the input; w = softmax over channels of the target scores of
// the masked inputs (batched forward passes); raw = Σ_c w_c A_c before ReLU — matches pytorch-grad-cam
// ScoreCAM.get_cam_weights; Wang et al. 2020.
import { resizeMap } from '../../display/resample';
import { valueRange } from '../../display/steps';
import { activate } from '../../model/activation';
import { ScoreEvaluator } from '../evaluate';
import { layoutOf } from '../perturbation/maskers';
import { scoreOf } from '../gradient/target-gradients';
import { camExplainer, type CamMaps, type CamWeightRule } from './cam-explainer';
import type { ExplainContext } from '../types';

async function scoreCamWeights(maps: CamMaps, ctx: ExplainContext): Promise<Float32Array> {
  const prep = ctx.model.preprocessing;
  const layout = layoutOf(prep);
  const plane = maps.height * maps.width;
  const x = ctx.input.data;
  const evaluator = new ScoreEvaluator(ctx, { maxBatch: Number(ctx.params.batchSize ?? 16), score: (logits) => scoreOf(ctx, logits) });
  const scores = await evaluator.scores(maps.channels, (c, dst) => {
    const up = resizeMap(maps.activation.subarray(c * plane, (c + 1) * plane), maps.height, maps.width, prep.height, prep.width, 'bilinear-align-corners');
    const { min, max } = valueRange(up);
    const span = Math.fround(Math.fround(max - min) + 1e-8);
    for (let p = 0; p < layout.plane; p++) {
      const mask = Math.fround(Math.fround(up[p] - min) / span);
      for (let k = 0; k < layout.channels; k++) dst[layout.index(k, p)] = Math.fround(x[layout.index(k, p)] * mask);
    }
  });
  return Float32Array.from(activate(scores, 'softmax'));
}

const scoreCamRule: CamWeightRule = {
  id: 'score-cam',
  label: 'Score-CAM',
  reference: 'pytorch-grad-cam ScoreCAM (raw before ReLU); Wang et al. 2020',
  meaning: 'layer activations weighted by the softmax over channels of the target score when the input is masked by each upsampled, min–max scaled channel (forward passes only)',
  needsGradient: false,
  params: [{ name: 'batchSize', kind: 'int', default: 16, min: 1, max: 1024, description: 'masked inputs per forward pass (speed only; pytorch-grad-cam uses 16)' }],
  weights: scoreCamWeights,
};

export const scoreCam = camExplainer(scoreCamRule);
