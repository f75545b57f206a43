// The DICOM controls beside the viewer: window/level presets (CT and the file's own), live W/L
// readout, invert, what dragging does, the frame slider with cine, and the attribute list.
import type { DicomView } from '../hooks/useDicomView';
import { CT_PRESETS } from '../dicomRender';
import { MetadataPanel } from './MetadataPanel';

export function DicomPanel({ view }: { view: DicomView }) {
  const { info } = view;
  if (!info) return null;
  const window = view.voi?.kind === 'window' ? view.voi.window : null;
  return (
    <section className="panel" aria-labelledby="dicom-heading" data-testid="dicom-panel">
      <div className="panel-head">
        <h2 id="dicom-heading">DICOM</h2>
      </div>
      <dl className="facts">
        <dt>Syntax</dt>
        <dd title={info.transferSyntax.uid}>{info.transferSyntax.name}</dd>
        <dt>Pixels</dt>
        <dd>
          {info.modality ?? '—'} · {info.photometric} · {info.bitsStored}/{info.bitsAllocated} bits{info.pixelRepresentation ? ' signed' : ''}
        </dd>
      </dl>
      {info.warnings.map((w) => (
        <p key={w} className="small warn" data-testid="dicom-warning">
          {w}
        </p>
      ))}
      {info.grayscale && (
        <>
          <label className="field">
            <span>Window</span>
            <select data-testid="dicom-preset" value={view.presetId} onChange={(e) => view.choosePreset(e.target.value)}>
              {view.presetId === 'custom' && <option value="custom">Custom (dragged)</option>}
              <optgroup label="This file">
                {info.presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
                <option value="min-max">Full range (min–max)</option>
              </optgroup>
              <optgroup label="CT presets">
                {CT_PRESETS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <p className="small" data-testid="dicom-wl" data-center={window?.center} data-width={window?.width}>
            {window ? `W ${round(window.width)} · L ${round(window.center)} · ${window.fn}` : view.voi?.kind === 'lut' ? `VOI LUT (${view.voi.preset.lut.data.length} entries)` : '—'}
          </p>
          <label className="field inline">
            <input type="checkbox" data-testid="dicom-invert" checked={view.invert} onChange={(e) => view.setInvert(e.target.checked)} />
            <span>Invert{info.invert ? ' (file: MONOCHROME1 / INVERSE)' : ''}</span>
          </label>
          <label className="field inline">
            <span>Drag</span>
            <select data-testid="dicom-drag-mode" value={view.dragMode} onChange={(e) => view.setDragMode(e.target.value as DicomView['dragMode'])}>
              <option value="window">adjusts window/level</option>
              <option value="pan">pans</option>
            </select>
          </label>
        </>
      )}
      {info.frames > 1 && (
        <div className="field" data-testid="dicom-frames">
          <span data-testid="dicom-frame-readout">
            Frame {view.frame + 1} / {info.frames}
          </span>
          <input type="range" min={0} max={info.frames - 1} value={view.frame} data-testid="dicom-frame" onChange={(e) => view.setFrame(Number(e.target.value))} />
          <button type="button" className="button" data-testid="dicom-cine" onClick={() => view.setPlaying(!view.playing)}>
            {view.playing ? 'Stop' : 'Play'}
          </button>
        </div>
      )}
      <MetadataPanel inputId={info.inputId} />
    </section>
  );
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
