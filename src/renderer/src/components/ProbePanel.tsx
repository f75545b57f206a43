// Probe the model: paint a region on the image, hide it with a masker of the user's choice and see
// the prediction change as the brush moves. A probe can be kept in the open case as a
// counterfactual ("with this region hidden, the model says …"), and a kept one shown again.
import { useState } from 'react';
import { MaskerNameSchema, type MaskerName, type ModelInfo, type StoredProbe } from '../../../api/schemas';
import { decodeMask } from '../../../core/tensor/binary-mask';
import type { ProbeState } from '../hooks/useProbe';
import { useWindowKeys } from '../hooks/useWindowKeys';
import { formatDuration, formatScore, formatValue } from '../format';
import '../probe.css';

const MASKER_LABELS: Record<MaskerName, string> = {
  blur: 'blur (box)',
  gaussian: 'blur (Gaussian)',
  zero: 'zero (model input 0)',
  black: 'black',
  mean: 'image mean',
  'superpixel-mean': 'superpixel mean colour',
  noise: 'noise',
};

/** the brush radius slider's range (screen pixels); [ and ] step it by 2 */
const RADIUS_MIN = 2;
const RADIUS_MAX = 80;

interface Props {
  probe: ProbeState;
  model: ModelInfo;
  /** the open case's id, where a probe can be saved; when it is signed, saving starts this revision */
  caseId: string | null;
  nextRevision: number | null;
  saved: StoredProbe[];
}

export function ProbePanel({ probe, model, caseId, nextRevision, saved }: Props) {
  const [note, setNote] = useState('');
  const { result } = probe;
  const total = probe.maskWidth * probe.maskHeight;
  const share = total > 0 ? probe.paintedCount / total : 0;
  const score = (value: number) => formatScore(value, model.activation);
  const change = result ? result.probability - result.baseProbability : 0;
  // Paint programs' keys while the brush is on: [ and ] size it, X swaps paint and erase, Esc stops.
  useWindowKeys(probe.active, (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.key === '[' || event.key === ']') probe.setRadius(Math.min(RADIUS_MAX, Math.max(RADIUS_MIN, probe.radius + (event.key === ']' ? 2 : -2))));
    else if (event.key === 'x' || event.key === 'X') probe.setMode(probe.mode === 'paint' ? 'erase' : 'paint');
    else if (event.key === 'Escape') probe.setActive(false);
    else return false;
    return true;
  });

  return (
    <section className="panel" aria-labelledby="probe-heading" data-testid="probe-panel">
      <div className="panel-head">
        <h2 id="probe-heading">Probe the model</h2>
        <button
          type="button"
          className={`button${probe.active ? ' active' : ''}`}
          data-testid="probe-toggle"
          aria-pressed={probe.active}
          onClick={() => probe.setActive(!probe.active)}
        >
          {probe.active ? 'Stop probing' : 'Paint to probe'}
        </button>
      </div>
      <p className="small muted">
        Paint over a region: it is hidden from the model and the prediction updates after each stroke. Keys: [ ] brush size, X paint/erase, Esc stop.
      </p>
      <div className="button-row" role="group" aria-label="Brush">
        {(['paint', 'erase'] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            className={`button tool${probe.mode === mode ? ' active' : ''}`}
            data-testid={`probe-${mode}`}
            aria-pressed={probe.mode === mode}
            onClick={() => {
              probe.setMode(mode);
              probe.setActive(true);
            }}
          >
            {mode === 'paint' ? 'Paint' : 'Erase'}
          </button>
        ))}
        <button type="button" className="button" data-testid="probe-clear" disabled={probe.paintedCount === 0} onClick={probe.clear}>
          Clear
        </button>
      </div>
      <label className="field small">
        Brush {probe.radius} px
        <input type="range" min={RADIUS_MIN} max={RADIUS_MAX} value={probe.radius} data-testid="probe-radius" onChange={(e) => probe.setRadius(Number(e.target.value))} />
      </label>
      <label className="field small">
        Hidden pixels become
        <select data-testid="probe-masker" value={probe.masker} onChange={(e) => probe.setMasker(e.target.value as MaskerName)}>
          {MaskerNameSchema.options.map((m) => (
            <option key={m} value={m}>
              {MASKER_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline small">
        <input type="checkbox" data-testid="probe-show-input" checked={probe.showInput} onChange={(e) => probe.setShowInput(e.target.checked)} />
        Show what the model sees
      </label>
      <p className="small" data-testid="probe-coverage">
        Hidden: {(share * 100).toFixed(1)}% of the model input ({probe.paintedCount} of {total} pixels)
      </p>
      {result && (
        <div
          className="probe-result"
          data-testid="probe-result"
          data-answers={probe.answers}
          data-probability={result.probability}
          data-base-probability={result.baseProbability}
          data-delta={result.delta}
          data-masked={result.maskedPixels}
          data-stroke-ms={probe.strokeLatencyMs ?? ''}
        >
          <p className="small">
            <strong>{result.targetLabel}</strong>: {score(result.baseProbability)} → <strong>{score(result.probability)}</strong>{' '}
            <span className={change < 0 ? 'probe-down' : 'probe-up'} data-testid="probe-change">
              ({change >= 0 ? '+' : ''}
              {model.activation === 'none' ? formatValue(change) : `${(change * 100).toFixed(1)} points`})
            </span>
          </p>
          <p className="small muted">
            logit {formatValue(result.baseScore)} → {formatValue(result.score)} (Δ {formatValue(result.delta)}); top now: {result.top[0]?.label} {score(result.top[0]?.score ?? 0)}
          </p>
          {probe.showInput && result.inputPreviewPng && (
            <img className="probe-input" data-testid="probe-input" src={result.inputPreviewPng} alt={`The model input with the painted region hidden (${result.masker})`} />
          )}
          <p className="small muted" data-testid="probe-latency">
            {probe.pending ? 'updating…' : probe.strokeLatencyMs !== null ? `updated ${formatDuration(probe.strokeLatencyMs)} after the stroke` : ''} · model {formatDuration(result.durationMs)} on {result.provider}
          </p>
        </div>
      )}
      {caseId && (
        <div className="probe-save">
          <label className="field small">
            Note for the counterfactual
            <input type="text" data-testid="probe-note" value={note} maxLength={4000} onChange={(e) => setNote(e.target.value)} placeholder="e.g. hiding the lesion removes the finding" />
          </label>
          <button
            type="button"
            className="button"
            data-testid="probe-save"
            disabled={!result || probe.paintedCount === 0 || probe.saving}
            onClick={() => void probe.save(note).then((ok) => ok && setNote(''))}
          >
            Save to case as counterfactual
          </button>
          {nextRevision !== null && <span className="small muted">The case is signed: saving starts revision {nextRevision}.</span>}
        </div>
      )}
      {saved.length > 0 && (
        <ul className="probe-saved" data-testid="probe-saved">
          {saved.map((p) => (
            <li key={p.id} data-testid="probe-saved-item">
              <button type="button" className="link-button small" onClick={() => probe.load(decodeMask(p.mask), p.masker)} title="Show this mask again">
                {p.note || 'Counterfactual'}
              </button>
              <span className="small muted">
                {' '}
                — {p.masker}, {((p.maskedPixels / (p.mask.width * p.mask.height)) * 100).toFixed(1)}% hidden: {p.targetLabel} {score(p.baseProbability)} → {score(p.probability)} · {p.author}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="small muted">Decision support only: a probe shows how this model responds, not a diagnosis.</p>
    </section>
  );
}
