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
      <RangeControl label="Opacity" testId="opacity" step={0.05} value={opacity} disabled={disabled} onChange={props.onOpacity} shown={opacity.toFixed(2)} />
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
      <RangeControl
        label="Threshold"
        title="Hide values whose magnitude is below this fraction of max|v|"
        testId="threshold"
        step={0.01}
        value={threshold}
        disabled={disabled}
        onChange={props.onThreshold}
        shown={`${Math.round(threshold * 100)}%`}
      />
    </div>
  );
}

interface RangeControlProps {
  label: string;
  title?: string;
  testId: string;
  step: number;
  value: number;
  disabled: boolean;
  onChange: (value: number) => void;
  /** the value as the user reads it beside the slider */
  shown: string;
}

/** A 0–1 slider with its label and read-out. */
function RangeControl({ label, title, testId, step, value, disabled, onChange, shown }: RangeControlProps) {
  return (
    <label title={title}>
      {label}
      <input type="range" data-testid={testId} min={0} max={1} step={step} value={value} disabled={disabled} onChange={(e) => onChange(Number(e.target.value))} />
      <output className="value">{shown}</output>
    </label>
  );
}
