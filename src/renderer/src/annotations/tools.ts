// The annotation tools as small state machines over image coordinates (no Konva, no React): each
// turns pointer events into a draft and, when the gesture ends, into a finished shape's points.
// Rectangle, ellipse and arrow are dragged (an arrow from its head to its tail, as OHIF's
// ArrowAnnotate); freehand is drawn while pressed; polygon adds a vertex per click and closes on
// its first vertex, Enter or a double click; text is placed with one click.
import type { AnnotationKind, Point } from '../../../api/case-schemas';
import { MIN_POINTS } from '../../../api/case-schemas';

export type ToolId = 'select' | AnnotationKind;

export interface Draft {
  kind: AnnotationKind;
  points: Point[];
  /** polygon: where the next vertex would go (the pointer) */
  hover: Point | null;
}

export interface ToolStep {
  draft: Draft | null;
  /** the finished shape's points, when the gesture completed one */
  done: Point[] | null;
}

export interface DrawingTool {
  down(draft: Draft | null, p: Point, tolerance: number): ToolStep;
  move(draft: Draft, p: Point, pressed: boolean): Draft;
  up(draft: Draft, p: Point, tolerance: number): ToolStep;
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const keep = (draft: Draft | null): ToolStep => ({ draft, done: null });

/** A shape spanned by a drag from the press to the release; a click without a drag makes nothing. */
function dragTool(kind: AnnotationKind): DrawingTool {
  return {
    down: (_draft, p) => keep({ kind, points: [p, p], hover: null }),
    move: (draft, p, pressed) => (pressed ? { ...draft, points: [draft.points[0], p] } : draft),
    up: (draft, p, tolerance) => {
      const points: Point[] = [draft.points[0], p];
      return distance(points[0], points[1]) < tolerance ? keep(null) : { draft: null, done: points };
    },
  };
}

const freehand: DrawingTool = {
  down: (_draft, p) => keep({ kind: 'freehand', points: [p], hover: null }),
  move: (draft, p, pressed) => {
    if (!pressed) return draft;
    const last = draft.points[draft.points.length - 1];
    return distance(last, p) > 0 ? { ...draft, points: [...draft.points, p] } : draft;
  },
  up: (draft, _p, tolerance) => {
    const [first] = draft.points;
    const spread = Math.max(...draft.points.map((q) => distance(q, first)));
    return draft.points.length >= MIN_POINTS.freehand && spread >= tolerance ? { draft: null, done: draft.points } : keep(null);
  },
};

const polygon: DrawingTool = {
  down: (draft, p, tolerance) => {
    if (!draft) return keep({ kind: 'polygon', points: [p], hover: p });
    if (draft.points.length >= MIN_POINTS.polygon && distance(draft.points[0], p) <= tolerance) return finishPolygon(draft);
    const last = draft.points[draft.points.length - 1];
    if (distance(last, p) <= tolerance / 4) return keep(draft);
    return keep({ ...draft, points: [...draft.points, p], hover: p });
  },
  move: (draft, p) => ({ ...draft, hover: p }),
  up: (draft) => keep(draft),
};

const text: DrawingTool = {
  down: (_draft, p) => ({ draft: null, done: [p] }),
  move: (draft) => draft,
  up: (draft) => keep(draft),
};

export const TOOLS: Record<AnnotationKind, DrawingTool> = {
  rectangle: dragTool('rectangle'),
  ellipse: dragTool('ellipse'),
  arrow: dragTool('arrow'),
  freehand,
  polygon,
  text,
};

/** Ends a polygon draft (Enter, double click, or a click on its first vertex). */
export function finishPolygon(draft: Draft): ToolStep {
  return draft.points.length >= MIN_POINTS.polygon ? { draft: null, done: draft.points } : keep(draft);
}

export const TOOL_LABELS: Record<ToolId, string> = {
  select: 'Select',
  rectangle: 'Rectangle',
  ellipse: 'Ellipse',
  freehand: 'Freehand',
  polygon: 'Polygon',
  arrow: 'Arrow',
  text: 'Text',
};

/** All points moved by (dx, dy). */
export function translated(points: readonly Point[], dx: number, dy: number): Point[] {
  return points.map(([x, y]) => [x + dx, y + dy]);
}
