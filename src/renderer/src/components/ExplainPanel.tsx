import type { MethodInfo } from '../../../api/schemas';
import type { RunState } from '../hooks/useExplainRun';
import type { ParamTexts } from '../params';
import { ParamForm } from './ParamForm';
import { ProgressBar } from './ProgressBar';

interface Props {
  methods: MethodInfo[];
  method: MethodInfo | null;
  texts: ParamTexts;
  targetLabel: string | null;
  canRun: boolean;
  run: RunState;
  onMethod: (id: string) => void;
  onParam: (name: string, text: string) => void;
  onRun: () => void;
  onCancel: () => void;
}

const STATUS_TEXT: Record<RunState['status'], string> = {
  idle: '',
  running: 'Running…',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export function ExplainPanel({ methods, method, texts, targetLabel, canRun, run, onMethod, onParam, onRun, onCancel }: Props) {
  const running = run.status === 'running';
  return (
    <section className="panel" aria-labelledby="explain-heading">
      <h2 id="explain-heading">Explain</h2>
      <div className="param-field">
        <label htmlFor="explain-method">Method</label>
        <select
          id="explain-method"
          data-testid="method-select"
          value={method?.id ?? ''}
          disabled={running || methods.length === 0}
          onChange={(e) => onMethod(e.target.value)}
        >
          {methods.length === 0 && <option value="">(no methods available)</option>}
          {methods.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {method && (
        <>
          <p className="small muted method-meaning">
            {method.output.meaning} ({method.output.signed ? 'signed' : 'unsigned'}, {method.output.unit}) · {method.family}
            {method.reference && <> · {method.reference}</>}
          </p>
          <ParamForm params={method.params} texts={texts} disabled={running} onChange={onParam} />
        </>
      )}
      <p className="small">
        Class to explain: <strong data-testid="explain-target">{targetLabel ?? 'top-1 class'}</strong>
      </p>
      <div className="button-row">
        <button type="button" className="button primary" data-testid="run-explain" disabled={!canRun || running || !method} onClick={onRun}>
          Run
        </button>
        <button type="button" className="button" data-testid="cancel-explain" disabled={!running} onClick={onCancel}>
          Cancel
        </button>
        <span className={`run-status status-${run.status}`} data-testid="explain-status" role="status">
          {STATUS_TEXT[run.status]}
        </span>
      </div>
      <ProgressBar progress={run.progress} active={running} />
    </section>
  );
}
