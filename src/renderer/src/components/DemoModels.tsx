// The demonstration's models (left sidebar, only when the app started with them): the banner that
// says they are not for clinical use, and a switch between the demo CNN, the shortcut CNN, the ViT
// and the concept bottleneck model.
import type { Startup } from '../../../api/demo-schemas';
import type { ModelInfo } from '../../../api/schemas';
import '../trust.css';

interface Props {
  demo: NonNullable<Startup['demo']>;
  model: ModelInfo | null;
  busy: boolean;
  onOpen: (path: string) => void;
}

export function DemoModels({ demo, model, busy, onOpen }: Props) {
  const current = demo.models.find((m) => m.path === model?.path)?.path ?? '';
  return (
    <section className="panel demo-panel" aria-labelledby="demo-heading" data-testid="demo-panel">
      <h2 id="demo-heading">Demonstration</h2>
      <p className="demo-disclaimer" data-testid="demo-disclaimer">
        {demo.disclaimer}
      </p>
      <label className="param-field small">
        Demo model
        <select data-testid="demo-model" value={current} disabled={busy} onChange={(e) => e.target.value && onOpen(e.target.value)}>
          {!current && <option value="">(another model is open)</option>}
          {demo.models.map((m) => (
            <option key={m.path} value={m.path}>
              {m.name} — {m.kind}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
