import { useEffect, useRef, type ReactNode } from 'react';
import type Konva from 'konva';
import { Layer } from 'react-konva';

interface Props {
  /** set as data-layer on the layer's own <canvas>, so tests and tools can find it */
  tag: string;
  name: string;
  imageSmoothingEnabled?: boolean;
  listening?: boolean;
  /** position, rotation and scale of the layer (the viewer turns all layers alike) */
  transform?: Pick<Konva.LayerConfig, 'x' | 'y' | 'offsetX' | 'offsetY' | 'rotation' | 'scaleX' | 'scaleY'>;
  children?: ReactNode;
}

/** A Konva layer whose <canvas> element is identifiable in the DOM (Konva makes one per layer). */
export function TaggedLayer({ tag, name, imageSmoothingEnabled, listening = false, transform, children }: Props) {
  const ref = useRef<Konva.Layer>(null);
  useEffect(() => {
    ref.current?.getCanvas()._canvas.setAttribute('data-layer', tag);
  }, [tag]);
  return (
    <Layer ref={ref} name={name} imageSmoothingEnabled={imageSmoothingEnabled} listening={listening} {...transform}>
      {children}
    </Layer>
  );
}
