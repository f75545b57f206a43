// Number formatting for scores and raw attribution values: short, but never hiding sign or scale.
// The value, score and duration formats live in core, shared with the PDF report.
export { formatDuration, formatScore, formatValue } from '../../core/display/number-format';

export function formatShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(', ')}]`;
}
