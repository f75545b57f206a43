// The case open for review: creating or reopening one (its image, model, stored explanations and
// display settings come back as they were saved), which stored explanation is shown, adopting a
// new explanation run for the case, the note, verdicts and signing; useSavedView saves the display
// settings of the shown explanation as they change. The reviewer's name is kept in localStorage.
import { useCallback, useEffect, useState } from 'react';
import type { CaseDetail, CaseOpened, DisplaySettings, SignatureMeaning, Verdict } from '../../../api/case-schemas';
import type { Explanation } from '../../../api/schemas';
import { client } from '../api';
import { errorMessage } from '../errors';
import { useBusyCall } from './useBusyCall';

const REVIEWER_KEY = 'sightline.reviewer';

export interface CaseReviewOptions {
  /** the latest explanation the explain panel produced (adopted when stored in this case) */
  latest: Explanation | null;
  /** a case was opened: show its image and model */
  onOpened(opened: CaseOpened): void;
  /** a stored explanation is now shown, with its saved display settings (null: keep the current ones) */
  onShow(explanation: Explanation, settings: DisplaySettings | null): void;
  onError(message: string): void;
}

export interface CaseReview {
  reviewer: string;
  setReviewer(name: string): void;
  /** the reviewer's name, or undefined to let the app record its user */
  actor: string | undefined;
  detail: CaseDetail | null;
  /** changes with every opening of a case (the annotation editor restarts from the stored set) */
  session: string;
  explanations: Explanation[];
  shown: Explanation | null;
  busy: boolean;
  onError(message: string): void;
  create(inputId: string, modelId: string | null): Promise<void>;
  open(caseId: string): Promise<void>;
  close(): void;
  show(recordId: string): void;
  setDetail(detail: CaseDetail): void;
  saveNote(note: string): Promise<void>;
  submitReview(predictionVerdict: Verdict, explanationVerdict: Verdict, comment: string): Promise<void>;
  sign(signer: string, meaning: SignatureMeaning): Promise<void>;
}

function readReviewer(): string {
  try {
    return window.localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function useCaseReview({ latest, onOpened, onShow, onError }: CaseReviewOptions): CaseReview {
  const [reviewer, setReviewerState] = useState(readReviewer);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [openings, setOpenings] = useState(0);
  const [explanations, setExplanations] = useState<Explanation[]>([]);
  const [shownId, setShownId] = useState<string | null>(null);
  const actor = reviewer.trim() || undefined;
  const caseId = detail?.summary.id ?? null;

  const setReviewer = (name: string) => {
    setReviewerState(name);
    try {
      window.localStorage.setItem(REVIEWER_KEY, name);
    } catch {
      // a browser without storage asks again next time
    }
  };

  const { busy, run: busyCall } = useBusyCall(onError);
  const run = useCallback(
    (what: string, call: () => Promise<CaseDetail | void>) =>
      busyCall(what, async () => {
        const result = await call();
        if (result) setDetail(result);
      }),
    [busyCall],
  );

  const begin = (next: CaseDetail, stored: Explanation[]) => {
    setDetail(next);
    setExplanations(stored);
    setOpenings((n) => n + 1);
    const shownNow = stored.find((e) => e.recordId === next.view.explanationId) ?? stored.at(-1) ?? null;
    setShownId(shownNow?.recordId ?? null);
    if (shownNow) onShow(shownNow, next.view.display[shownNow.recordId!] ?? null);
  };

  const open = (id: string) =>
    run('The case could not be opened', async () => {
      const opened = await client.api.caseOpen({ caseId: id });
      onOpened(opened);
      for (const warning of opened.warnings) onError(warning);
      begin(opened.detail, opened.explanations);
    });

  const create = (inputId: string, modelId: string | null) =>
    run('The case could not be created', async () => {
      begin(await client.api.caseCreate({ inputId, modelId: modelId ?? undefined, actor }), []);
    });

  // A new explanation stored in this case (its request named the case) joins the list and is shown.
  useEffect(() => {
    const recordId = latest?.recordId;
    if (!latest || !recordId || !caseId || explanations.some((e) => e.recordId === recordId)) return;
    let live = true;
    client.api.caseGet({ caseId }).then(
      (fresh) => {
        if (!live || !fresh.explanations.some((e) => e.id === recordId)) return;
        setDetail(fresh);
        setExplanations((list) => (list.some((e) => e.recordId === recordId) ? list : [...list, latest]));
        setShownId(recordId);
      },
      (error: unknown) => onError(`The case could not be refreshed: ${errorMessage(error)}`),
    );
    return () => {
      live = false;
    };
  }, [latest, caseId, explanations, onError]);

  return {
    reviewer,
    setReviewer,
    actor,
    detail,
    session: `${caseId ?? 'none'}#${openings}`,
    explanations,
    shown: explanations.find((e) => e.recordId === shownId) ?? null,
    busy,
    onError,
    create,
    open,
    close: () => {
      setDetail(null);
      setExplanations([]);
      setShownId(null);
    },
    show: (recordId) => {
      const explanation = explanations.find((e) => e.recordId === recordId);
      if (!explanation || !detail) return;
      setShownId(recordId);
      onShow(explanation, detail.view.display[recordId] ?? null);
    },
    setDetail,
    saveNote: (note) => run('The note was not saved', () => client.api.caseUpdate({ caseId: caseId!, note, actor })),
    submitReview: (predictionVerdict, explanationVerdict, comment) =>
      run('The verdict was not saved', () => client.api.caseReview({ caseId: caseId!, predictionVerdict, explanationVerdict, comment, actor })),
    sign: (signer, meaning) => run('The case was not signed', () => client.api.caseSign({ caseId: caseId!, signer, meaning })),
  };
}

/** Saves the display settings of the shown explanation shortly after they change. */
export function useSavedView(review: CaseReview, display: DisplaySettings): void {
  const { detail, actor, setDetail, onError } = review;
  const shownId = review.shown?.recordId ?? null;
  const displayKey = JSON.stringify(display);
  useEffect(() => {
    if (!detail || !shownId) return;
    const saved = detail.view.display[shownId];
    if (detail.view.explanationId === shownId && saved && JSON.stringify(saved) === displayKey) return;
    const timer = setTimeout(() => {
      const view = { explanationId: shownId, display: { ...detail.view.display, [shownId]: JSON.parse(displayKey) as DisplaySettings } };
      client.api.caseSetView({ caseId: detail.summary.id, view, actor }).then(setDetail, (error: unknown) => onError(`The view was not saved: ${errorMessage(error)}`));
    }, 400);
    return () => clearTimeout(timer);
  }, [detail, shownId, displayKey, actor, setDetail, onError]);
}
