// Number formatting for scores and raw attribution values: short, but never hiding sign or scale.

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

/** Probabilities as percentages; raw logits (activation "none") as plain numbers. */
export function formatScore(score: number, activation: 'softmax' | 'sigmoid' | 'none'): string {
  return activation === 'none' ? formatValue(score) : `${(score * 100).toFixed(1)}%`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}
