// The transform's contract beyond single-op correctness: clear transform-time errors naming the op,
// node and opset (never a silent zero), differentiating only what the requested tensors and the
// score connect, rule overrides (deconvolution and guided-backprop Relu rules on a hand-checked
// model), MaxPool ties routed to the first maximum, per-image seeds in a batch, and the disk cache.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, GraphProtoSchema, ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { gradientModel, gradientModelKey } from '../../../src/core/autodiff/model-cache';
import { UnsupportedError } from '../../../src/core/autodiff/rule';
import { overrideRules, standardRuleSet } from '../../../src/core/autodiff/rules';
import { elementwiseRule } from '../../../src/core/autodiff/rules/shared/elementwise';
import { appendBackward, type TransformOptions } from '../../../src/core/autodiff/transform';
import { makeTempDir, sha256File } from '../../helpers/fixtures';
import { floatTensor, int64Tensor, intAttr, intsAttr, node, randomFloats, serialise, valueInfo, writeModel } from '../../helpers/onnx-builder';

function transform(bytes: Uint8Array, options: TransformOptions) {
  return appendBackward(fromBinary(ModelProtoSchema, bytes), options);
}

async function session(bytes: Uint8Array, options: TransformOptions) {
  const result = transform(bytes, options);
  return { result, session: await ort.InferenceSession.create(toBinary(ModelProtoSchema, result.model), { intraOpNumThreads: 1 }) };
}

const single = (op: string, opset = 13, attrs = [] as ReturnType<typeof intAttr>[], elemType = 1) =>
  serialise({
    inputs: [valueInfo('x', [2, 3], elemType)],
    outputs: [valueInfo('logits', [2, 3], elemType)],
    nodes: [{ ...node(op, ['x'], ['logits'], attrs), name: 'the_node' }],
    initializers: [],
    opset,
  });

