import type { Explanation } from '../../../api/schemas';
import { colormapGradientCss, describeNormalisation, displayScale, normalise, type ColormapId } from '../../../core/display/colormap';
import { describeDisplayStep } from '../../../core/display/steps';
import { formatValue } from '../format';

interface Props {
  explanation: Explanation;
  colormap: ColormapId;
  threshold: number;
}

/** The colour bar: the raw result's value range with units, the display steps and colour normalisation applied, and what the threshold hides. */
export function Colorbar({ explanation, colormap, threshold }: Props) {
  const { heatmapRange: range, unit, signed } = explanation;
  const scale = displayScale(range, signed);
  const cut = threshold * scale.absMax;
  const hideFrom = normalise(-cut, scale);
  const hideTo = normalise(cut, scale);
  const display = explanation.display.map(describeDisplayStep).join(' → ');
  // the raw result's own range (before display steps), when the record has it
  const raw = explanation.attributionRange ?? range;
  return (
    <figure
      className="colorbar"
      data-testid="colorbar"
      data-lo={scale.lo}
      data-hi={scale.hi}
      data-unit={unit}
      data-colormap={colormap}
      aria-label={`Colour bar from ${formatValue(scale.lo)} to ${formatValue(scale.hi)} ${unit}`}
    >
      <div className="colorbar-gradient" style={{ background: colormapGradientCss(colormap) }}>
        {threshold > 0 && hideTo > hideFrom && (
          <div className="colorbar-hidden" style={{ left: `${hideFrom * 100}%`, width: `${(hideTo - hideFrom) * 100}%` }} title="hidden by the threshold" />
        )}
      </div>
      <div className="colorbar-ticks">
        <span data-testid="colorbar-min">{formatValue(scale.lo)}</span>
        {signed && <span className="tick-mid">0</span>}
        <span data-testid="colorbar-max">{formatValue(scale.hi)}</span>
      </div>
      <figcaption className="small">
        <span data-testid="colorbar-unit" className="unit">
          {unit}
        </span>{' '}
        · {signed ? 'signed' : 'unsigned'} ·{' '}
        <span data-testid="colorbar-raw-range">
          raw range {formatValue(raw.min)} … {formatValue(raw.max)}
        </span>
        {explanation.attributionRange && (
          <>
            {' '}
            · shown {formatValue(range.min)} … {formatValue(range.max)}
          </>
        )}
        <br />
        <span data-testid="colorbar-normalisation">
          Colour: {describeNormalisation(scale)}
          {display && <> · display steps: {display}</>}
        </span>
        {threshold > 0 && <> · hidden: |v| &lt; {formatValue(cut)}</>}
      </figcaption>
    </figure>
  );
}
