// Results side by side: 2–4 panes over the same image, each with its own explanation and colour bar
// (raw range, display steps, normalisation), sharing one zoom and pan. Clicking a pane makes it the
// one the next run fills.
import { useState } from 'react';
import type { Explanation, InputInfo } from '../../../api/schemas';
import type { ColormapId } from '../../../core/display/colormap';
import { Colorbar } from './Colorbar';
import { Viewer, type LinkedView, type OverlaySettings } from './Viewer';

interface Props {
  input: InputInfo | null;
  panes: (Explanation | null)[];
  active: number;
  /** method id → label */
  labelOf: (method: string) => string;
  /** the user's colour map choice for maps of this sign, else the default */
  colormapFor: (signed: boolean) => ColormapId;
  overlay: Omit<OverlaySettings, 'colormap'>;
  baseImage: HTMLCanvasElement | null;
  onActivate: (pane: number) => void;
  onClear: (pane: number) => void;
  onDropFiles: (files: File[]) => void;
  onError: (message: string) => void;
}

export function ComparePanes({ input, panes, active, labelOf, colormapFor, overlay, baseImage, onActivate, onClear, onDropFiles, onError }: Props) {
  const [view, setView] = useState<LinkedView['value']>(null);
  const linked: LinkedView = { value: view, onChange: setView };
  return (
    <div className={`compare-grid panes-${panes.length}`} data-testid="compare-grid">
      {panes.map((explanation, pane) => {
        const colormap = colormapFor(explanation?.signed ?? false);
        return (
          <section
            key={pane}
            className={`compare-pane${pane === active ? ' active' : ''}`}
            data-testid="compare-pane"
            data-pane={pane}
            data-active={pane === active}
            data-method={explanation?.method ?? ''}
            onPointerDown={() => onActivate(pane)}
            aria-label={`Pane ${pane + 1}`}
          >
            <header className="compare-pane-header small">
              <strong>{pane + 1}</strong>{' '}
              {explanation ? (
                <span data-testid="pane-title">
                  {labelOf(explanation.method)} · {explanation.targetLabel}
                </span>
              ) : (
                <span className="muted">{pane === active ? 'the next run fills this pane' : 'empty (click to fill next)'}</span>
              )}
              {explanation && (
                <button
                  type="button"
                  className="button pane-clear"
                  aria-label={`Clear pane ${pane + 1}`}
                  onPointerDown={(e) => e.stopPropagation()}
                  onClick={() => onClear(pane)}
                >
                  ×
                </button>
              )}
            </header>
            <Viewer input={input} explanation={explanation} overlay={{ ...overlay, colormap }} onDropFiles={onDropFiles} onError={onError} baseImage={baseImage} linkedView={linked} />
            {explanation ? <Colorbar explanation={explanation} colormap={colormap} threshold={overlay.threshold} /> : <p className="colorbar-placeholder small muted">No result in this pane yet.</p>}
          </section>
        );
      })}
    </div>
  );
}

interface ToolbarProps {
  paneCount: number;
  onPaneCount: (count: number) => void;
  /** fills the panes with the current method for the top classes (null when there is no prediction) */
  onTopClasses: (() => void) | null;
  busy: boolean;
}

/** How many panes the viewer shows, and the shortcut that fills them with the top-k classes. */
export function CompareToolbar({ paneCount, onPaneCount, onTopClasses, busy }: ToolbarProps) {
  return (
    <div className="compare-toolbar small" aria-label="Compare results">
      <label>
        Panes
        <select data-testid="pane-count" value={paneCount} disabled={busy} onChange={(e) => onPaneCount(Number(e.target.value))}>
          {[1, 2, 3, 4].map((n) => (
            <option key={n} value={n}>
              {n === 1 ? '1 (single view)' : `${n} side by side`}
            </option>
          ))}
        </select>
      </label>
      {paneCount > 1 && (
        <button type="button" className="button" data-testid="top-classes" disabled={busy || !onTopClasses} onClick={() => onTopClasses?.()}>
          Top {paneCount} classes → panes
        </button>
      )}
    </div>
  );
}
