// Must show 1: a gradient check for every registered VJP rule, on small graphs covering each rule's
// attributes and opset forms. Linear/affine graphs: the exact adjoint test ⟨f(v) − f(0), u⟩ = ⟨v, Jᵀu⟩,
// relative error ≤ 1e-5 (float32 rounding only). Nonlinear graphs: float32 central differences with step
// h = 1e-2·rms(x) along 3 random directions, inputs kept ≥ 0.05 (or 0.1, or a whole integer for
// MaxPool ties) away from kinks so no step crosses one, passing at ≤ 1e-2 relative (truncation O(h²) and
// float32 cancellation ~1e-7·|f|/h both stay well below that).
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { overrideRules, standardRuleSet } from '../../../src/core/autodiff/rules';
import { convRuleWith } from '../../../src/core/autodiff/rules/shared/conv-gradient';
import { elementwiseRule } from '../../../src/core/autodiff/rules/shared/elementwise';
import { reportFigure } from '../../helpers/fixtures';
import { GradCheck } from '../../helpers/gradcheck';
import { buildCase, inputData, VJP_CASES, type VjpCase } from '../../helpers/vjp-cases';

const ADJOINT_TOLERANCE = 1e-5;
const FD_STEP = 1e-2;
const FD_TOLERANCE = 1e-2;

async function openCase(c: VjpCase, ruleSet = standardRuleSet): Promise<GradCheck> {
  const bytes = buildCase(c);
  const feeds = Object.fromEntries(Object.entries(c.inputs).map(([name, spec], k) => [name, new ort.Tensor('float32', inputData(spec, 7 + k), spec.dims)]));
  return GradCheck.open(bytes, feeds, { [c.output.name]: { dims: c.output.dims, type: 'float32' } }, { ruleSet });
}

const covered = new Set(VJP_CASES.flatMap((c) => c.nodes.map((n) => n.opType)));
const worst = { adjoint: 0, fd: 0 };

describe('gradient checks of every registered VJP rule', () => {
  it('every op type in the standard rule set has at least one case', () => {
    const missing = [...standardRuleSet.rules.keys()].filter((op) => !covered.has(op));
    expect(missing).toEqual([]);
  });

  for (const c of VJP_CASES) {
    it(`${c.name} (${c.check === 'adjoint' ? 'adjoint test' : 'central differences'})`, async () => {
      const check = await openCase(c);
      try {
        // the transform really differentiated the graph
        expect(check.transform.stats.backwardNodes).toBeGreaterThan(0);
        if (c.check === 'adjoint') {
          const error = await check.adjoint(3);
          worst.adjoint = Math.max(worst.adjoint, error);
          expect(error).toBeLessThanOrEqual(ADJOINT_TOLERANCE);
        } else {
          const error = await check.finiteDifference(FD_STEP, 3);
          worst.fd = Math.max(worst.fd, error);
          expect(error).toBeLessThanOrEqual(FD_TOLERANCE);
        }
      } finally {
        await check.release();
      }
    });
  }

  // Conv's data gradient has two implementations (rules/conv.ts picks per layer): check both everywhere
  for (const method of ['conv-transpose', 'flipped-conv'] as const) {
    const forced = overrideRules(standardRuleSet, method, [convRuleWith(() => method)]);
    it.each(VJP_CASES.filter((c) => c.nodes.some((n) => n.opType === 'Conv')).map((c) => [c.name, c] as const))(`%s with the ${method} gradient (adjoint test)`, async (_name, c) => {
      const check = await openCase(c, forced);
      try {
        expect(await check.adjoint(3)).toBeLessThanOrEqual(ADJOINT_TOLERANCE);
      } finally {
        await check.release();
      }
    });
  }

  it('the checks catch wrong rules: Sigmoid without its (1 − y) factor, Relu masked on x ≥ −0.5', async () => {
    const wrongSigmoid = elementwiseRule(['Sigmoid'], [], ({ ctx, y, g }) => ctx.op('Mul', [g, y]));
    const sigmoidCase = VJP_CASES.find((c) => c.name === 'Sigmoid')!;
    const sigmoid = await openCase(sigmoidCase, overrideRules(standardRuleSet, 'wrong-sigmoid', [wrongSigmoid]));
    const leakyMask = elementwiseRule(['Relu'], [], ({ ctx, x, g, type }) => ctx.op('Where', [ctx.op('Greater', [x, ctx.scalar(-0.5, type)]), g, ctx.scalar(0, type)]));
    const reluCase = VJP_CASES.find((c) => c.name === 'Relu')!;
    const relu = await openCase(reluCase, overrideRules(standardRuleSet, 'wrong-relu', [leakyMask]));
    try {
      expect(await sigmoid.finiteDifference(FD_STEP, 3)).toBeGreaterThan(0.1);
      expect(await relu.finiteDifference(FD_STEP, 3)).toBeGreaterThan(0.1);
    } finally {
      await sigmoid.release();
      await relu.release();
    }
  });
});

afterAll(() => {
  reportFigure('vjp cases', VJP_CASES.length);
  reportFigure('vjp worst adjoint relative error', worst.adjoint);
  reportFigure('vjp worst central-difference relative error', worst.fd);
});
