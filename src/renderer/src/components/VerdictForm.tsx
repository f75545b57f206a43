// Verdicts on the prediction and on the explanation (agree / disagree / uncertain) with free text,
// then the signature (21 CFR 11.50: signer, date and time, meaning), and the signatures so far.
// Signing locks the revision; a later change opens the next one.
import { useState } from 'react';
import { SignatureMeaningSchema, VerdictSchema, type CaseDetail, type SignatureMeaning, type Verdict } from '../../../api/case-schemas';
import type { CaseReview } from '../hooks/useCaseReview';

const VERDICTS = VerdictSchema.options;
const MEANINGS = SignatureMeaningSchema.options;

export function VerdictForm({ review, detail }: { review: CaseReview; detail: CaseDetail }) {
  const { summary } = detail;
  const latest = detail.reviews.at(-1);
  const [predictionVerdict, setPredictionVerdict] = useState<Verdict | null>(latest?.predictionVerdict ?? null);
  const [explanationVerdict, setExplanationVerdict] = useState<Verdict | null>(latest?.explanationVerdict ?? null);
  const [comment, setComment] = useState('');
  const [signer, setSigner] = useState(review.reviewer);
  const [meaning, setMeaning] = useState<SignatureMeaning>('review');
  const reviewedThisRevision = detail.reviews.some((r) => r.revision === summary.revision);
  const signed = summary.status === 'signed';

  return (
    <>
      <h3 className="subhead">Verdict</h3>
      {latest && (
        <p className="small" data-testid="case-verdict">
          Prediction: <strong>{latest.predictionVerdict}</strong> · explanation: <strong>{latest.explanationVerdict}</strong> (rev {latest.revision}, {latest.reviewer})
          {latest.comment && <> — {latest.comment}</>}
        </p>
      )}
      <VerdictChoice name="prediction" label="The prediction" value={predictionVerdict} onChange={setPredictionVerdict} />
      <VerdictChoice name="explanation" label="The explanation" value={explanationVerdict} onChange={setExplanationVerdict} />
      <textarea data-testid="verdict-comment" rows={2} value={comment} placeholder="Why (optional)" aria-label="Verdict comment" onChange={(e) => setComment(e.target.value)} />
      <button
        type="button"
        className="button"
        data-testid="verdict-save"
        disabled={!predictionVerdict || !explanationVerdict || review.busy}
        onClick={() => predictionVerdict && explanationVerdict && void review.submitReview(predictionVerdict, explanationVerdict, comment).then(() => setComment(''))}
      >
        Save verdict
      </button>
      <h3 className="subhead">Signature</h3>
      <div className="sign-form">
        <input type="text" data-testid="sign-signer" value={signer} placeholder="Signer's full name" aria-label="Signer" onChange={(e) => setSigner(e.target.value)} />
        <select data-testid="sign-meaning" value={meaning} aria-label="Meaning of the signature" onChange={(e) => setMeaning(e.target.value as SignatureMeaning)}>
          {MEANINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button primary"
          data-testid="sign-submit"
          disabled={signed || !reviewedThisRevision || !signer.trim() || review.busy}
          title={reviewedThisRevision ? 'Sign this revision' : 'Save a verdict for this revision first'}
          onClick={() => void review.sign(signer.trim(), meaning)}
        >
          Sign revision {summary.revision}
        </button>
      </div>
      <ul className="signature-list">
        {detail.signatures.map((s) => (
          <li key={s.id} className="small" data-testid="signature-row">
            Revision {s.revision} signed by <strong>{s.signer}</strong> on {s.signedAt.replace('T', ' ').slice(0, 19)} UTC — meaning: {s.meaning}
            <br />
            <span className="muted">record SHA-256 {s.recordSha256.slice(0, 16)}…</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function VerdictChoice({ name, label, value, onChange }: { name: string; label: string; value: Verdict | null; onChange: (v: Verdict) => void }) {
  return (
    <fieldset className="verdict-choice">
      <legend className="small">{label}</legend>
      {VERDICTS.map((v) => (
        <label key={v} className="small">
          <input type="radio" name={`verdict-${name}`} data-testid={`verdict-${name}-${v}`} checked={value === v} onChange={() => onChange(v)} /> {v}
        </label>
      ))}
    </fieldset>
  );
}
