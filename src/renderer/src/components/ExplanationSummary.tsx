import type { Explanation } from '../../../api/schemas';
import { formatDuration } from '../format';

/** Provenance of the heatmap on screen: what was explained, how, and on what. */
export function ExplanationSummary({ explanation, stale }: { explanation: Explanation; stale: boolean }) {
  return (
    <section className="panel" aria-labelledby="explanation-heading" data-testid="explanation-summary">
      <h2 id="explanation-heading">Shown explanation</h2>
      {stale && <p className="small warn">Shown for a different class than the one selected — run again to update.</p>}
      <dl className="facts">
        <dt>Method</dt>
        <dd>{explanation.method}</dd>
        <dt>Class</dt>
        <dd data-testid="explanation-target">
          {explanation.targetLabel} (#{explanation.target})
        </dd>
        <dt>Meaning</dt>
        <dd>{explanation.meaning}</dd>
        <dt>Cost</dt>
        <dd>
          {explanation.evaluations} model evaluations · {formatDuration(explanation.durationMs)}
        </dd>
        <dt>Ran on</dt>
        <dd data-testid="explanation-provider">{explanation.provider}</dd>
      </dl>
    </section>
  );
}
