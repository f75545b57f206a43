// The case list (left sidebar): who is reviewing, a new case from the open image, full-text search
// over notes, labels and case IDs, filters (status, verdict) and sorting. Choosing a row reopens
// the case exactly as it was saved.
import { useEffect, useState } from 'react';
import { CaseStatusSchema, VerdictSchema, type CaseListQuery, type CaseSummary } from '../../../api/case-schemas';
import { client } from '../api';
import { errorMessage } from '../errors';
import '../review.css';

interface Props {
  reviewer: string;
  onReviewer: (name: string) => void;
  /** the open case's id, highlighted in the list */
  currentId: string | null;
  /** changes whenever a case changes, so the list is fetched again */
  revision: string;
  canCreate: boolean;
  busy: boolean;
  onCreate: () => void;
  onOpen: (caseId: string) => void;
  onError: (message: string) => void;
}

const STATUS_TEXT: Record<CaseSummary['status'], string> = { new: 'new', in_review: 'in review', signed: 'signed' };

export function CasePanel({ reviewer, onReviewer, currentId, revision, canCreate, busy, onCreate, onOpen, onError }: Props) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [verdict, setVerdict] = useState('');
  const [sort, setSort] = useState<'updated' | 'created' | 'pseudonym'>('updated');
  const [cases, setCases] = useState<{ total: number; cases: CaseSummary[] } | null>(null);

  useEffect(() => {
    let live = true;
    const query: CaseListQuery = {
      text: text.trim() || undefined,
      status: (status || undefined) as CaseListQuery['status'],
      verdict: (verdict || undefined) as CaseListQuery['verdict'],
      sort,
      order: sort === 'pseudonym' ? 'asc' : 'desc',
      limit: 50,
    };
    // Typing settles for a moment before the list is asked again.
    const timer = setTimeout(() => {
      client.api.caseList(query).then(
        (list) => live && setCases(list),
        (error: unknown) => live && onError(`The case list could not be read: ${errorMessage(error)}`),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, status, verdict, sort, revision, onError]);

  return (
    <section className="panel case-panel" aria-labelledby="cases-heading">
      <div className="panel-head">
        <h2 id="cases-heading">Cases</h2>
        <button type="button" className="button" data-testid="case-new" disabled={!canCreate || busy} onClick={onCreate} title="A new case for the open image (and model)">
          New case
        </button>
      </div>
      <label className="param-field small">
        Reviewer
        <input type="text" data-testid="case-reviewer" value={reviewer} placeholder="your name (recorded with each change)" onChange={(e) => onReviewer(e.target.value)} />
      </label>
      <input type="text" data-testid="case-search" value={text} placeholder="Search notes, labels, case IDs…" aria-label="Search cases" onChange={(e) => setText(e.target.value)} />
      <div className="case-filters">
        <select data-testid="case-filter-status" value={status} aria-label="Status" onChange={(e) => setStatus(e.target.value)}>
          <option value="">any status</option>
          {CaseStatusSchema.options.map((s) => (
            <option key={s} value={s}>
              {STATUS_TEXT[s]}
            </option>
          ))}
        </select>
        <select data-testid="case-filter-verdict" value={verdict} aria-label="Verdict on the prediction" onChange={(e) => setVerdict(e.target.value)}>
          <option value="">any verdict</option>
          {VerdictSchema.options.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <select data-testid="case-sort" value={sort} aria-label="Sort" onChange={(e) => setSort(e.target.value as typeof sort)}>
          <option value="updated">last changed</option>
          <option value="created">created</option>
          <option value="pseudonym">case ID</option>
        </select>
      </div>
      <ul className="case-list" data-testid="case-list">
        {cases?.cases.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={`prediction-row case-row${c.id === currentId ? ' selected' : ''}`}
              data-testid="case-row"
              data-pseudonym={c.pseudonym}
              onClick={() => onOpen(c.id)}
            >
              <span className="case-row-head">
                <strong>{c.pseudonym}</strong>
                <span className={`case-status status-${c.status}`}>{STATUS_TEXT[c.status]}</span>
              </span>
              {c.predictedClass && c.note && (
                <span className="small case-row-prediction" data-testid="case-row-prediction">
                  {c.predictedClass.label} ({c.predictedClass.score.toFixed(2)})
                </span>
              )}
              <span className="small muted case-row-note">{c.note || (c.predictedClass ? c.predictedClass.label : 'no note')}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="small muted" data-testid="case-list-count">
        {cases ? `${cases.cases.length} of ${cases.total} case${cases.total === 1 ? '' : 's'}` : 'Loading…'}
      </p>
    </section>
  );
}
