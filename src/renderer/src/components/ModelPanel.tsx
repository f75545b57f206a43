import type { ModelInfo } from '../../../api/schemas';
import { formatShape } from '../format';
import { FileButton } from './FileButton';

interface Props {
  model: ModelInfo | null;
  busy: boolean;
  onFiles: (files: File[]) => void;
  onPick: (() => void) | null;
}

export function ModelPanel({ model, busy, onFiles, onPick }: Props) {
  return (
    <section className="panel" aria-labelledby="model-heading">
      <div className="panel-head">
        <h2 id="model-heading">Model</h2>
        <FileButton label="Open model…" accept=".onnx,.json" multiple testId="model-file-input" disabled={busy} onFiles={onFiles} onPick={onPick} />
      </div>
      {busy && <p className="muted">Opening model…</p>}
      {model ? <ModelSummary model={model} /> : (
        <p className="empty-state" data-testid="model-empty">
          Open an ONNX classifier (.onnx) — a sidecar JSON model card sets labels and preprocessing.
        </p>
      )}
    </section>
  );
}

const CARD_SOURCE: Record<ModelInfo['cardSource'], string> = {
  sidecar: 'sidecar JSON',
  metadata: 'ONNX metadata',
  defaults: 'defaults (no model card)',
};

function ModelSummary({ model }: { model: ModelInfo }) {
  const p = model.preprocessing;
  return (
    <div data-testid="model-summary" data-model-id={model.id}>
      <dl className="facts">
        <dt>Name</dt>
        <dd data-testid="model-name" title={model.path}>{model.name}</dd>
        <dt>Input</dt>
        <dd>
          {model.inputName} {formatShape(model.inputShape)} {p.layout}
        </dd>
        <dt>Classes</dt>
        <dd data-testid="model-classes">{model.numClasses}</dd>
        <dt>Output</dt>
        <dd>{model.activation}</dd>
        <dt>Card</dt>
        <dd data-testid="model-card-source">{CARD_SOURCE[model.cardSource]}</dd>
      </dl>
      {model.warnings.length > 0 && (
        <ul className="warnings" data-testid="model-warnings">
          {model.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