describe('transform-time errors name the op, the node and the opset', () => {
  const expectUnsupported = (bytes: Uint8Array, pattern: RegExp) => {
    let error: unknown;
    try {
      transform(bytes, { wrt: ['x'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('an op without a rule', () => expectUnsupported(single('Sin'), /^Unsupported op Sin at node the_node \(opset 13\): no gradient rule/));
  it('an attribute the rule does not know', () => expectUnsupported(single('Softmax', 13, [intAttr('axis', 1), intAttr('future_flag', 1)]), /^Unsupported op Softmax at node the_node \(opset 13\): attribute "future_flag"/));
  it('an attribute value the rule does not handle', () => expectUnsupported(single('BatchNormalization', 15, [intAttr('training_mode', 1)]), /training_mode=1/));
  it('a dtype other than float32/float64', () => expectUnsupported(single('Relu', 13, [], 10), /^Unsupported op Relu at node the_node \(opset 13\): tensor "x" is float16/));
  it('an opset outside 11–21', () => expectUnsupported(single('Relu', 9), /^Unsupported opset 9/));
  it('a gradient through a non-data input (Conv weights given as an input)', () => {
    const bytes = serialise({
      inputs: [valueInfo('x', [1, 1, 4, 4]), valueInfo('w', [1, 1, 3, 3])],
      outputs: [valueInfo('logits', [1, 1, 2, 2])],
      nodes: [{ ...node('Conv', ['x', 'w'], ['logits']), name: 'conv' }],
      initializers: [],
      opset: 13,
    });
    expect(() => transform(bytes, { wrt: ['x', 'w'] })).toThrow(/^Unsupported op Conv at node conv \(opset 13\): no gradient with respect to input 1 \("w"\)/);
    expect(transform(bytes, { wrt: ['x'] }).stats.differentiatedNodes).toBe(1);
  });
  it('an op that reads the input only inside a subgraph (If) is refused, not skipped', () => {
    const branch = (op: string) =>
      create(AttributeProtoSchema, {
        name: op === 'Identity' ? 'then_branch' : 'else_branch',
        type: AttributeProto_AttributeType.GRAPH,
        g: create(GraphProtoSchema, { name: op, node: [node(op, ['x'], [`${op}_out`])], output: [valueInfo(`${op}_out`, [2, 3])] }),
      });
    const bytes = serialise({
      inputs: [valueInfo('x', [2, 3]), valueInfo('c', [], 9)],
      outputs: [valueInfo('logits', [2, 3])],
      nodes: [{ ...node('If', ['c'], ['logits'], [branch('Identity'), branch('Neg')]), name: 'choose' }],
      initializers: [],
      opset: 13,
    });
    expect(() => transform(bytes, { wrt: ['x'] })).toThrow(/^Unsupported op If at node choose \(opset 13\): no gradient rule/);
  });

  it('an unknown tensor name is a plain error, not a zero gradient', () => {
    expect(() => transform(single('Relu'), { wrt: ['nope'] })).toThrow(/No tensor named "nope"/);
  });
});

describe('what gets differentiated', () => {
  // x → Relu → a → Reshape → Mul W → layer → Sigmoid → logits; x → Tanh → side (another output);
  // the Reshape's target comes from a shape subgraph Shape(x) → Slice → Concat.
  const bytes = serialise({
    inputs: [valueInfo('x', ['N', 6])],
    outputs: [valueInfo('logits', ['N', 6]), valueInfo('side', ['N', 6])],
    nodes: [
      node('Relu', ['x'], ['a']),
      node('Shape', ['x'], ['shape']),
      node('Slice', ['shape', 'zero', 'one'], ['n']),
      node('Concat', ['n', 'six'], ['target'], [intAttr('axis', 0)]),
      node('Reshape', ['a', 'target'], ['a2']),
      node('Mul', ['a2', 'W'], ['layer']),
      node('Sigmoid', ['layer'], ['logits']),
      node('Tanh', ['x'], ['side']),
    ],
    initializers: [floatTensor('W', [6], randomFloats(6, 3)), int64Tensor('zero', [0]), int64Tensor('one', [1]), int64Tensor('six', [6])],
    opset: 13,
  });

  it('with respect to the input: the 4 float nodes on the path; the shape subgraph and the side branch are left alone', () => {
    const r = transform(bytes, { wrt: ['x'], batch: 2 });
    expect(r.stats.differentiatedNodes).toBe(4);
    expect(r.model.graph!.node.filter((n) => n.name.startsWith('sightline.bw/')).every((n) => n.opType !== 'Shape')).toBe(true);
    expect(r.inputShapes).toEqual({ x: [2, 6] });
  });

  it('with respect to a layer only: just the nodes after it, and the layer becomes an output', () => {
    const r = transform(bytes, { wrt: ['layer'], batch: 2 });
    expect(r.stats.differentiatedNodes).toBe(1);
    expect(r.activations).toEqual(['layer']);
    expect(r.gradients).toEqual({ layer: 'grad:layer' });
  });

  it('a tensor the score does not depend on gets an exact zero, and the values are right', async () => {
    const { result, session: s } = await session(bytes, { wrt: ['x', 'side'], batch: 2 });
    const x = Float32Array.from([0.5, -1, 2, 0.25, -0.3, 1.5, 1, 2, -3, 0.1, 0.2, -0.7]);
    const seed = randomFloats(12, 9);
    const out = await s.run({ x: new ort.Tensor('float32', x, [2, 6]), [result.seeds.logits]: new ort.Tensor('float32', seed, [2, 6]) });
    expect(Array.from(out['grad:side'].data as Float32Array)).toEqual(new Array(12).fill(0));
    const w = randomFloats(6, 3);
    const gx = out['grad:x'].data as Float32Array;
    for (let i = 0; i < 12; i++) {
      const pre = Math.max(x[i], 0) * w[i % 6];
      const s = 1 / (1 + Math.exp(-pre));
      expect(gx[i]).toBeCloseTo(seed[i] * s * (1 - s) * w[i % 6] * (x[i] > 0 ? 1 : 0), 6);
    }
    await s.release();
  });

  it('a batch specialised transform refuses another batch size with onnxruntime’s shape error', async () => {
    const { result, session: s } = await session(bytes, { wrt: ['x'], batch: 2 });
    await expect(s.run({ x: new ort.Tensor('float32', new Float32Array(18), [3, 6]), [result.seeds.logits]: new ort.Tensor('float32', new Float32Array(18), [3, 6]) })).rejects.toThrow(/dimensions/);
    await s.release();
  });
});

describe('rule overrides: a rule set replaces Relu’s rule without touching the engine', () => {
  // logits = Relu(x) @ W: standard gx = 1[x>0]·(W u); deconvolution gx = relu(W u); guided gx = 1[x>0]·relu(W u)
  const W = randomFloats(4 * 3, 21);
  const bytes = serialise({
    inputs: [valueInfo('x', [1, 4])],
    outputs: [valueInfo('logits', [1, 3])],
    nodes: [node('Relu', ['x'], ['r']), node('MatMul', ['r', 'W'], ['logits'])],
    initializers: [floatTensor('W', [4, 3], W)],
    opset: 13,
  });
  const deconvolution = overrideRules(standardRuleSet, 'deconvolution', [elementwiseRule(['Relu'], [], ({ ctx, g }) => ctx.op('Relu', [g]))]);
  const guided = overrideRules(standardRuleSet, 'guided-backprop', [
    elementwiseRule(['Relu'], [], ({ ctx, y, g, type }) => {
      const zero = ctx.scalar(0, type);
      return ctx.op('Where', [ctx.op('And', [ctx.op('Greater', [y, zero]), ctx.op('Greater', [g, zero])]), g, zero]);
    }),
  ]);
  const x = Float32Array.from([0.7, -0.4, 1.2, -2]);
  const u = Float32Array.from([1, -0.5, 0.25]);
  const wu = [0, 1, 2, 3].map((i) => W[i * 3] * u[0] + W[i * 3 + 1] * u[1] + W[i * 3 + 2] * u[2]);

  it.each([
    ['standard', standardRuleSet, (i: number) => (x[i] > 0 ? wu[i] : 0)],
    ['deconvolution', deconvolution, (i: number) => Math.max(wu[i], 0)],
    ['guided-backprop', guided, (i: number) => (x[i] > 0 ? Math.max(wu[i], 0) : 0)],
  ] as const)('%s', async (_name, ruleSet, expected) => {
    const { result, session: s } = await session(bytes, { wrt: ['x'], ruleSet });
    const out = await s.run({ x: new ort.Tensor('float32', x, [1, 4]), [result.seeds.logits]: new ort.Tensor('float32', u, [1, 3]) });
    const gx = out['grad:x'].data as Float32Array;
    for (let i = 0; i < 4; i++) expect(gx[i]).toBeCloseTo(expected(i), 6);
    await s.release();
  });

  it('the sets differ in their cache keys', () => {
    const spec = { modelPath: 'm.onnx', sha256: 'abc', wrt: ['x'], batch: 1 };
    expect(gradientModelKey({ ...spec, ruleSet: deconvolution })).not.toBe(gradientModelKey(spec));
    expect(gradientModelKey({ ...spec, ruleSet: guided })).not.toBe(gradientModelKey({ ...spec, ruleSet: deconvolution }));
  });
});

describe('MaxPool ties go to the first maximum in row-major window order (torch and onnxruntime Indices)', () => {
  it('k3 s2 p1 ceil_mode over integer data full of ties, against a direct computation', async () => {
    const [H, W] = [7, 8];
    const attrs = [intsAttr('kernel_shape', [3, 3]), intsAttr('strides', [2, 2]), intsAttr('pads', [1, 1, 1, 1]), intAttr('ceil_mode', 1)];
    // ceil_mode: rows ceil((7 + 2 − 3)/2) + 1 = 4, columns ceil((8 + 2 − 3)/2) + 1 = 5
    const [Ho, Wo] = [4, 5];
    const bytes = serialise({ inputs: [valueInfo('x', [1, 1, H, W])], outputs: [valueInfo('y', [1, 1, Ho, Wo])], nodes: [node('MaxPool', ['x'], ['y'], attrs)], initializers: [], opset: 13 });
    const x = Float32Array.from({ length: H * W }, (_, i) => (i * 7) % 3);
    const seed = Float32Array.from({ length: Ho * Wo }, (_, i) => i + 1);
    const { result, session: s } = await session(bytes, { wrt: ['x'] });
    const out = await s.run({ x: new ort.Tensor('float32', x, [1, 1, H, W]), [result.seeds.y]: new ort.Tensor('float32', seed, [1, 1, Ho, Wo]) });
    const expected = new Float32Array(H * W);
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++) {
        let best = -1;
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const [py, px] = [oy * 2 + ky - 1, ox * 2 + kx - 1];
            if (py < 0 || py >= H || px < 0 || px >= W) continue;
            if (best < 0 || x[py * W + px] > x[best]) best = py * W + px;
          }
        expected[best] += seed[oy * Wo + ox];
      }
    expect(Array.from(out['grad:x'].data as Float32Array)).toEqual(Array.from(expected));
    await s.release();
  });
});

describe('transformed models are cached on disk by (model SHA-256, options)', () => {
  const tmp = makeTempDir('sightline-cache-test-');
  const previous = process.env.SIGHTLINE_CACHE_DIR;
  afterAll(() => {
    if (previous === undefined) delete process.env.SIGHTLINE_CACHE_DIR;
    else process.env.SIGHTLINE_CACHE_DIR = previous;
    tmp.cleanup();
  });

  it('the second request reads the cache under SIGHTLINE_CACHE_DIR; another batch is another entry', async () => {
    process.env.SIGHTLINE_CACHE_DIR = tmp.dir;
    const model = serialise({ inputs: [valueInfo('x', ['N', 3])], outputs: [valueInfo('logits', ['N', 3])], nodes: [node('Tanh', ['x'], ['logits'])], initializers: [], opset: 13 });
    const path = writeModel(tmp.dir, 'tiny', model);
    const spec = { modelPath: path, sha256: sha256File(path), wrt: ['x'], batch: 2 };
    const first = await gradientModel(spec);
    const second = await gradientModel(spec);
    const other = await gradientModel({ ...spec, batch: 5 });
    expect(first.fromCache).toBe(false);
    expect(second.fromCache).toBe(true);
    expect(second.path).toBe(first.path);
    expect(first.path.startsWith(tmp.dir)).toBe(true);
    expect(other.path).not.toBe(first.path);
    await expect(gradientModel({ ...spec, sha256: 'f'.repeat(64), batch: 3 })).rejects.toThrow(/changed on disk/);
    const s = await ort.InferenceSession.create(second.path);
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([0, 1, -1, 2, 0.5, -0.5]), [2, 3]), seed: new ort.Tensor('float32', new Float32Array(6).fill(1), [2, 3]) });
    expect((out['grad:x'].data as Float32Array)[1]).toBeCloseTo(1 - Math.tanh(1) ** 2, 6);
    await s.release();
  });

  it('a probability score (softmax of the logits) differentiates through the appended Softmax', async () => {
    const bytes = serialise({ inputs: [valueInfo('x', [1, 3])], outputs: [valueInfo('logits', [1, 3])], nodes: [node('Mul', ['x', 'two'], ['logits'])], initializers: [floatTensor('two', [], Float32Array.from([2]))], opset: 13 });
    const { result, session: s } = await session(bytes, { wrt: ['x'], scoreActivation: 'softmax' });
    const x = Float32Array.from([0.1, 0.5, -0.2]);
    const out = await s.run({ x: new ort.Tensor('float32', x, [1, 3]), [result.seeds.logits]: new ort.Tensor('float32', Float32Array.from([0, 1, 0]), [1, 3]) });
    const e = [...x].map((v) => Math.exp(2 * v));
    const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    const gx = out['grad:x'].data as Float32Array;
    for (let i = 0; i < 3; i++) expect(gx[i]).toBeCloseTo(2 * p[1] * ((i === 1 ? 1 : 0) - p[i]), 6);
    await s.release();
  });
});
