// What the crash-safety writer stores for case number i of run r, computed the same way by the
// writer (to store it) and by the test (to check it), so "intact" means equal value for value.
import type { AnnotationInput } from '../../src/api/case-schemas';
import type { Explanation } from '../../src/api/schemas';
import { syntheticExplanation } from './case-records';

export interface CrashCase {
  pseudonym: string;
  note: string;
  /** a 64×64 map: its float32 attribution spans many database pages */
  explanation: Explanation;
  annotations: AnnotationInput[];
  comment: string;
}

export function crashCase(run: number, index: number): CrashCase {
  const seed = run * 1000 + index;
  return {
    pseudonym: `CR-${run}-${index}`,
    note: `crash run ${run} case ${index}`,
    explanation: syntheticExplanation(64, 64, (r, c) => Math.sin(seed + r * 0.37 + c * 0.11)),
    annotations: [
      { id: `${seed}-box`, kind: 'rectangle', points: [[index, run], [index + 10, run + 12]], label: `box ${seed}`, note: '' },
      { id: `${seed}-poly`, kind: 'polygon', points: [[1, 1], [20, 3 + index], [9, 30]], label: 'outline', note: `note ${seed}` },
      { id: `${seed}-arrow`, kind: 'arrow', points: [[5, 5], [40, 40]], label: 'look here', note: '' },
    ],
    comment: `comment ${seed}`,
  };
}

/** The lines the writer prints after each returned write, in order. */
export const CRASH_STEPS = ['created', 'explained', 'annotated', 'reviewed'] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];
