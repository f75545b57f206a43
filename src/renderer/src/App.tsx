import { useCallback, useEffect, useRef, useState } from 'react';
import type { Explanation, ExplainRequest, InputInfo, ModelInfo } from '../../api/schemas';
import type { FileKind } from '../../api/transport';
import { client } from './api';
import { defaultColormap, isColormapId, type ColormapId } from '../../core/display/colormap';
import { AnnotationLayer } from './components/AnnotationLayer';
import { AnnotationToolbar } from './components/AnnotationToolbar';
import { CasePanel } from './components/CasePanel';
import { ComparePanes, CompareToolbar } from './components/ComparePanes';
import { ConceptPanel } from './components/ConceptPanel';
import { DemoModels } from './components/DemoModels';
import { TrustMetricsPanel } from './components/TrustMetricsPanel';
import { Colorbar } from './components/Colorbar';
import { ErrorBanner } from './components/ErrorBanner';
import { ExplainPanel } from './components/ExplainPanel';
import { ExplanationSummary } from './components/ExplanationSummary';
import { Header } from './components/Header';
import { ImagePanel } from './components/ImagePanel';
import { ModelPanel } from './components/ModelPanel';
import { OverlayControls } from './components/OverlayControls';
import { Predictions } from './components/Predictions';
import { ProbeLayer } from './components/ProbeLayer';
import { ProbePanel } from './components/ProbePanel';
import { ReviewPanel } from './components/ReviewPanel';
import { DicomPanel } from './components/DicomPanel';
import { useDicomView } from './hooks/useDicomView';
import { Viewer } from './components/Viewer';
import { errorMessage } from './errors';
import { useAnnotationEditor } from './hooks/useAnnotationEditor';
import { useCaseReview, useSavedView } from './hooks/useCaseReview';
import { useExplainRun } from './hooks/useExplainRun';
import { useMethods } from './hooks/useMethods';
import { useProbe } from './hooks/useProbe';
import { useStartup } from './hooks/useStartup';
import { useWindowKeys } from './hooks/useWindowKeys';
import { pairKeyOf, usePrediction } from './hooks/usePrediction';
import { buildParams, defaultParamTexts, type ParamTexts } from './params';

const pickFile = client.pickFile;
const isModelFile = (file: File) => /\.onnx$/i.test(file.name);

