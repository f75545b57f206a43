import type { Prediction } from '../../../api/schemas';
import { formatDuration, formatScore } from '../format';

interface Props {
  prediction: Prediction | null;
  pending: boolean;
  target: number | null;
  onSelect: (index: number) => void;
}

/** Top-5 classes; clicking one makes it the class the explanation is computed for. */
export function Predictions({ prediction, pending, target, onSelect }: Props) {
  return (
    <section className="panel" aria-labelledby="predictions-heading">
      <h2 id="predictions-heading">Prediction</h2>
      {pending && <p className="muted">Running the model…</p>}
      {!prediction && !pending && <p className="empty-state">Open a model and an image to see the model’s output.</p>}
      {prediction && (
        <>
          <div className="predictions" data-testid="predictions" role="listbox" aria-label="Top classes; choose the class to explain">
            {prediction.top.slice(0, 5).map((c) => {
              const selected = c.index === target;
              const barWidth = prediction.activation === 'none' ? 0 : Math.max(0, Math.min(1, c.score)) * 100;
              return (
                <button
                  type="button"
                  key={c.index}
                  role="option"
                  aria-selected={selected}
                  className={selected ? 'prediction-row selected' : 'prediction-row'}
                  data-testid="prediction-row"
                  data-class-index={c.index}
                  onClick={() => onSelect(c.index)}
                >
                  <span className="prediction-bar" style={{ width: `${barWidth}%` }} aria-hidden="true" />
                  <span className="prediction-label">{c.label}</span>
                  <span className="prediction-score">{formatScore(c.score, prediction.activation)}</span>
                </button>
              );
            })}
          </div>
          <p className="muted small" data-testid="prediction-provider">
            {prediction.activation === 'none' ? 'raw logits' : prediction.activation} · ran on {prediction.provider} ·{' '}
            {formatDuration(prediction.durationMs)}
          </p>
        </>
      )}
    </section>
  );
}
