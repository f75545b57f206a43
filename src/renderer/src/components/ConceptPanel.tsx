// Concept bottleneck models: one bar per concept beside the prediction; the clinician can override
// a concept (present / absent / the model's value) and see the label recomputed by the model's
// label head — an intervention, stored in the open case. Keyed by model and image by its parent,
// so a new pair starts from the model's own values.
import { useState } from 'react';
import type { Intervention } from '../../../api/demo-schemas';
import type { ModelInfo, Prediction } from '../../../api/schemas';
import { client } from '../api';
import { formatScore } from '../format';
import { useBusyCall } from '../hooks/useBusyCall';
import '../trust.css';

interface Props {
  model: ModelInfo;
  inputId: string;
  prediction: Prediction;
  /** the open case, where interventions are stored */
  caseId: string | null;
  actor: string | undefined;
  onStored: () => void;
  onError: (message: string) => void;
}

type Choice = 'model' | 'present' | 'absent';
const CHOICE_VALUE: Record<Exclude<Choice, 'model'>, number> = { present: 1, absent: 0 };

export function ConceptPanel({ model, inputId, prediction, caseId, actor, onStored, onError }: Props) {
  const concepts = prediction.concepts ?? [];
  const [choices, setChoices] = useState<Record<number, Choice>>({});
  const [result, setResult] = useState<Intervention | null>(null);
  const { busy, run } = useBusyCall(onError);

  const overrides = Object.entries(choices)
    .filter(([, choice]) => choice !== 'model')
    .map(([index, choice]) => ({ index: Number(index), value: CHOICE_VALUE[choice as Exclude<Choice, 'model'>] }));

  const recompute = () =>
    run('The intervention failed', async () => {
      setResult(await client.api.intervene({ modelId: model.id, inputId, overrides, caseId: caseId ?? undefined, actor }));
      if (caseId) onStored();
    });

  return (
    <section className="panel" aria-labelledby="concepts-heading" data-testid="concept-panel">
      <h2 id="concepts-heading">Concepts</h2>
      <p className="small muted">The label is computed from these concept values only. Override one to see the label change.</p>
      <ul className="concept-list">
        {concepts.map((c) => {
          const choice = choices[c.index] ?? 'model';
          const used = result ? result.concepts[c.index] : c.value;
          return (
            <li key={c.index} className="concept-row" data-testid="concept-row" data-concept={c.name}>
              <span className="concept-name">{c.name}</span>
              <span className="concept-track" aria-hidden="true">
                <span className="concept-bar" style={{ width: `${Math.max(0, Math.min(1, c.value)) * 100}%` }} />
                {choice !== 'model' && <span className="concept-override" style={{ left: `${used * 100}%` }} />}
              </span>
              <span className="concept-value" data-testid="concept-value">{c.value.toFixed(2)}</span>
              <select
                aria-label={`Override ${c.name}`}
                data-testid="concept-override"
                value={choice}
                onChange={(e) => setChoices((all) => ({ ...all, [c.index]: e.target.value as Choice }))}
              >
                <option value="model">model</option>
                <option value="present">present (1)</option>
                <option value="absent">absent (0)</option>
              </select>
            </li>
          );
        })}
      </ul>
      <div className="button-row">
        <button type="button" className="button" data-testid="concept-recompute" disabled={busy} onClick={() => void recompute()}>
          Recompute label
        </button>
        {caseId && <span className="small muted">stored in the case</span>}
      </div>
      {result && (
        <p className="small" data-testid="concept-result">
          Label head: <strong>{result.top[0]?.label}</strong> ({formatScore(result.top[0]?.score ?? 0, model.activation)})
          {prediction.top[0] && result.top[0]?.index !== prediction.top[0].index ? ` — changed from ${prediction.top[0].label}` : ' — unchanged'}
        </p>
      )}
    </section>
  );
}
