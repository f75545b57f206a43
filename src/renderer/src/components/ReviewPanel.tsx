// The open case (right sidebar): its ID, status and revision, the note (saved when you leave the
// field), the stored explanations with their agreement with the annotated regions (click one to
// show it), the annotations, the verdict and signature forms, and the PDF report export.
import { useState } from 'react';
import type { CaseDetail, StoredExplanation } from '../../../api/case-schemas';
import type { AnnotationEditor } from '../hooks/useAnnotationEditor';
import type { CaseReview } from '../hooks/useCaseReview';
import { formatParamValue } from '../params';
import { AnnotationList } from './AnnotationList';
import { ReportExport } from './ReportExport';
import { VerdictForm } from './VerdictForm';

const STATUS_TEXT = { new: 'New', in_review: 'In review', signed: 'Signed' } as const;

export function ReviewPanel({ review, editor, detail }: { review: CaseReview; editor: AnnotationEditor; detail: CaseDetail }) {
  const { summary } = detail;
  const shownId = review.shown?.recordId ?? null;
  return (
    <section className="panel review-panel" aria-labelledby="review-heading" data-testid="review-panel">
      <div className="panel-head">
        <h2 id="review-heading">
          Case <span data-testid="case-pseudonym">{summary.pseudonym}</span>
        </h2>
        <button type="button" className="link-button small" data-testid="case-close" onClick={review.close}>
          Close
        </button>
      </div>
      <p className="small">
        <span className={`case-status status-${summary.status}`} data-testid="case-status" data-status={summary.status}>
          {STATUS_TEXT[summary.status]}
        </span>{' '}
        · revision <span data-testid="case-revision">{summary.revision}</span>
        {summary.status === 'signed' && <span className="muted"> — a change starts revision {summary.revision + 1}</span>}
      </p>
      <NoteField key={`${summary.id}:${summary.note}`} note={summary.note} busy={review.busy} onSave={(note) => void review.saveNote(note)} />
      <h3 className="subhead">Explanations</h3>
      {detail.explanations.length === 0 && <p className="small muted">Run an explanation: it is stored with this case.</p>}
      <ul className="explanation-list">
        {detail.explanations.map((e) => (
          <ExplanationRow key={e.id} explanation={e} shown={e.id === shownId} onShow={() => review.show(e.id)} />
        ))}
      </ul>
      <AnnotationList editor={editor} />
      <VerdictForm review={review} detail={detail} />
      <ReportExport detail={detail} actor={review.actor} onError={review.onError} />
    </section>
  );
}

function NoteField({ note, busy, onSave }: { note: string; busy: boolean; onSave: (note: string) => void }) {
  const [text, setText] = useState(note);
  return (
    <label className="param-field">
      Note
      <textarea
        data-testid="case-note"
        rows={3}
        value={text}
        disabled={busy}
        placeholder="Findings, context (searchable)"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text !== note && onSave(text)}
      />
    </label>
  );
}

function ExplanationRow({ explanation: e, shown, onShow }: { explanation: StoredExplanation; shown: boolean; onShow: () => void }) {
  const params = Object.entries(e.params)
    .map(([k, v]) => `${k}=${formatParamValue(v)}`)
    .join(' ');
  const a = e.agreement;
  return (
    <li>
      <button type="button" className={`prediction-row explanation-row${shown ? ' selected' : ''}`} data-testid="case-explanation" data-method={e.method} data-record-id={e.id} data-shown={shown} onClick={onShow}>
        <span>
          <strong>{e.method}</strong> for {e.targetLabel}
        </span>
        <span className="small muted">{params}</span>
        {a ? (
          <span className="small agreement" data-testid="agreement">
            <span data-testid="agreement-pointing">pointing {a.pointingHit ? 'hit' : 'miss'}</span> · <span data-testid="agreement-mass">mass inside {(a.massInside * 100).toFixed(1)}%</span> ·{' '}
            <span data-testid="agreement-iou">
              IoU top-{a.topKPercent}% {a.topKIoU.toFixed(3)}
            </span>
            {a.relevanceRank != null && <span data-testid="agreement-rank"> · relevance rank {a.relevanceRank.toFixed(3)}</span>}
          </span>
        ) : (
          <span className="small muted">Outline a region to measure agreement</span>
        )}
      </button>
    </li>
  );
}
