// The trust metrics of one explanation, computed on request (the metrics are listed in
// trust-metric-info.ts): runs the requested ones on the explanation's display map. The engine
// supplies what needs the model: the evaluation context, the ground-truth mask and, for the
// randomisation check, the map recomputed on a re-initialised model.
import type { TrustMetrics, TrustMetricsRequestSchema } from '../../api/metrics-schemas';
import type { z } from 'zod';
import type { EvaluationContext } from '../explain/evaluate';
import type { ParametrisedLayer } from '../model/randomise-weights';
import { deletionCurve, insertionCurve } from './deletion-insertion';
import { localisation } from './localisation';
import { cascadingRandomisation } from './randomisation';
import { road } from './road';

export type TrustRequest = z.output<typeof TrustMetricsRequestSchema>;

export interface TrustInputs {
  ctx: EvaluationContext;
  request: TrustRequest;
  /** the explanation's display map, [height, width] at model-input resolution */
  map: Float32Array;
  width: number;
  height: number;
  /** the region to localise against, or null when there is none */
  groundTruth(): Promise<{ cells: Uint8Array; source: 'mask' | 'demo ground truth' } | null>;
  /** the model's parametrised layers and the map on a model with some re-initialised (null: not possible) */
  randomisation(): Promise<{ layers: ParametrisedLayer[]; mapWith(randomised: readonly ParametrisedLayer[], step: number): Promise<Float32Array> } | null>;
}

export async function computeTrustMetrics(inputs: TrustInputs): Promise<TrustMetrics> {
  const { ctx, request, map } = inputs;
  const started = performance.now();
  const result: TrustMetrics = { method: request.explanation.method, target: request.explanation.target, skipped: [], durationMs: 0, computedAt: '' };
  const wanted = new Set(request.metrics);
  const curveOptions = { steps: request.steps, seed: request.seed };
  if (wanted.has('deletion')) result.deletion = await deletionCurve(ctx, map, { ...curveOptions, baseline: request.deletionBaseline });
  if (wanted.has('insertion')) result.insertion = await insertionCurve(ctx, map, { ...curveOptions, baseline: request.insertionBaseline });
  if (wanted.has('road')) result.road = await road(ctx, map, { seed: request.seed });
  if (wanted.has('localisation')) {
    const truth = await inputs.groundTruth();
    if (!truth) result.skipped.push({ metric: 'localisation', reason: 'no ground-truth mask: pass one, or annotate the case (agreement is computed from annotations)' });
    else {
      const found = localisation(map, truth.cells);
      result.localisation = {
        source: truth.source,
        pointingHit: found.pointingHit,
        massInside: found.massInside,
        relevanceRank: found.relevanceRank,
        topKIoU: found.topKIoU,
        topKPercent: found.topKPercent,
        regionCells: found.regionCells,
        mapCells: found.mapCells,
      };
    }
  }
  if (wanted.has('randomisation')) {
    const setup = await inputs.randomisation();
    if (!setup || setup.layers.length === 0) result.skipped.push({ metric: 'randomisation', reason: 'the model has no parametrised layers that can be re-initialised' });
    else {
      result.randomisation = await cascadingRandomisation({
        original: map,
        width: inputs.width,
        height: inputs.height,
        layers: setup.layers,
        maxSteps: request.randomisationSteps,
        seed: request.seed,
        mapWith: setup.mapWith,
        checkCancelled: ctx.checkCancelled,
      });
    }
  }
  result.durationMs = performance.now() - started;
  result.computedAt = new Date().toISOString();
  return result;
}
