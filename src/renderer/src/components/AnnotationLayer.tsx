// The annotations drawn on the viewer's annotations layer, in image coordinates (the group scales
// them onto the preview): shapes, the selected shape's vertex handles, the draft being drawn, and
// the shown explanation's maximum (pointing game: green inside the regions, orange outside).
// Pointer events become tool input through a transparent catcher behind the shapes.
import type Konva from 'konva';
import type { KonvaEventObject } from 'konva/lib/Node';
import { Arrow, Circle, Ellipse, Group, Line, Rect, Text } from 'react-konva';
import type { AnnotationInput, Point } from '../../../api/case-schemas';
import type { Draft } from '../annotations/tools';
import type { AnnotationEditor, PointerPhase } from '../hooks/useAnnotationEditor';
import { PointerCatcher } from './PointerCatcher';
import type { AnnotationFrame } from './Viewer';

interface Props {
  frame: AnnotationFrame;
  /** the original image's size: annotations are stored in its pixels */
  imageWidth: number;
  imageHeight: number;
  editor: AnnotationEditor;
  pointing: { at: Point; hit: boolean } | null;
}

const COLOUR = '#ffd34d';
const SELECTED = '#4de1ff';
const HANDLE_PX = 5;

export function AnnotationLayer({ frame, imageWidth, imageHeight, editor, pointing }: Props) {
  const previewScale = imageWidth > 0 ? frame.previewWidth / imageWidth : 1;
  // Screen pixels → image pixels, so strokes, handles and text keep their size at any zoom.
  const px = 1 / Math.max(1e-6, frame.viewScale * previewScale);
  const drawing = editor.tool !== 'select';

  const imagePoint = (event: KonvaEventObject<Event>): Point | null => {
    const group = event.target.findAncestor('.annotation-space', true) as Konva.Group | undefined;
    const p = group?.getRelativePointerPosition();
    return p ? [p.x, p.y] : null;
  };
  const forward = (phase: PointerPhase) => (event: KonvaEventObject<Event>) => {
    const p = imagePoint(event);
    if (!p) return;
    if (phase === 'down' && !drawing) editor.select(null);
    editor.pointer(phase, p, 6 * px);
  };

  return (
    <Group name="annotation-space" scaleX={previewScale} scaleY={previewScale} height={imageHeight} width={imageWidth}>
      <PointerCatcher onPointerDown={forward('down')} onPointerMove={forward('move')} onPointerUp={forward('up')} onDblClick={forward('dblclick')} />
      {editor.annotations.map((a) => (
        <AnnotationShape key={a.id} annotation={a} selected={a.id === editor.selectedId} px={px} editor={editor} listening={!drawing} />
      ))}
      {editor.draft && <DraftShape draft={editor.draft} px={px} />}
      {pointing && (
        <Group x={pointing.at[0]} y={pointing.at[1]} listening={false}>
          <Line points={[-8 * px, 0, 8 * px, 0]} stroke={pointing.hit ? '#5de08a' : '#ff9d4d'} strokeWidth={2} strokeScaleEnabled={false} />
          <Line points={[0, -8 * px, 0, 8 * px]} stroke={pointing.hit ? '#5de08a' : '#ff9d4d'} strokeWidth={2} strokeScaleEnabled={false} />
        </Group>
      )}
    </Group>
  );
}

function AnnotationShape({ annotation, selected, px, editor, listening }: { annotation: AnnotationInput; selected: boolean; px: number; editor: AnnotationEditor; listening: boolean }) {
  const onDragEnd = (event: KonvaEventObject<DragEvent>) => {
    const node = event.target;
    const dx = node.x();
    const dy = node.y();
    node.position({ x: 0, y: 0 });
    if (dx !== 0 || dy !== 0) editor.moveBy(annotation.id, dx, dy);
  };
  const colour = selected ? SELECTED : COLOUR;
  return (
    <>
      <Group draggable={listening} listening={listening} onPointerDown={() => editor.select(annotation.id)} onDragEnd={onDragEnd}>
        {renderGeometry(annotation.kind, annotation.points, annotation.label ?? '', colour, px)}
      </Group>
      {selected &&
        listening &&
        annotation.points.length <= 64 &&
        annotation.points.map((p, index) => (
          <Circle
            key={index}
            x={p[0]}
            y={p[1]}
            radius={HANDLE_PX * px}
            fill={SELECTED}
            stroke="#000"
            strokeWidth={1}
            strokeScaleEnabled={false}
            draggable
            onDragEnd={(event) => editor.moveVertex(annotation.id, index, [event.target.x(), event.target.y()])}
          />
        ))}
    </>
  );
}

function DraftShape({ draft, px }: { draft: Draft; px: number }) {
  const points = draft.kind === 'polygon' && draft.hover ? [...draft.points, draft.hover] : draft.points;
  const kind = draft.kind === 'polygon' ? 'freehand' : draft.kind;
  return <Group listening={false}>{renderGeometry(kind, points, '', SELECTED, px, draft.kind !== 'polygon')}</Group>;
}

/** Konva nodes for one shape; the hit area is widened so thin outlines are easy to grab. */
function renderGeometry(kind: AnnotationInput['kind'], points: Point[], label: string, colour: string, px: number, closed = true) {
  const stroke = { stroke: colour, strokeWidth: 2, strokeScaleEnabled: false, hitStrokeWidth: 10 };
  const [a, b] = points;
  const caption = label && kind !== 'text' ? <Text x={a[0]} y={a[1] - 16 * px} text={label} fontSize={12 * px} fill={colour} /> : null;
  switch (kind) {
    case 'rectangle':
      return (
        <>
          <Rect x={Math.min(a[0], b[0])} y={Math.min(a[1], b[1])} width={Math.abs(b[0] - a[0])} height={Math.abs(b[1] - a[1])} {...stroke} />
          {caption}
        </>
      );
    case 'ellipse':
      return (
        <>
          <Ellipse x={(a[0] + b[0]) / 2} y={(a[1] + b[1]) / 2} radiusX={Math.abs(b[0] - a[0]) / 2} radiusY={Math.abs(b[1] - a[1]) / 2} {...stroke} />
          {caption}
        </>
      );
    case 'arrow':
      // points = [head, tail]; Konva draws the head at the end of its list.
      return (
        <>
          <Arrow points={[b[0], b[1], a[0], a[1]]} pointerLength={12 * px} pointerWidth={10 * px} fill={colour} {...stroke} />
          {label && <Text x={b[0]} y={b[1] + 4 * px} text={label} fontSize={12 * px} fill={colour} />}
        </>
      );
    case 'text':
      return <Text x={a[0]} y={a[1]} text={label || 'Text'} fontSize={14 * px} fill={colour} padding={2 * px} />;
    default:
      return (
        <>
          <Line points={points.flat()} closed={closed} {...stroke} />
          {caption}
        </>
      );
  }
}
