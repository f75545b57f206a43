// The annotation editor of the open case: the current tool and its draft, selection, undo/redo
// over whole annotation sets (Ctrl+Z / Ctrl+Y), and autosave — every committed step is sent to
// the case at once (one request at a time, the latest set wins), so there is no save to forget.
// Keys: Delete/Backspace remove the selection, Esc cancels a draft or deselects, Enter closes a
// polygon, arrows nudge the selection (Shift: 10 px).
import { useCallback, useRef, useState } from 'react';
import type { Annotation, AnnotationInput, CaseDetail, Point } from '../../../api/case-schemas';
import { client } from '../api';
import { commit, redo, startHistory, undo, type History } from '../annotations/history';
import { finishPolygon, TOOLS, translated, type Draft, type ToolId, type ToolStep } from '../annotations/tools';
import { errorMessage } from '../errors';
import { useWindowKeys } from './useWindowKeys';

export type SaveStatus = 'saved' | 'saving' | 'failed';
export type PointerPhase = 'down' | 'move' | 'up' | 'dblclick';

export interface AnnotationEditor {
  annotations: AnnotationInput[];
  selectedId: string | null;
  tool: ToolId;
  draft: Draft | null;
  saveStatus: SaveStatus;
  canUndo: boolean;
  canRedo: boolean;
  setTool(tool: ToolId): void;
  select(id: string | null): void;
  pointer(phase: PointerPhase, p: Point, tolerance: number): void;
  moveBy(id: string, dx: number, dy: number): void;
  moveVertex(id: string, index: number, p: Point): void;
  setLabel(id: string, label: string): void;
  remove(id: string): void;
  undo(): void;
  redo(): void;
}

interface EditorState {
  /** the case's id and which opening of it: reopening starts again from the stored set */
  session: string;
  caseId: string;
  history: History<AnnotationInput[]>;
  selectedId: string | null;
  draft: Draft | null;
}

const toInput = ({ id, kind, points, label, note }: Annotation): AnnotationInput => ({ id, kind, points, label, note });
const newId = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

