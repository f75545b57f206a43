// The registry of VJP rules: op type → rule, as named rule sets. The standard set is plain
// reverse-mode differentiation; an explainer derives its own set by replacing rules (guided
// backprop and deconvolution replace Relu's, LRP will replace Conv/Gemm's) without touching the engine.
import type { VjpRule } from '../rule';
import { absRule } from './abs';
import { addRule } from './add';
import { averagePoolRule } from './average-pool';
import { batchNormalizationRule } from './batch-normalization';
import { castRule } from './cast';
import { clipRule } from './clip';
import { concatRule } from './concat';
import { convRule } from './conv';
import { convTransposeRule } from './conv-transpose';
import { divRule } from './div';
import { eluRule } from './elu';
import { erfRule } from './erf';
import { expRule } from './exp';
import { expandRule } from './expand';
import { gatherRule } from './gather';
import { gemmRule } from './gemm';
import { globalAveragePoolRule } from './global-average-pool';
import { globalMaxPoolRule } from './global-max-pool';
import { hardSigmoidRule } from './hard-sigmoid';
import { hardSwishRule } from './hard-swish';
import { identityRule } from './identity';
import { layerNormalizationRule } from './layer-normalization';
import { leakyReluRule } from './leaky-relu';
import { logRule } from './log';
import { logSoftmaxRule } from './log-softmax';
import { matmulRule } from './matmul';
import { maxPoolRule } from './max-pool';
import { mulRule } from './mul';
import { negRule } from './neg';
import { padRule } from './pad';
import { piecewiseConstantRule } from './piecewise-constant';
import { powRule } from './pow';
import { preluRule } from './prelu';
import { reciprocalRule } from './reciprocal';
import { reduceL1Rule } from './reduce-l1';
import { reduceL2Rule } from './reduce-l2';
import { reduceLogSumRule } from './reduce-log-sum';
import { reduceLogSumExpRule } from './reduce-log-sum-exp';
import { reduceMaxRule } from './reduce-max';
import { reduceMeanRule } from './reduce-mean';
import { reduceSumRule } from './reduce-sum';
import { reduceSumSquareRule } from './reduce-sum-square';
import { reluRule } from './relu';
import { reshapeRule } from './reshape';
import { sigmoidRule } from './sigmoid';
import { sliceRule } from './slice';
import { softmaxRule } from './softmax';
import { softplusRule } from './softplus';
import { softsignRule } from './softsign';
import { splitRule } from './split';
import { sqrtRule } from './sqrt';
import { subRule } from './sub';
import { sumRule } from './sum';
import { tanhRule } from './tanh';
import { tileRule } from './tile';
import { transposeRule } from './transpose';
import { whereRule } from './where';
export interface RuleSet {
  /** names the set in cache keys and messages ('standard', 'guided-backprop', …) */
  id: string;
  rules: ReadonlyMap<string, VjpRule>;
}

export function makeRuleSet(id: string, rules: readonly VjpRule[]): RuleSet {
  const map = new Map<string, VjpRule>();
  for (const rule of rules) {
    for (const op of rule.opTypes) {
      if (map.has(op)) throw new Error(`Rule set ${id}: two rules for ${op}`);
      map.set(op, rule);
    }
  }
  return { id, rules: map };
}

/** A new set: `base` with the op types of `overrides` answered by those rules instead. */
export function overrideRules(base: RuleSet, id: string, overrides: readonly VjpRule[]): RuleSet {
  const map = new Map(base.rules);
  for (const rule of overrides) for (const op of rule.opTypes) map.set(op, rule);
  return { id, rules: map };
}

const STANDARD_RULES: readonly VjpRule[] = [
  absRule, addRule, averagePoolRule, batchNormalizationRule, castRule, clipRule, concatRule, convRule, convTransposeRule, divRule,
  eluRule, erfRule, expRule, expandRule, gatherRule, gemmRule, globalAveragePoolRule, globalMaxPoolRule, hardSigmoidRule,
  hardSwishRule, identityRule, layerNormalizationRule, leakyReluRule, logRule, logSoftmaxRule, matmulRule, maxPoolRule, mulRule,
  negRule, padRule, piecewiseConstantRule, powRule, preluRule, reciprocalRule, reduceL1Rule, reduceL2Rule, reduceLogSumExpRule,
  reduceLogSumRule, reduceMaxRule, reduceMeanRule, reduceSumRule, reduceSumSquareRule, reluRule, reshapeRule, sigmoidRule,
  sliceRule, softmaxRule, softplusRule, softsignRule, splitRule, sqrtRule, subRule, sumRule, tanhRule, tileRule, transposeRule,
  whereRule,
];

export const standardRuleSet: RuleSet = makeRuleSet('standard', STANDARD_RULES);
