// The probe's part of the viewer: the painted mask (tinted, drawn over the part of the preview the
// model sees, one cell per model-input pixel), the brush outline under the pointer, and a pointer
// catcher that turns drags into brush strokes while the probe is active.
import { useMemo, useState } from 'react';
import type Konva from 'konva';
import type { KonvaEventObject } from 'konva/lib/Node';
import { Circle, Group, Image as KonvaImage } from 'react-konva';
import type { ProbeState } from '../hooks/useProbe';
import { rgbaToCanvas } from '../heatmapCanvas';
import { maskToRgba } from '../probe/brush';
import { PointerCatcher } from './PointerCatcher';
import type { AnnotationFrame } from './Viewer';

const PAINT_COLOUR = [255, 64, 200, 120] as const;

export function ProbeLayer({ frame, probe }: { frame: AnnotationFrame; probe: ProbeState }) {
  const { mask, maskWidth, maskHeight, version, region, active } = probe;
  const [pointer, setPointer] = useState<{ x: number; y: number } | null>(null);
  const canvas = useMemo(() => {
    if (!mask || maskWidth === 0) return null;
    return rgbaToCanvas(maskToRgba(mask, PAINT_COLOUR), maskWidth, maskHeight);
    // `version` counts the in-place changes of `mask`
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mask, maskWidth, maskHeight, version]);
  if (!region) return null;

  const screenToPreview = 1 / Math.max(1e-6, frame.viewScale);
  const at = (event: KonvaEventObject<Event>) => {
    const group = event.target.findAncestor('.probe-space', true) as Konva.Group | undefined;
    return group?.getRelativePointerPosition() ?? null;
  };
  // Every phase goes to the probe: its session starts a stroke on 'down' and ignores 'move' and
  // 'up' while none is under way.
  const input = (phase: 'down' | 'move' | 'up') => (event: KonvaEventObject<PointerEvent>) => {
    const p = at(event);
    if (!p) return;
    if (phase !== 'up') setPointer(p);
    probe.stroke(phase, p.x, p.y, { previewWidth: frame.previewWidth, previewHeight: frame.previewHeight, screenToPreview });
  };

  return (
    <Group name="probe-space">
      {canvas && (
        <KonvaImage
          name="probe-mask"
          image={canvas}
          x={region.x * frame.previewWidth}
          y={region.y * frame.previewHeight}
          width={region.width * frame.previewWidth}
          height={region.height * frame.previewHeight}
          listening={false}
          imageSmoothingEnabled={false}
        />
      )}
      {active && (
        <PointerCatcher
          onPointerDown={input('down')}
          onPointerMove={input('move')}
          onPointerUp={input('up')}
          onPointerLeave={(event) => {
            setPointer(null);
            input('up')(event); // ends a stroke under way
          }}
        />
      )}
      {active && pointer && (
        <Circle
          x={pointer.x}
          y={pointer.y}
          radius={probe.radius * screenToPreview}
          stroke={probe.mode === 'paint' ? '#ff40c8' : '#ffffff'}
          dash={probe.mode === 'erase' ? [4, 4] : undefined}
          strokeWidth={1.5}
          strokeScaleEnabled={false}
          listening={false}
        />
      )}
    </Group>
  );
}
