// The interactive probe in React: a ProbeSession per model and image (the mask and its requests),
// the brush settings, and saving the probe to the open case as a counterfactual.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { CaseDetail } from '../../../api/case-schemas';
import type { InputInfo, MaskerName, ModelInfo } from '../../../api/schemas';
import { modelCrop, type ModelRegion } from '../../../core/image/model-region';
import { client } from '../api';
import { errorMessage } from '../errors';
import { brushRadii, previewToMask, type BrushGeometry } from '../probe/brush';
import { ProbeSession, type ProbeSnapshot } from '../probe/session';
import { useBusyCall } from './useBusyCall';

export type BrushMode = 'paint' | 'erase';

export interface ProbeState extends ProbeSnapshot {
  active: boolean;
  setActive: (active: boolean) => void;
  mode: BrushMode;
  setMode: (mode: BrushMode) => void;
  /** brush radius in screen pixels */
  radius: number;
  setRadius: (radius: number) => void;
  masker: MaskerName;
  setMasker: (masker: MaskerName) => void;
  /** whether answers come with the masked input as the model sees it */
  showInput: boolean;
  setShowInput: (show: boolean) => void;
  /** the mask (model-input pixels), changed in place; `version` counts its changes */
  mask: Uint8Array | null;
  maskWidth: number;
  maskHeight: number;
  region: ModelRegion | null;
  /** brush input at a preview pixel; `screenToPreview` = preview pixels per screen pixel */
  stroke: (phase: 'down' | 'move' | 'up', x: number, y: number, frame: { previewWidth: number; previewHeight: number; screenToPreview: number }) => void;
  clear: () => void;
  /** shows a saved counterfactual's mask and masker again */
  load: (mask: Uint8Array, masker: MaskerName) => void;
  save: (note: string) => Promise<boolean>;
  saving: boolean;
}

interface Options {
  model: ModelInfo | null;
  input: InputInfo | null;
  target: number | null;
  caseDetail: CaseDetail | null;
  actor: string | undefined;
  onSaved: (detail: CaseDetail) => void;
  onError: (message: string) => void;
  /** called whenever the probe turns on (the toggle or a loaded counterfactual), e.g. to drop a drawing tool */
  onActivate?: () => void;
}

const IDLE: ProbeSnapshot = { version: 0, paintedCount: 0, result: null, strokeLatencyMs: null, answers: 0, pending: false };
const NO_SUBSCRIPTION = () => () => {};

export function useProbe({ model, input, target, caseDetail, actor, onSaved, onError, onActivate }: Options): ProbeState {
  const [active, setActiveState] = useState(false);
  const setActive = (on: boolean) => {
    if (on) onActivate?.();
    setActiveState(on);
  };
  const [mode, setMode] = useState<BrushMode>('paint');
  const [radius, setRadius] = useState(18);
  const [masker, setMasker] = useState<MaskerName>('blur');
  const [showInput, setShowInput] = useState(false);
  const { busy: saving, run: saveCall } = useBusyCall(onError);

  const modelId = model?.id ?? null;
  const inputId = input?.id ?? null;
  const maskWidth = model?.preprocessing.width ?? 0;
  const maskHeight = model?.preprocessing.height ?? 0;
  const session = useMemo(
    () =>
      modelId && inputId
        ? new ProbeSession(
            maskWidth,
            maskHeight,
            (mask, question) =>
              client.api.probe({ modelId, inputId, mask, masker: question.masker, preview: question.preview, ...(question.target !== null ? { target: question.target } : {}) }),
            (error) => onError(`Probe failed: ${errorMessage(error)}`),
          )
        : null,
    [modelId, inputId, maskWidth, maskHeight, onError],
  );
  useEffect(() => () => session?.close(), [session]);
  useEffect(() => session?.ask({ masker, target, preview: showInput }), [session, masker, target, showInput]);
  useEffect(() => {
    if (active) session?.warm();
  }, [session, active, masker]);
  const snapshot = useSyncExternalStore(session?.subscribe ?? NO_SUBSCRIPTION, session?.getSnapshot ?? (() => IDLE));

  const resize = model?.preprocessing.resize;
  const region = useMemo(
    () => (input && resize ? modelCrop(input.width, input.height, { width: maskWidth, height: maskHeight, resize }).region : null),
    [input, resize, maskWidth, maskHeight],
  );

  const stroke: ProbeState['stroke'] = (phase, x, y, frame) => {
    if (!session || !region || !active) return;
    const geometry: BrushGeometry = { previewWidth: frame.previewWidth, previewHeight: frame.previewHeight, region, maskWidth, maskHeight };
    const { rx, ry } = brushRadii(geometry, radius * frame.screenToPreview);
    session.stroke(phase, previewToMask(geometry, x, y), rx, ry, mode === 'paint' ? 1 : 0);
  };

  const save = async (note: string): Promise<boolean> => {
    if (!modelId || !inputId || !session || !caseDetail) return false;
    const detail = await saveCall('The probe was not saved', () =>
      client.api.probeSave({
        caseId: caseDetail.summary.id,
        modelId,
        inputId,
        mask: session.encoded(),
        masker,
        note,
        ...(target !== null ? { target } : {}),
        ...(actor ? { actor } : {}),
      }),
    );
    if (!detail) return false;
    onSaved(detail);
    return true;
  };

  return {
    ...snapshot,
    active,
    setActive,
    mode,
    setMode,
    radius,
    setRadius,
    masker,
    setMasker,
    showInput,
    setShowInput,
    mask: session?.mask ?? null,
    maskWidth,
    maskHeight,
    region,
    stroke,
    clear: () => session?.clear(),
    load: (mask, savedMasker) => {
      if (!session) return;
      try {
        session.load(mask);
      } catch (error) {
        onError(errorMessage(error));
        return;
      }
      setMasker(savedMasker);
      setActive(true);
    },
    save,
    saving,
  };
}
