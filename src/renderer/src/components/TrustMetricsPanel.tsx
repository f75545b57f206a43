// Trust metrics of the shown explanation: deletion and insertion curves with their AUC, ROAD, the
// model-parameter randomisation check and localisation against the ground truth — computed on
// request (they cost extra model runs), stored with the case's explanation, shown as stored.
import { useState } from 'react';
import type { CurveResult, TrustMetricId, TrustMetrics } from '../../../api/metrics-schemas';
import type { Explanation, ModelInfo } from '../../../api/schemas';
import { trustMetricInfo } from '../../../core/metrics/trust-metric-info';
import { client } from '../api';
import { useBusyCall } from '../hooks/useBusyCall';
import '../trust.css';

interface Props {
  model: ModelInfo | null;
  inputId: string | null;
  explanation: Explanation;
  /** metrics stored with this explanation in the open case */
  stored: TrustMetrics | null;
  caseId: string | null;
  onStored: () => void;
  onError: (message: string) => void;
}

const VERDICT_TEXT: Record<NonNullable<TrustMetrics['randomisation']>['verdict'], string> = {
  separates: 'passes: the map changes once the top layers are randomised',
  partial: 'weak: the map changes at some steps, but not once the top two layers are randomised',
  insensitive: 'fails: the map hardly depends on the model’s weights',
};

function explanationKey(e: Explanation): string {
  return e.recordId ?? `${e.method}|${e.target}|${e.startedAt}`;
}

export function TrustMetricsPanel({ model, inputId, explanation, stored, caseId, onStored, onError }: Props) {
  const [computed, setComputed] = useState<{ key: string; metrics: TrustMetrics } | null>(null);
  const { busy, run: runBusy } = useBusyCall(onError);
  const [withRandomisation, setWithRandomisation] = useState(true);
  const key = explanationKey(explanation);
  const metrics = computed?.key === key ? computed.metrics : stored;
  const canRun = Boolean(model && inputId && model.sha256 === explanation.modelSha256);

  const run = async () => {
    if (!model || !inputId) return;
    await runBusy('Trust metrics failed', async () => {
      const result = await client.api.trustMetrics({
        modelId: model.id,
        inputId,
        explanation: { method: explanation.method, params: explanation.params, target: explanation.target, heatmap: explanation.heatmap },
        metrics: ['deletion', 'insertion', 'road', 'localisation', ...(withRandomisation ? (['randomisation'] as const) : [])],
        caseId: caseId && explanation.recordId ? caseId : undefined,
        explanationId: caseId && explanation.recordId ? explanation.recordId : undefined,
      });
      setComputed({ key, metrics: result });
      if (result.explanationId) onStored();
    });
  };

  return (
    <section className="panel" aria-labelledby="trust-heading" data-testid="trust-panel">
      <div className="panel-head">
        <h2 id="trust-heading">How far to trust it</h2>
        <button type="button" className="button" data-testid="trust-run" disabled={!canRun || busy} onClick={() => void run()} title={canRun ? 'Compute the trust metrics of this explanation' : 'Open the model this explanation was made with'}>
          {busy ? 'Computing…' : metrics ? 'Recompute' : 'Compute'}
        </button>
      </div>
      <label className="check small">
        <input type="checkbox" checked={withRandomisation} onChange={(e) => setWithRandomisation(e.target.checked)} /> include the randomisation check (re-runs the method per layer)
      </label>
      {!metrics && <p className="small muted">Deletion/insertion AUC, ROAD, the randomisation sanity check and localisation of this map.</p>}
      {metrics && <TrustFigures metrics={metrics} />}
    </section>
  );
}

function TrustFigures({ metrics }: { metrics: TrustMetrics }) {
  const { deletion, insertion, road, randomisation, localisation } = metrics;
  return (
    <div data-testid="trust-figures">
      <dl className="facts trust-facts">
        {deletion && <CurveFigure id="deletion" curve={deletion} />}
        {insertion && <CurveFigure id="insertion" curve={insertion} />}
        {road && (
          <>
            <MetricTerm id="road" />
            <dd data-testid="trust-road">
              MoRF {road.morfMean.toFixed(3)} · LeRF {road.lerfMean.toFixed(3)} · gap {road.gap.toFixed(3)}
            </dd>
          </>
        )}
        {localisation && (
          <>
            <MetricTerm id="localisation" />
            <dd data-testid="trust-localisation">
              vs {localisation.source}: {localisation.pointingHit ? 'points inside' : 'points outside'} · mass {localisation.massInside.toFixed(2)} · rank {localisation.relevanceRank.toFixed(2)} · IoU@{localisation.topKPercent}% {localisation.topKIoU.toFixed(2)}
            </dd>
          </>
        )}
      </dl>
      {randomisation && (
        <div className="trust-randomisation" data-testid="trust-randomisation" data-verdict={randomisation.verdict}>
          <p className={`small ${randomisation.verdict === 'separates' ? '' : 'warn'}`} title={termTitle('randomisation')}>
            {trustMetricInfo('randomisation').label}: {VERDICT_TEXT[randomisation.verdict]}
          </p>
          <table className="trust-table small">
            <thead>
              <tr>
                <th>randomised down to</th>
                <th title="Spearman rank correlation with the original map">ρ</th>
                <th>SSIM</th>
              </tr>
            </thead>
            <tbody>
              {randomisation.steps.map((step) => (
                <tr key={step.randomised.length} className={step.spearman < randomisation.threshold ? '' : 'warn'}>
                  <td>{step.randomised.at(-1)}</td>
                  <td>{step.spearman.toFixed(2)}</td>
                  <td>{step.ssim.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {metrics.skipped.map((s) => (
        <p key={s.metric} className="small muted">
          {s.metric}: {s.reason}
        </p>
      ))}
    </div>
  );
}

function termTitle(id: TrustMetricId): string {
  const info = trustMetricInfo(id);
  return `${info.description} (${info.reference})`;
}

/** A metric's name, with what it measures and which way is better on hover. */
function MetricTerm({ id }: { id: TrustMetricId }) {
  return <dt title={termTitle(id)}>{trustMetricInfo(id).label}</dt>;
}

/** A deletion or insertion curve: its AUC, the curve itself and the baseline the pixels were replaced with. */
function CurveFigure({ id, curve }: { id: 'deletion' | 'insertion'; curve: CurveResult }) {
  return (
    <>
      <MetricTerm id={id} />
      <dd data-testid={`trust-${id}`}>
        {curve.auc.toFixed(3)} <Sparkline xs={curve.fractions} ys={curve.scores} /> <span className="muted small">({curve.baseline})</span>
      </dd>
    </>
  );
}

/** A 0–1 probability curve over the removed/inserted fraction, small enough to sit beside its number. */
function Sparkline({ xs, ys }: { xs: number[]; ys: number[] }) {
  const points = xs.map((x, i) => `${(x * 80).toFixed(1)},${((1 - Math.max(0, Math.min(1, ys[i]))) * 20).toFixed(1)}`).join(' ');
  return (
    <svg className="sparkline" width="80" height="20" viewBox="0 0 80 20" aria-hidden="true">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
