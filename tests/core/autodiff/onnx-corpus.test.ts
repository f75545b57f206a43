// Must show 3: the ONNX node-test corpus (Debian libonnx-testdata, 932 models in ONNX 1.12). For every
// model whose forward runs in onnxruntime-node, the gradient transform (score = Σ seed ⊙ every float
// output, with respect to every float input) either keeps the reference outputs and passes a central-
// difference gradient check (≤ 1e-2 relative; steps 1e-2…1e-5·rms in float32, 1e-4…1e-6·rms in
// float64; at the test data, or at a jittered point when the test data sit on a kink or a domain edge),
// or fails at transform time with a clear "Unsupported op X at node Y (opset Z)" / "Unsupported opset"
// error. Nothing is skipped: a missing corpus fails with the command that installs it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_FD, checkCorpusCase } from '../../helpers/corpus-check';
import { reportFigure } from '../../helpers/fixtures';
import { corpusCases, nodeCorpusDir, type CorpusOutcome } from '../../helpers/onnx-corpus';

const UNSUPPORTED_MESSAGE = /^Unsupported (op [\w.:]+ at node .+ \(opset \d+\): .+|opset \d+: .+)$/;

describe('ONNX node-test corpus through the gradient transform', () => {
  it('every model: forward kept after the transform, gradient checked, or a clear unsupported error', { timeout: 300_000 }, async () => {
    const dir = nodeCorpusDir();
    const cases = corpusCases(dir);
    expect(cases.length).toBeGreaterThan(900);
    const outcomes = new Map<string, CorpusOutcome>();
    for (const name of cases) outcomes.set(name, await checkCorpusCase(join(dir, name)));
    const of = <K extends CorpusOutcome['kind']>(kind: K) => [...outcomes].filter(([, o]) => o.kind === kind) as [string, Extract<CorpusOutcome, { kind: K }>][];

    const failed = of('failed').map(([n, o]) => `${n}: ${o.reason}`);
    const checked = of('checked');
    const wrongOutputs = [...checked, ...of('no-float-path')].filter(([, o]) => o.outputsAfterTransform !== 'match').map(([n]) => n);
    const badGradients = checked.filter(([, o]) => !(o.gradientError <= CORPUS_FD.tolerance)).map(([n, o]) => `${n}: ${o.gradientError} (${o.gradientCheck})`);
    const unclear = of('unsupported').filter(([, o]) => !UNSUPPORTED_MESSAGE.test(o.message)).map(([n, o]) => `${n}: ${o.message}`);

    const unsupportedOps = new Map<string, number>();
    for (const [, o] of of('unsupported')) {
      const key = /^Unsupported (op [\w.:]+|opset \d+)/.exec(o.message)?.[1] ?? o.message;
      unsupportedOps.set(key, (unsupportedOps.get(key) ?? 0) + 1);
    }
    const forwardRuns = cases.length - of('no-forward').length;
    reportFigure('corpus models', cases.length);
    reportFigure('corpus forward runs in onnxruntime-node', forwardRuns);
    reportFigure('corpus without a float input or output (not differentiable)', of('not-differentiable').length);
    reportFigure('corpus transformed, no float path from inputs to outputs', of('no-float-path').length);
    reportFigure('corpus transformed and gradient-checked', checked.length);
    reportFigure('corpus gradient-checked at the test data', checked.filter(([, o]) => o.gradientCheck.startsWith('test data')).length);
    reportFigure('corpus checked with the data input only (weights given as inputs)', checked.filter(([, o]) => o.wrt.length === 1).length);
    reportFigure('corpus unsupported (clear error)', of('unsupported').length);
    reportFigure('corpus unsupported by cause', [...unsupportedOps].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${v}`).join(', '));
    reportFigure('corpus worst gradient-check error', Math.max(0, ...checked.map(([, o]) => o.gradientError)));

    expect(failed).toEqual([]);
    expect(wrongOutputs).toEqual([]);
    expect(badGradients).toEqual([]);
    expect(unclear).toEqual([]);
    expect(checked.length).toBeGreaterThan(200);
  });
});
