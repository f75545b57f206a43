import { useMemo, useRef, useState, type DragEvent as ReactDragEvent, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { KonvaEventObject } from 'konva/lib/Node';
import { Image as KonvaImage, Stage } from 'react-konva';
import type { Explanation, InputInfo } from '../../../api/schemas';
import { displayScale, type ColormapId } from '../../../core/display/colormap';
import { errorMessage } from '../errors';
import { renderHeatmapCanvas } from '../heatmapCanvas';
import { useElementSize } from '../hooks/useElementSize';
import { useHtmlImage } from '../hooks/useHtmlImage';
import { useViewerKeys } from '../hooks/useViewerKeys';
import { fitOrientedView, layerTransform, orientationKey, UPRIGHT, type Orientation, type View } from '../orientation';
import { decodeWireTensor, heatmapSize } from '../wire';
import { TaggedLayer } from './TaggedLayer';

export interface OverlaySettings {
  opacity: number;
  colormap: ColormapId;
  threshold: number;
  visible: boolean;
}

interface Props {
  input: InputInfo | null;
  explanation: Explanation | null;
  overlay: OverlaySettings;
  onDropFiles: (files: File[]) => void;
  onError: (message: string) => void;
  /** what the annotations layer draws, given the preview's size and the current zoom */
  annotations?: (frame: AnnotationFrame) => ReactNode;
  /** false while a drawing tool owns the pointer (dragging then draws instead of panning) */
  panEnabled?: boolean;
  /** a DICOM frame drawn with the current window, shown instead of the preview (same size) */
  baseImage?: HTMLCanvasElement | null;
  /** when set, dragging adjusts the window/level (screen pixels moved) instead of panning */
  onWindowDrag?: ((dx: number, dy: number) => void) | null;
  /** a zoom/pan shared with other viewers (compare panes); without it the viewer keeps its own */
  linkedView?: LinkedView;
}

/** A user's zoom and pan for one image (key = the input's id), held by whoever links the viewers. */
export interface LinkedView {
  value: { key: string; view: View } | null;
  onChange: (value: { key: string; view: View } | null) => void;
}

export interface AnnotationFrame {
  previewWidth: number;
  previewHeight: number;
  viewScale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 64;
const ZOOM_STEP = 1.15;

/**
 * The image viewer: a Konva stage with an image layer, a heatmap layer (over the part of the
 * preview the model saw) and an annotations layer. Wheel zooms about the pointer, dragging
 * pans, "Fit" resets; OHIF's keys turn, flip, invert, pan and reset. Files dropped here are opened.
 */
export function Viewer({ input, explanation, overlay, onDropFiles, onError, annotations, panEnabled = true, baseImage = null, onWindowDrag = null, linkedView }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const size = useElementSize(containerRef);
  const preview = useHtmlImage(input?.previewPng ?? null, onError);
  const image = baseImage ?? preview;
  const windowDrag = useWindowDrag(onWindowDrag);
  const { canvas: heatmap, error: heatmapError } = useHeatmap(explanation, overlay);
  const [dragOver, setDragOver] = useState(false);

  // A view the user zoomed or panned holds for that image only; otherwise the image is fitted,
  // and stays fitted as the window resizes.
  const [ownView, setOwnView] = useState<{ key: string; view: View } | null>(null);
  const userView = linkedView ? linkedView.value : ownView;
  const setUserView = linkedView ? linkedView.onChange : setOwnView;
  const viewKey = input?.id ?? '';
  const imageWidth = image ? (image instanceof HTMLCanvasElement ? image.width : image.naturalWidth) : 0;
  const imageHeight = image ? (image instanceof HTMLCanvasElement ? image.height : image.naturalHeight) : 0;
  // Rotation, flips and inversion also hold for one image only.
  const [orientation, setOrientation] = useState<{ key: string; value: Orientation } | null>(null);
  const turned = orientation && orientation.key === viewKey ? orientation.value : UPRIGHT;
  const view = userView && userView.key === viewKey ? userView.view : fitOrientedView(turned, imageWidth, imageHeight, size.width, size.height);
  const turn = layerTransform(turned, imageWidth, imageHeight);
  const resetView = () => {
    setUserView(null);
    setOrientation(null);
  };
  useViewerKeys(Boolean(image), {
    orient: (key) => setOrientation({ key: viewKey, value: orientationKey(turned, key) ?? turned }),
    reset: resetView,
    pan: (dx, dy) => setUserView({ key: viewKey, view: { ...view, x: view.x + dx, y: view.y + dy } }),
  });

  const onWheel = (event: KonvaEventObject<WheelEvent>) => {
    event.evt.preventDefault();
    const pointer = event.target.getStage()?.getPointerPosition();
    if (!pointer || !image) return;
    const factor = event.evt.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
    // keep the image point under the pointer fixed
    const px = (pointer.x - view.x) / view.scale;
    const py = (pointer.y - view.y) / view.scale;
    setUserView({ key: viewKey, view: { scale, x: pointer.x - px * scale, y: pointer.y - py * scale } });
  };

  const onDragMove = (event: KonvaEventObject<DragEvent>) => {
    const stage = event.target;
    if (stage !== stage.getStage()) return;
    setUserView({ key: viewKey, view: { scale: view.scale, x: stage.x(), y: stage.y() } });
  };

  const onDrop = (event: ReactDragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragOver(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) onDropFiles(files);
  };

  const region = explanation?.overlayRegion;
  return (
    <div
      className={`viewer${dragOver ? ' drag-over' : ''}${turned.inverted ? ' inverted' : ''}`}
      data-testid="viewer"
      data-orientation={`${turned.quarterTurns * 90}${turned.flipH ? ' flip-h' : ''}${turned.flipV ? ' flip-v' : ''}${turned.inverted ? ' inverted' : ''}`}
      data-view={`${view.x},${view.y},${view.scale}`}
      ref={containerRef}
      {...windowDrag}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!dragOver) setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={onDrop}
    >
      <Stage
        width={Math.max(1, size.width)}
        height={Math.max(1, size.height)}
        x={view.x}
        y={view.y}
        scaleX={view.scale}
        scaleY={view.scale}
        draggable={Boolean(image) && panEnabled && !onWindowDrag}
        onWheel={onWheel}
        onDragMove={onDragMove}
        onDragEnd={onDragMove}
      >
        <TaggedLayer tag="image" name="image-layer" transform={turn}>
          {image && <KonvaImage image={image} x={0} y={0} width={imageWidth} height={imageHeight} />}
        </TaggedLayer>
        {/* Nearest-neighbour: each heatmap cell keeps the exact colour of its value. */}
        <TaggedLayer tag="heatmap" name="heatmap-layer" imageSmoothingEnabled={false} transform={turn}>
          {image && heatmap && region && overlay.visible && (
            <KonvaImage
              image={heatmap}
              x={region.x * imageWidth}
              y={region.y * imageHeight}
              width={region.width * imageWidth}
              height={region.height * imageHeight}
              opacity={overlay.opacity}
            />
          )}
        </TaggedLayer>
        <TaggedLayer tag="annotations" name="annotations-layer" listening transform={turn}>
          {image && annotations?.({ previewWidth: imageWidth, previewHeight: imageHeight, viewScale: view.scale })}
        </TaggedLayer>
      </Stage>
      {heatmapError && <div className="viewer-note warn">Heatmap not shown: {heatmapError}</div>}
      {!input && <div className="viewer-empty">Drop an image (PNG, JPEG, .npy) or a model (.onnx) here</div>}
      {input && (
        <button type="button" className="button fit-button" data-testid="fit-view" onClick={resetView}>
          Fit
        </button>
      )}
      {input && view.scale > 0 && <div className="zoom-readout small">{Math.round(view.scale * 100)}%</div>}
    </div>
  );
}

/** Pointer handlers that report drags (left button) as window/level changes, when a handler is given. */
function useWindowDrag(onWindowDrag: ((dx: number, dy: number) => void) | null) {
  const last = useRef<{ x: number; y: number } | null>(null);
  if (!onWindowDrag) return {};
  return {
    onPointerDown: (e: ReactPointerEvent<HTMLDivElement>) => {
      if (e.button !== 0) return;
      last.current = { x: e.clientX, y: e.clientY };
      e.currentTarget.setPointerCapture(e.pointerId);
    },
    onPointerMove: (e: ReactPointerEvent<HTMLDivElement>) => {
      if (!last.current) return;
      const dx = e.clientX - last.current.x;
      const dy = e.clientY - last.current.y;
      last.current = { x: e.clientX, y: e.clientY };
      if (dx !== 0 || dy !== 0) onWindowDrag(dx, dy);
    },
    onPointerUp: () => {
      last.current = null;
    },
  };
}

/** The explanation's heatmap as a colour-mapped canvas; recoloured when the display settings change. */
function useHeatmap(explanation: Explanation | null, overlay: OverlaySettings): { canvas: HTMLCanvasElement | null; error: string | null } {
  const decoded = useMemo(() => {
    if (!explanation) return null;
    try {
      const tensor = decodeWireTensor(explanation.heatmap);
      return { ...heatmapSize(tensor.shape), data: tensor.data, error: null };
    } catch (error) {
      return { width: 0, height: 0, data: null, error: errorMessage(error) };
    }
  }, [explanation]);
  const { colormap, threshold } = overlay;
  const canvas = useMemo(() => {
    if (!decoded?.data || !explanation) return null;
    const scale = displayScale(explanation.heatmapRange, explanation.signed);
    return renderHeatmapCanvas(decoded.data, decoded.width, decoded.height, scale, colormap, threshold);
  }, [decoded, explanation, colormap, threshold]);
  return { canvas, error: decoded?.error ?? null };
}
