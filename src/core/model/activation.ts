// The model card's output activation applied to logits (softmax, sigmoid or none): what the
// prediction panel shows and what faithfulness metrics score (the target's probability).
import { ApiError } from '../../api/contract';
import type { ModelInfo, Prediction } from '../../api/schemas';

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

/** The index of the largest value (the first of equal ones). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The `k` highest-scoring classes, best first (equal scores in class order), with their labels. */
export function topClasses(model: ModelInfo, scores: readonly number[], k = 5): Prediction['top'] {
  const order = [...scores.keys()].sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, Math.min(k, order.length)).map((index) => ({ index, label: model.labels[index] ?? `class ${index}`, score: scores[index] }));
}

/** Throws BAD_PARAMS when the model has no class `target`. */
export function checkTarget(model: ModelInfo, target: number): void {
  if (target >= model.numClasses) throw new ApiError('BAD_PARAMS', `Target class ${target} does not exist: the model has ${model.numClasses} classes (0–${model.numClasses - 1})`);
}
