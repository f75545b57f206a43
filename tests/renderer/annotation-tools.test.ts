// The review UI's pure parts: each annotation tool's gesture → points, undo/redo over annotation
// sets, and the viewer orientation (OHIF keys, layer transform, fitting a turned image).
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/api/case-schemas';
import { commit, redo, startHistory, undo } from '../../src/renderer/src/annotations/history';
import { finishPolygon, TOOLS, translated, type Draft, type ToolStep } from '../../src/renderer/src/annotations/tools';
import { fitOrientedView, layerTransform, orientationKey, UPRIGHT } from '../../src/renderer/src/orientation';

/** Plays a gesture: press at the first point, move pressed through the rest, release at the last. */
function drag(kind: keyof typeof TOOLS, points: Point[], tolerance = 2): ToolStep {
  const tool = TOOLS[kind];
  let step = tool.down(null, points[0], tolerance);
  let draft = step.draft as Draft;
  for (const p of points.slice(1)) draft = tool.move(draft, p, true);
  step = tool.up(draft, points[points.length - 1], tolerance);
  return step;
}

describe('annotation tools', () => {
  it('rectangle, ellipse and arrow span the drag; a click alone makes nothing', () => {
    expect(drag('rectangle', [[10, 10], [20, 15], [40, 30]]).done).toEqual([[10, 10], [40, 30]]);
    expect(drag('ellipse', [[40, 30], [10, 10]]).done).toEqual([[40, 30], [10, 10]]);
    // arrow: pressed at the head, released at the tail
    expect(drag('arrow', [[5, 5], [50, 60]]).done).toEqual([[5, 5], [50, 60]]);
    expect(drag('rectangle', [[10, 10], [11, 10]]).done).toBeNull();
  });

  it('freehand keeps every moved-through point and needs a real outline', () => {
    expect(drag('freehand', [[0, 0], [10, 0], [10, 10], [0, 10]]).done).toEqual([[0, 0], [10, 0], [10, 10], [0, 10]]);
    expect(drag('freehand', [[0, 0], [1, 0], [1, 1]], 5).done).toBeNull();
  });

  it('polygon adds a vertex per click and closes on its first vertex or on finish', () => {
    const tool = TOOLS.polygon;
    let step = tool.down(null, [0, 0], 3);
    step = tool.down(step.draft, [20, 0], 3);
    expect(tool.move(step.draft!, [15, 15], false).hover).toEqual([15, 15]);
    step = tool.down(step.draft, [20, 20], 3);
    expect(step.draft!.points).toEqual([[0, 0], [20, 0], [20, 20]]);
    const closed = tool.down(step.draft, [1, 1], 3);
    expect(closed).toEqual({ draft: null, done: [[0, 0], [20, 0], [20, 20]] });
    expect(finishPolygon(step.draft!).done).toEqual([[0, 0], [20, 0], [20, 20]]);
    expect(finishPolygon({ kind: 'polygon', points: [[0, 0], [1, 1]], hover: null }).done).toBeNull();
  });

  it('text is placed by one click', () => {
    expect(TOOLS.text.down(null, [7, 8], 3)).toEqual({ draft: null, done: [[7, 8]] });
  });

  it('moves shapes by translating every point', () => {
    expect(translated([[1, 2], [3, 4]], 10, -1)).toEqual([[11, 1], [13, 3]]);
  });
});

describe('undo and redo', () => {
  it('steps back and forth over committed sets; a new commit drops the redo branch', () => {
    let h = startHistory<string[]>([]);
    h = commit(h, ['polygon']);
    h = commit(h, ['polygon', 'arrow']);
    h = undo(h);
    expect(h.present).toEqual(['polygon']);
    h = redo(h);
    expect(h.present).toEqual(['polygon', 'arrow']);
    h = undo(undo(h));
    expect(h.present).toEqual([]);
    expect(undo(h)).toBe(h);
    h = commit(h, ['rectangle']);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });
});

describe('viewer orientation', () => {
  it("follows OHIF's keys", () => {
    let o = orientationKey(UPRIGHT, 'r')!;
    expect(o.quarterTurns).toBe(1);
    o = orientationKey(orientationKey(o, 'l')!, 'l')!;
    expect(o.quarterTurns).toBe(3);
    expect(orientationKey(o, 'h')!.flipH).toBe(true);
    expect(orientationKey(o, 'v')!.flipV).toBe(true);
    expect(orientationKey(o, 'i')!.inverted).toBe(true);
    expect(orientationKey(o, 'x')).toBeNull();
  });

  it('turns layers about the image centre and fits the turned box', () => {
    expect(layerTransform({ ...UPRIGHT, quarterTurns: 1, flipH: true }, 200, 100)).toEqual({ x: 100, y: 50, offsetX: 100, offsetY: 50, rotation: 90, scaleX: -1, scaleY: 1 });
    // A 200×100 image turned a quarter is 100×200 on screen: in a 400×400 viewer, scale 2 × 0.96.
    const view = fitOrientedView({ ...UPRIGHT, quarterTurns: 1 }, 200, 100, 400, 400);
    expect(view.scale).toBeCloseTo(1.92, 12);
    // The image centre (100, 50) lands at the viewer centre.
    expect(view.x + 100 * view.scale).toBeCloseTo(200, 12);
    expect(view.y + 50 * view.scale).toBeCloseTo(200, 12);
  });
});
