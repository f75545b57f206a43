// A transparent rectangle far larger than any image, behind a layer's shapes, so that pointer
// input anywhere on the viewer reaches that layer's tool (drawing, painting) even off the image.
import type { ComponentProps } from 'react';
import { Rect } from 'react-konva';

const CATCH_EXTENT = 1e6;

type Handlers = Pick<ComponentProps<typeof Rect>, 'onPointerDown' | 'onPointerMove' | 'onPointerUp' | 'onPointerLeave' | 'onDblClick'>;

export function PointerCatcher(handlers: Handlers) {
  return <Rect x={-CATCH_EXTENT} y={-CATCH_EXTENT} width={2 * CATCH_EXTENT} height={2 * CATCH_EXTENT} fill="rgba(0,0,0,0)" {...handlers} />;
}
