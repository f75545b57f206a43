import { COLORMAPS, isColormapId, type ColormapId } from '../../../core/display/colormap';

interface Props {
  opacity: number;
  colormap: ColormapId;
  threshold: number;
  visible: boolean;
  disabled: boolean;
  onOpacity: (value: number) => void;
  onColormap: (id: ColormapId) => void;
  onThreshold: (value: number) => void;
  onVisible: (value: boolean) => void;
}

const GROUPS: { label: string; kinds: string[] }[] = [
  { label: 'Sequential (unsigned maps)', kinds: ['sequential'] },
  { label: 'Diverging (signed maps)', kinds: ['diverging'] },
  { label: 'Opt-in', kinds: ['rainbow'] },
];

export function OverlayControls(props: Props) {
  const { opacity, colormap, threshold, visible, disabled } = props;
  return (
    <div className="overlay-controls" aria-label="Heatmap display">
      <label className="check">
        <input type="checkbox" data-testid="toggle-heatmap" checked={visible} disabled={disabled} onChange={(e) => props.onVisible(e.target.checked)} />
        Heatmap
      </label>
      <label>
        Opacity
        <input
          type="range"
          data-testid="opacity"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          disabled={disabled}
          onChange={(e) => props.onOpacity(Number(e.target.value))}
        />
        <output className="value">{opacity.toFixed(2)}</output>
      </label>
      <label>
        Colour map
        <select
          data-testid="colormap"
          value={colormap}
          disabled={disabled}
          onChange={(e) => {
            if (isColormapId(e.target.value)) props.onColormap(e.target.value);
          }}
        >
          {GROUPS.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {COLORMAPS.filter((c) => g.kinds.includes(c.kind)).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <label title="Hide values whose magnitude is below this fraction of max|v|">
        Threshold
        <input
          type="range"
          data-testid="threshold"
          min={0}
          max={1}
          step={0.01}
          value={threshold}
          disabled={disabled}
          onChange={(e) => props.onThreshold(Number(e.target.value))}
        />
        <output className="value">{Math.round(threshold * 100)}%</output>
      </label>
    </div>
  );
}
