// Colormaps and the heatmap → RGBA mapping, shared by the renderer and the CLI's PNG overlay (pure:
// no Node, no DOM). Signed maps use a diverging map centred at 0 over ±L; unsigned maps use a
// perceptually uniform sequential map (viridis by default). Jet is an opt-in only.
// Anchors: matplotlib's viridis/inferno/cividis sampled at 10 even steps, ColorBrewer RdBu (9).

export type ColormapName = 'viridis' | 'inferno' | 'cividis' | 'rdbu' | 'jet';

type Rgb = [number, number, number];

function hex(list: string[]): Rgb[] {
  return list.map((h) => [Number.parseInt(h.slice(1, 3), 16), Number.parseInt(h.slice(3, 5), 16), Number.parseInt(h.slice(5, 7), 16)]);
}

const ANCHORS: Record<ColormapName, Rgb[]> = {
  viridis: hex(['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725']),
  inferno: hex(['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4']),
  cividis: hex(['#00224e', '#123570', '#3b496c', '#575d6d', '#707173', '#8a8779', '#a69d75', '#c4b56c', '#e4cf5b', '#fee838']),
  // blue (negative) → white (0) → red (positive)
  rdbu: hex(['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b']),
  jet: hex(['#000080', '#0000ff', '#0080ff', '#00ffff', '#80ff80', '#ffff00', '#ff8000', '#ff0000', '#800000']),
};

export const COLORMAPS: { name: ColormapName; label: string; diverging: boolean }[] = [
  { name: 'viridis', label: 'viridis', diverging: false },
  { name: 'inferno', label: 'inferno', diverging: false },
  { name: 'cividis', label: 'cividis', diverging: false },
  { name: 'rdbu', label: 'blue–white–red (signed)', diverging: true },
  { name: 'jet', label: 'jet (pytorch-grad-cam look)', diverging: false },
];

/** The colour at t ∈ [0, 1] (clamped), linearly interpolated between anchors. */
export function colorAt(name: ColormapName, t: number): Rgb {
  const anchors = ANCHORS[name];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (anchors.length - 1);
  const i = Math.min(anchors.length - 2, Math.floor(x));
  const f = x - i;
  const a = anchors[i];
  const b = anchors[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export interface HeatmapStyle {
  colormap: ColormapName;
  /** signed: the map spans [−L, L] centred at 0; unsigned: [min, max] */
  signed: boolean;
  /** the value range the colours span (for signed maps, L = max(|lo|, |hi|)) */
  range: { min: number; max: number };
  /** 0–1: values with |v| below threshold × max|v| are transparent */
  threshold: number;
  /** 0–1 alpha of visible heatmap pixels */
  opacity: number;
}

/** The normalisation a style applies, for the colour bar's label. */
export function colorScale(style: Pick<HeatmapStyle, 'signed' | 'range'>): { lo: number; hi: number } {
  if (style.signed) {
    const limit = Math.max(Math.abs(style.range.min), Math.abs(style.range.max)) || 1;
    return { lo: -limit, hi: limit };
  }
  const { min, max } = style.range;
  return max > min ? { lo: min, hi: max } : { lo: min, hi: min + 1 };
}

/** Maps an [H, W] heatmap to RGBA bytes (row-major, 4 per pixel). */
export function heatmapToRgba(values: Float32Array, style: HeatmapStyle): Uint8ClampedArray {
  const { lo, hi } = colorScale(style);
  const span = hi - lo;
  const magnitude = Math.max(Math.abs(style.range.min), Math.abs(style.range.max));
  const cutoff = style.threshold * magnitude;
  const alpha = Math.round(Math.min(1, Math.max(0, style.opacity)) * 255);
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const [r, g, b] = colorAt(style.colormap, (v - lo) / span);
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = Math.abs(v) < cutoff || !Number.isFinite(v) ? 0 : alpha;
  }
  return out;
}

export function defaultColormap(signed: boolean): ColormapName {
  return signed ? 'rdbu' : 'viridis';
}
