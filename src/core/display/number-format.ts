// Number formatting for raw attribution values and durations, shared by the viewer and the PDF
// report: short, but never hiding sign or scale.

export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Probabilities as percentages; raw logits (activation "none") as plain numbers. */
export function formatScore(score: number, activation: 'softmax' | 'sigmoid' | 'none'): string {
  return activation === 'none' ? formatValue(score) : `${(score * 100).toFixed(1)}%`;
}