export function App() {
  const [error, setError] = useState<string | null>(null);
  const reportError = useCallback((message: string) => setError(message), []);

  // What is open
  const [model, setModel] = useState<ModelInfo | null>(null);
  const [input, setInput] = useState<InputInfo | null>(null);
  const [busy, setBusy] = useState<Record<FileKind, boolean>>({ model: false, image: false });
  const pairKey = pairKeyOf(model, input);

  const open = useCallback(async (kind: FileKind, source: File[] | string) => {
    setError(null);
    setBusy((b) => ({ ...b, [kind]: true }));
    try {
      const path = typeof source === 'string' ? source : await uploadWithCompanions(kind, source);
      if (kind === 'model') setModel(await client.api.openModel({ path }));
      else setInput(await client.api.openInput({ path }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy((b) => ({ ...b, [kind]: false }));
    }
  }, []);

  const pick = (kind: FileKind) =>
    pickFile
      ? async () => {
          try {
            const path = await pickFile(kind);
            if (path) await open(kind, path);
          } catch (e) {
            setError(errorMessage(e));
          }
        }
      : null;

  const onDropFiles = async (files: File[]) => {
    const modelFiles = files.filter((f) => isModelFile(f) || isCardFile(f));
    const imageFile = files.find((f) => !isModelFile(f) && !isCardFile(f));
    if (modelFiles.some(isModelFile)) await open('model', modelFiles);
    if (imageFile) await open('image', [imageFile]);
  };

  // Prediction and the class to explain (top-1 until a row is chosen)
  const { prediction, pending } = usePrediction(model, input, reportError);
  const [targetChoice, setTargetChoice] = useState<{ key: string; index: number } | null>(null);
  const target = targetChoice && targetChoice.key === pairKey ? targetChoice.index : (prediction?.top[0]?.index ?? null);
  const targetLabel = target === null ? null : (model?.labels[target] ?? `class ${target}`);

  // Method and parameters (edits are kept per method)
  const methods = useMethods(reportError);
  const [methodId, setMethodId] = useState<string | null>(null);
  const method = methods.find((m) => m.id === methodId) ?? methods[0] ?? null;
  const [edits, setEdits] = useState<Record<string, ParamTexts>>({});
  const texts = method ? (edits[method.id] ?? defaultParamTexts(method)) : {};

  const explain = useExplainRun(reportError);
  const liveExplanation = explain.result && explain.result.key === pairKey ? explain.result.explanation : null;

  // Compare: 2–4 panes side by side; a run fills the active pane, then the next one becomes active.
  const [paneCount, setPaneCount] = useState(1);
  const [panes, setPanes] = useState<({ key: string; explanation: Explanation } | null)[]>([]);
  const [activePane, setActivePane] = useState(0);
  const fillPane = (pane: number, key: string, explanation: Explanation) => {
    setPanes((current) => Array.from({ length: Math.max(current.length, pane + 1) }, (_, i) => (i === pane ? { key, explanation } : (current[i] ?? null))));
    setActivePane((pane + 1) % paneCount);
  };

  /** The request for the chosen method and parameters, or null (with the error shown) when they are invalid. */
  const buildRequest = (classIndex: number | null): ExplainRequest | null => {
    if (!model || !input || !method || !pairKey) return null;
    const { params, errors } = buildParams(method, texts);
    if (errors.length > 0) {
      setError(`Invalid parameters: ${errors.join('; ')}`);
      return null;
    }
    setError(null);
    return { modelId: model.id, inputId: input.id, method: method.id, target: classIndex ?? undefined, params, caseId: caseDetail?.summary.id };
  };

  const onRun = () => {
    const request = buildRequest(target);
    if (!request || !pairKey) return;
    const pane = activePane;
    void explain.run(request, pairKey).then((result) => {
      if (result && paneCount > 1) fillPane(pane, pairKey, result);
    });
  };

  const onTopClasses = async () => {
    const top = prediction?.top ?? [];
    for (let pane = 0; pane < Math.min(paneCount, top.length); pane++) {
      const request = buildRequest(top[pane].index);
      if (!request || !pairKey) return;
      const result = await explain.run(request, pairKey);
      if (!result) return;
      fillPane(pane, pairKey, result);
    }
  };

  // Display of the heatmap; the colour map default follows the sign of the map shown.
  const [opacity, setOpacity] = useState(0.5);
  const [threshold, setThreshold] = useState(0);
  const [visible, setVisible] = useState(true);
  const [colormapChoice, setColormapChoice] = useState<{ signed: boolean; id: ColormapId } | null>(null);

  // Case review: while the open image is the open case's image, the case's stored explanation is
  // shown, new runs are stored in it, and annotations are drawn on it.
  const review = useCaseReview({
    latest: liveExplanation,
    onOpened: (opened) => {
      if (opened.input) setInput(opened.input);
      // Keep the open model only if it is the one the case was predicted with.
      const caseModel = opened.detail.predictions.at(-1)?.modelSha256;
      setModel((current) => opened.model ?? (current && (!caseModel || current.sha256 === caseModel) ? current : null));
    },
    onShow: (shown, settings) => {
      if (!settings) return;
      setOpacity(settings.opacity);
      setThreshold(settings.threshold);
      setVisible(settings.visible);
      if (isColormapId(settings.colormap)) setColormapChoice({ signed: shown.signed, id: settings.colormap });
    },
    onError: reportError,
  });
  const caseDetail = review.detail && input && review.detail.image?.sha256 === input.id ? review.detail : null;
  const explanation = caseDetail ? review.shown : liveExplanation;
  const editor = useAnnotationEditor(caseDetail?.summary.id ?? null, review.session, caseDetail?.annotations ?? [], review.actor, review.setDetail, reportError);
  const storedExplanation = caseDetail?.explanations.find((e) => e.id === explanation?.recordId) ?? null;
  const agreement = storedExplanation?.agreement ?? null;
  const signed = explanation?.signed ?? false;
  const colormapFor = (mapSigned: boolean): ColormapId => (colormapChoice && colormapChoice.signed === mapSigned ? colormapChoice.id : defaultColormap(mapSigned));
  const colormap = colormapFor(signed);

  // The demonstration, when the app started with one: the demo CNN and the first sample case open.
  const demo = useStartup(reportError);
  const demoOpened = useRef(false);
  useEffect(() => {
    if (!demo || demoOpened.current) return;
    demoOpened.current = true;
    setModel((current) => current ?? demo.model);
    if (!review.detail && demo.caseIds[0]) void review.open(demo.caseIds[0]);
  }, [demo, review]);
  const refreshCase = () => {
    const id = caseDetail?.summary.id;
    if (id) client.api.caseGet({ caseId: id }).then(review.setDetail, (e: unknown) => reportError(errorMessage(e)));
  };

  useSavedView(review, { opacity, colormap, threshold, visible });
  // "O" shows or hides the heatmap overlay (not while typing in a field); "h" is OHIF's flip.
  useWindowKeys(true, (event) => {
    if (event.key !== 'o' || event.ctrlKey || event.metaKey || event.altKey) return false;
    setVisible((v) => !v);
    return true;
  });
  const dicomView = useDicomView(input, reportError);
  // The probe: painting hides a region from the model; while it is active, dragging paints.
  // Probing and drawing both take the pointer: turning one on turns the other off.
  const probe = useProbe({
    model,
    input,
    target,
    caseDetail,
    actor: review.actor,
    onSaved: review.setDetail,
    onError: reportError,
    onActivate: () => editor.setTool('select'),
  });
  const annotationTools = {
    ...editor,
    setTool: (tool: typeof editor.tool) => {
      if (tool !== 'select') probe.setActive(false);
      editor.setTool(tool);
    },
  };
  const panEnabled = (!caseDetail || editor.tool === 'select') && !probe.active;

  return (
    <div className="app">
      <Header />
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <main className="workspace">
        <aside className="sidebar left">
          {demo && <DemoModels demo={demo} model={model} busy={busy.model} onOpen={(path) => void open('model', path)} />}
          <ModelPanel model={model} busy={busy.model} onFiles={(f) => void open('model', f)} onPick={pick('model')} />
          <ImagePanel input={input} busy={busy.image} onFiles={(f) => void open('image', f)} onPick={pick('image')} />
          {input?.format === 'dicom' && <DicomPanel view={dicomView} />}
          <CasePanel
            reviewer={review.reviewer}
            onReviewer={review.setReviewer}
            currentId={caseDetail?.summary.id ?? null}
            revision={review.detail ? `${review.detail.summary.id}@${review.detail.summary.updatedAt}` : ''}
            canCreate={Boolean(input)}
            busy={review.busy}
            onCreate={() => input && void review.create(input.id, model?.id ?? null)}
            onOpen={(id) => void review.open(id)}
            onError={reportError}
          />
        </aside>
        <section className="viewer-pane">
          <CompareToolbar
            paneCount={paneCount}
            onPaneCount={(count) => {
              setPaneCount(count);
              setActivePane((p) => Math.min(p, count - 1));
            }}
            onTopClasses={prediction && model && input ? () => void onTopClasses() : null}
            busy={explain.state.status === 'running'}
          />
          {caseDetail && paneCount === 1 && <AnnotationToolbar editor={annotationTools} />}
          <OverlayControls
            opacity={opacity}
            colormap={colormap}
            threshold={threshold}
            visible={visible}
            disabled={!explanation && paneCount === 1}
            onOpacity={setOpacity}
            onColormap={(id) => setColormapChoice({ signed, id })}
            onThreshold={setThreshold}
            onVisible={setVisible}
          />
          {paneCount > 1 && (
            <ComparePanes
              input={input}
              panes={Array.from({ length: paneCount }, (_, i) => (panes[i] && panes[i]!.key === pairKey ? panes[i]!.explanation : null))}
              active={activePane}
              labelOf={(id) => methods.find((m) => m.id === id)?.label ?? id}
              colormapFor={colormapFor}
              overlay={{ opacity, threshold, visible }}
              baseImage={dicomView.canvas}
              onActivate={setActivePane}
              onClear={(pane) => setPanes((current) => current.map((p, i) => (i === pane ? null : p)))}
              onDropFiles={(files) => void onDropFiles(files)}
              onError={reportError}
            />
          )}
          {paneCount === 1 && <Viewer
            input={input}
            explanation={explanation}
            overlay={{ opacity, colormap, threshold, visible }}
            onDropFiles={(files) => void onDropFiles(files)}
            onError={reportError}
            panEnabled={panEnabled}
            baseImage={dicomView.canvas}
            onWindowDrag={panEnabled ? dicomView.onWindowDrag : null}
            annotations={
              input && (caseDetail || probe.mask)
                ? (frame) => (
                    <>
                      {caseDetail && (
                        <AnnotationLayer
                          frame={frame}
                          imageWidth={input.width}
                          imageHeight={input.height}
                          editor={editor}
                          pointing={agreement ? { at: agreement.pointingAt, hit: agreement.pointingHit } : null}
                        />
                      )}
                      {probe.mask && <ProbeLayer frame={frame} probe={probe} />}
                    </>
                  )
                : undefined
            }
          />}
          {paneCount === 1 && (explanation ? (
            <Colorbar explanation={explanation} colormap={colormap} threshold={threshold} />
          ) : (
            <p className="colorbar-placeholder small muted">Run an explanation to overlay its heatmap.</p>
          ))}
        </section>
        <aside className="sidebar right">
          {caseDetail && <ReviewPanel key={caseDetail.summary.id} review={review} editor={editor} detail={caseDetail} />}
          <Predictions
            prediction={prediction}
            pending={pending}
            target={target}
            onSelect={(index) => pairKey && setTargetChoice({ key: pairKey, index })}
          />
          {model && input && paneCount === 1 && (
            <ProbePanel
              probe={probe}
              model={model}
              caseId={caseDetail?.summary.id ?? null}
              nextRevision={caseDetail?.summary.status === 'signed' ? caseDetail.summary.revision + 1 : null}
              saved={caseDetail?.probes ?? []}
            />
          )}
          {model?.concepts && input && prediction?.concepts && (
            <ConceptPanel key={`${model.id}|${input.id}`} model={model} inputId={input.id} prediction={prediction} caseId={caseDetail?.summary.id ?? null} actor={review.actor} onStored={refreshCase} onError={reportError} />
          )}
          <ExplainPanel
            methods={methods}
            method={method}
            texts={texts}
            targetLabel={targetLabel}
            canRun={Boolean(model && input)}
            run={explain.state}
            onMethod={setMethodId}
            onParam={(name, text) => method && setEdits((e) => ({ ...e, [method.id]: { ...texts, [name]: text } }))}
            onRun={onRun}
            onCancel={explain.cancel}
          />
          {explanation && <ExplanationSummary explanation={explanation} stale={target !== null && explanation.target !== target} />}
          {explanation && (
            <TrustMetricsPanel
              model={model}
              inputId={input?.id ?? null}
              explanation={explanation}
              stored={storedExplanation?.trust ?? null}
              caseId={caseDetail?.summary.id ?? null}
              onStored={refreshCase}
              onError={reportError}
            />
          )}
        </aside>
      </main>
    </div>
  );
}

function isCardFile(file: File): boolean {
  return file.name.toLowerCase().endsWith('.json');
}

/**
 * Makes the chosen file usable by path; for a model, its sidecar card (model.json beside
 * model.onnx) goes with it, into the same folder, so the engine finds it. Returns the main file's path.
 */
async function uploadWithCompanions(kind: FileKind, files: File[]): Promise<string> {
  const main = kind === 'model' ? files.find(isModelFile) : files[0];
  if (!main) throw new Error('Choose an .onnx model file (with its .json model card, if it has one)');
  const cards = files.filter((file) => file !== main && isCardFile(file));
  return client.uploadWithCompanions(main, cards, main.name.replace(/\.onnx$/i, '.json'));
}
