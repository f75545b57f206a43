import { useMemo, useRef, useState, type DragEvent as ReactDragEvent } from 'react';
import type { KonvaEventObject } from 'konva/lib/Node';
import { Image as KonvaImage, Stage } from 'react-konva';
import type { Explanation, InputInfo } from '../../../api/schemas';
import { displayScale, type ColormapId } from '../../../core/display/colormap';
import { renderHeatmapCanvas } from '../heatmapCanvas';
import { useElementSize } from '../hooks/useElementSize';
import { useHtmlImage } from '../hooks/useHtmlImage';
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
}

interface View {
  x: number;
  y: number;
  scale: number;
}

const MIN_SCALE = 0.05;
const MAX_SCALE = 64;
const ZOOM_STEP = 1.15;

function fitView(imageWidth: number, imageHeight: number, width: number, height: number): View {
  if (imageWidth <= 0 || imageHeight <= 0 || width <= 0 || height <= 0) return { x: 0, y: 0, scale: 1 };
  const scale = Math.min(width / imageWidth, height / imageHeight) * 0.96;
  return { scale, x: (width - imageWidth * scale) / 2, y: (height - imageHeight * scale) / 2 };
}

/**
 * The image viewer: a Konva stage with an image layer, a heatmap layer (over the part of the
 * preview the model saw) and an empty annotations layer. Wheel zooms about the pointer, dragging
 * pans, "Fit" resets. Files dropped here are opened.
 */
export function Viewer({ input, explanation, overlay, onDropFiles, onError }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const size = useElementSize(containerRef);
  const image = useHtmlImage(input?.previewPng ?? null, onError);
  const { canvas: heatmap, error: heatmapError } = useHeatmap(explanation, overlay);
  const [dragOver, setDragOver] = useState(false);

  // A view the user zoomed or panned holds for that image only; otherwise the image is fitted,
  // and stays fitted as the window resizes.
  const [userView, setUserView] = useState<{ key: string; view: View } | null>(null);
  const viewKey = input?.id ?? '';
  const imageWidth = image?.naturalWidth ?? 0;
  const imageHeight = image?.naturalHeight ?? 0;
  const view = userView && userView.key === viewKey ? userView.view : fitView(imageWidth, imageHeight, size.width, size.height);

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
      className={dragOver ? 'viewer drag-over' : 'viewer'}
      data-testid="viewer"
      ref={containerRef}
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
        draggable={Boolean(image)}
        onWheel={onWheel}
        onDragMove={onDragMove}
        onDragEnd={onDragMove}
      >
        <TaggedLayer tag="image" name="image-layer">
          {image && <KonvaImage image={image} x={0} y={0} width={imageWidth} height={imageHeight} />}
        </TaggedLayer>
        {/* Nearest-neighbour: each heatmap cell keeps the exact colour of its value. */}
        <TaggedLayer tag="heatmap" name="heatmap-layer" imageSmoothingEnabled={false}>
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
        <TaggedLayer tag="annotations" name="annotations-layer" listening />
      </Stage>
      {heatmapError && <div className="viewer-note warn">Heatmap not shown: {heatmapError}</div>}
      {!input && <div className="viewer-empty">Drop an image (PNG, JPEG, .npy) or a model (.onnx) here</div>}
      {input && (
        <button type="button" className="button fit-button" data-testid="fit-view" onClick={() => setUserView(null)}>
          Fit
        </button>
      )}
      {input && view.scale > 0 && <div className="zoom-readout small">{Math.round(view.scale * 100)}%</div>}
    </div>
  );
}

/** The explanation's heatmap as a colour-mapped canvas; recoloured when the display settings change. */
function useHeatmap(explanation: Explanation | null, overlay: OverlaySettings): { canvas: HTMLCanvasElement | null; error: string | null } {
  const decoded = useMemo(() => {
    if (!explanation) return null;
    try {
      const tensor = decodeWireTensor(explanation.heatmap);
      return { ...heatmapSize(tensor.shape), data: tensor.data, error: null };
    } catch (error) {
      return { width: 0, height: 0, data: null, error: error instanceof Error ? error.message : String(error) };
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
