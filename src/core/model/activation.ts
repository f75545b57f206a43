// The model card's output activation applied to logits (softmax, sigmoid or none): what the
// prediction panel shows and what faithfulness metrics score (the target's probability).
import type { ModelInfo } from '../../api/schemas';

export function activate(logits: ArrayLike<number>, activation: ModelInfo['activation']): number[] {
  const values = Array.from(logits);
  if (activation === 'sigmoid') return values.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation === 'none') return values;
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The target class's activated score (probability under softmax or sigmoid). */
export function targetScore(logits: ArrayLike<number>, target: number, activation: ModelInfo['activation']): number {
  return activate(logits, activation)[target];
}
