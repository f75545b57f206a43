// The viewer's state for an open DICOM input: its facts, the frame shown (slider and cine), the VOI
// (a file preset, a CT preset, or a window dragged live) and polarity, and the frame drawn on a canvas.
// Only what is shown changes: the model input stays as the model card fixes it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DicomInfo, DicomVoiPreset } from '../../../api/dicom-schemas';
import type { InputInfo } from '../../../api/schemas';
import { minMaxWindow, type WindowSpec } from '../../../core/dicom/voi';
import { client } from '../api';
import { CT_PRESETS, dragWindow, renderFrame, type VoiSelection } from '../dicomRender';
import { errorMessage } from '../errors';
import { rgbaToCanvas } from '../heatmapCanvas';
import { decodeWireTensor, type DecodedTensor } from '../wire';

export type DragMode = 'window' | 'pan';

export interface DicomView {
  info: DicomInfo | null;
  frame: number;
  setFrame: (frame: number) => void;
  playing: boolean;
  setPlaying: (playing: boolean) => void;
  voi: VoiSelection | null;
  /** a file preset id, a CT preset id, or "custom" after a drag */
  presetId: string;
  choosePreset: (id: string) => void;
  invert: boolean;
  setInvert: (invert: boolean) => void;
  dragMode: DragMode;
  setDragMode: (mode: DragMode) => void;
  /** drag on the viewer: change the window (grayscale only) */
  onWindowDrag: ((dx: number, dy: number) => void) | null;
  canvas: HTMLCanvasElement | null;
}

export function useDicomView(input: InputInfo | null, onError: (message: string) => void): DicomView {
  const inputId = input?.format === 'dicom' ? input.id : null;
  const [info, setInfo] = useState<DicomInfo | null>(null);
  const [frameState, setFrameState] = useState({ key: '', frame: 0 });
  const [values, setValues] = useState<{ key: string; values: DecodedTensor } | null>(null);
  const [selection, setSelection] = useState<{ key: string; id: string; voi: VoiSelection | null } | null>(null);
  const [invertChoice, setInvertChoice] = useState<{ key: string; invert: boolean } | null>(null);
  const [dragMode, setDragMode] = useState<DragMode>('window');
  const [playing, setPlaying] = useState(false);

  const current = info && info.inputId === inputId ? info : null;
  const frame = frameState.key === inputId ? frameState.frame : 0;
  const setFrame = useCallback((f: number) => setFrameState({ key: inputId ?? '', frame: f }), [inputId]);

  useEffect(() => {
    if (!inputId) return;
    let live = true;
    client.api.dicomInfo({ inputId }).then(
      (result) => live && setInfo(result),
      (error: unknown) => live && onError(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [inputId, onError]);

  const frameKey = current ? `${current.inputId}#${frame}` : '';
  useEffect(() => {
    if (!current) return;
    let live = true;
    const stage = current.grayscale ? 'modality' : 'display';
    client.api.dicomFrame({ inputId: current.inputId, frame, stage }).then(
      (result) => live && setValues({ key: `${current.inputId}#${frame}`, values: decodeWireTensor(result.values) }),
      (error: unknown) => live && onError(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [current, frame, onError]);

  // Cine: advance at the file's Frame Time (or 10 frames/s), looping.
  useEffect(() => {
    if (!playing || !current || current.frames < 2) return;
    const timer = setInterval(() => setFrameState((s) => ({ key: current.inputId, frame: ((s.key === current.inputId ? s.frame : 0) + 1) % current.frames })), current.frameTimeMs ?? 100);
    return () => clearInterval(timer);
  }, [playing, current]);

  const shownValues = values && values.key === frameKey ? values.values : null;
  const defaultVoi = useMemo((): { id: string; voi: VoiSelection | null } => {
    const first = current?.presets[0];
    return first ? { id: first.id, voi: fileVoi(first) } : { id: 'min-max', voi: fullRangeVoi(shownValues) };
  }, [current, shownValues]);
  const chosen = selection && selection.key === inputId ? selection : defaultVoi;
  const voi = current?.grayscale ? chosen.voi : null;
  const invert = invertChoice && invertChoice.key === inputId ? invertChoice.invert : Boolean(current?.invert);

  const choosePreset = useCallback(
    (id: string) => {
      if (!current) return;
      const file = current.presets.find((p) => p.id === id);
      const ct = CT_PRESETS.find((p) => p.id === id);
      let next: VoiSelection | null = null;
      if (file) next = fileVoi(file);
      else if (ct) next = { kind: 'window', window: ct.window, label: ct.label };
      else if (id === 'min-max') next = fullRangeVoi(shownValues);
      if (next) setSelection({ key: current.inputId, id, voi: next });
    },
    [current, shownValues],
  );

  const onWindowDrag = useCallback(
    (dx: number, dy: number) => {
      if (!current) return;
      setSelection((s) => {
        const base = s && s.key === current.inputId ? s.voi : defaultVoi.voi;
        const window: WindowSpec = base?.kind === 'window' ? base.window : (current.presets.find((p) => p.kind === 'window')?.window ?? minMaxWindow(shownValues?.data ?? []));
        return { key: current.inputId, id: 'custom', voi: { kind: 'window', window: dragWindow(window, dx, dy), label: 'Custom' } };
      });
    },
    [current, defaultVoi, shownValues],
  );

  const canvas = useMemo(() => {
    if (!current || !shownValues) return null;
    const image = renderFrame(shownValues, voi, current.outputRange, current.grayscale && invert);
    return rgbaToCanvas(image.data, image.width, image.height);
  }, [current, shownValues, voi, invert]);

  return {
    info: current,
    frame,
    setFrame,
    playing,
    setPlaying,
    voi,
    presetId: chosen.id,
    choosePreset,
    invert,
    setInvert: (value) => inputId && setInvertChoice({ key: inputId, invert: value }),
    dragMode,
    setDragMode,
    onWindowDrag: current?.grayscale && dragMode === 'window' ? onWindowDrag : null,
    canvas,
  };
}

/** The VOI of one of the file's own presets. */
function fileVoi(preset: DicomVoiPreset): VoiSelection {
  return preset.kind === 'lut' ? { kind: 'lut', preset } : { kind: 'window', window: preset.window, label: preset.label };
}

/** The frame's full range (min–max) as a window; null until the frame's values are in. */
function fullRangeVoi(values: DecodedTensor | null): VoiSelection | null {
  return values ? { kind: 'window', window: minMaxWindow(values.data), label: 'Full range' } : null;
}