export function useAnnotationEditor(
  caseId: string | null,
  session: string,
  stored: Annotation[],
  actor: string | undefined,
  onSaved: (detail: CaseDetail) => void,
  onError: (message: string) => void,
): AnnotationEditor {
  const [state, setState] = useState<EditorState | null>(null);
  const [tool, setTool] = useState<ToolId>('select');
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('saved');
  // The editor starts from the stored set whenever a case is opened.
  const current: EditorState | null = caseId
    ? state && state.session === session
      ? state
      : { session, caseId, history: startHistory(stored.map(toInput)), selectedId: null, draft: null }
    : null;
  // Events can arrive faster than renders: each change builds on the latest state, not the rendered one.
  const latest = useRef<EditorState | null>(null);
  const annotations = current?.history.present ?? [];

  const queue = useRef<{ running: boolean; pending: { caseId: string; list: AnnotationInput[] } | null }>({ running: false, pending: null });
  const save = useCallback(
    async (target: string, list: AnnotationInput[]) => {
      queue.current.pending = { caseId: target, list };
      if (queue.current.running) return;
      queue.current.running = true;
      while (queue.current.pending) {
        const job = queue.current.pending;
        queue.current.pending = null;
        setSaveStatus('saving');
        try {
          onSaved(await client.api.caseSaveAnnotations({ caseId: job.caseId, annotations: job.list, actor }));
          setSaveStatus(queue.current.pending ? 'saving' : 'saved');
        } catch (error) {
          setSaveStatus('failed');
          onError(`The annotations were not saved: ${errorMessage(error)}`);
        }
      }
      queue.current.running = false;
    },
    [actor, onSaved, onError],
  );

  /** Applies a change to the editor state; a new annotation set becomes one undo step and is saved. */
  const update = (change: (s: EditorState) => EditorState) => {
    const base = latest.current && latest.current.session === current?.session ? latest.current : current;
    if (!base) return;
    const next = change(base);
    latest.current = next;
    setState(next);
    if (next.history.present !== base.history.present) void save(base.caseId, next.history.present);
  };

  const commitSet = (s: EditorState, list: AnnotationInput[], selectedId = s.selectedId): EditorState => ({ ...s, history: commit(s.history, list), selectedId });
  const editOne = (id: string, edit: (a: AnnotationInput) => AnnotationInput) =>
    update((s) => commitSet(s, s.history.present.map((a) => (a.id === id ? edit(a) : a))));

  const applyStep = (s: EditorState, step: ToolStep): EditorState => {
    if (!step.done || !s.draft) return { ...s, draft: step.draft };
    const created: AnnotationInput = { id: newId(), kind: s.draft.kind, points: step.done, label: s.draft.kind === 'text' ? 'Text' : '', note: '' };
    return { ...commitSet(s, [...s.history.present, created], created.id), draft: step.draft };
  };

  const pressed = useRef(false);
  const pointer = (phase: PointerPhase, p: Point, tolerance: number) => {
    if (tool === 'select') return;
    const behaviour = TOOLS[tool];
    update((s) => {
      if (phase === 'down') {
        pressed.current = true;
        const step = behaviour.down(s.draft && s.draft.kind === tool ? s.draft : null, p, tolerance);
        const drafting = { ...s, draft: step.draft ?? (step.done ? { kind: tool, points: step.done, hover: null } : null) };
        return step.done ? applyStep(drafting, step) : { ...s, draft: step.draft };
      }
      if (!s.draft) return s;
      if (phase === 'move') return { ...s, draft: behaviour.move(s.draft, p, pressed.current) };
      if (phase === 'dblclick') return s.draft.kind === 'polygon' ? applyStep(s, finishPolygon(s.draft)) : s;
      pressed.current = false;
      return applyStep(s, behaviour.up(s.draft, p, tolerance));
    });
  };

  const editor: AnnotationEditor = {
    annotations,
    selectedId: current?.selectedId ?? null,
    tool,
    draft: current?.draft ?? null,
    saveStatus,
    canUndo: (current?.history.past.length ?? 0) > 0,
    canRedo: (current?.history.future.length ?? 0) > 0,
    setTool: (next) => {
      setTool(next);
      update((s) => ({ ...s, draft: null }));
    },
    select: (id) => update((s) => ({ ...s, selectedId: id })),
    pointer,
    moveBy: (id, dx, dy) => editOne(id, (a) => ({ ...a, points: translated(a.points, dx, dy) })),
    moveVertex: (id, index, p) => editOne(id, (a) => ({ ...a, points: a.points.map((q, i) => (i === index ? p : q)) })),
    setLabel: (id, label) => editOne(id, (a) => (a.label === label ? a : { ...a, label })),
    remove: (id) => update((s) => commitSet(s, s.history.present.filter((a) => a.id !== id), s.selectedId === id ? null : s.selectedId)),
    undo: () => update((s) => ({ ...s, history: undo(s.history), draft: null })),
    redo: () => update((s) => ({ ...s, history: redo(s.history), draft: null })),
  };

  useEditorKeys(caseId !== null, editor);
  return editor;
}

/** The editor's keys, in the capture phase so the viewer's own keys see them as handled. */
function useEditorKeys(enabled: boolean, e: AnnotationEditor): void {
  useWindowKeys(
    enabled,
    (event) => {
      const key = event.key.toLowerCase();
      const command = event.ctrlKey || event.metaKey;
      const nudge: Record<string, [number, number]> = { arrowleft: [-1, 0], arrowright: [1, 0], arrowup: [0, -1], arrowdown: [0, 1] };
      if (command && key === 'z' && !event.shiftKey) e.undo();
      else if (command && (key === 'y' || (key === 'z' && event.shiftKey))) e.redo();
      else if (command) return false;
      else if ((key === 'delete' || key === 'backspace') && e.selectedId) e.remove(e.selectedId);
      else if (key === 'escape' && e.draft) e.setTool(e.tool);
      else if (key === 'escape' && e.selectedId) e.select(null);
      else if (key === 'enter' && e.draft?.kind === 'polygon') e.pointer('dblclick', e.draft.points[e.draft.points.length - 1], 0);
      else if (nudge[key] && e.selectedId) {
        const step = event.shiftKey ? 10 : 1;
        e.moveBy(e.selectedId, nudge[key][0] * step, nudge[key][1] * step);
      } else return false;
      return true;
    },
    true,
  );
}
