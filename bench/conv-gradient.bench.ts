// Conv data gradient, ConvTranspose (A) vs flipped-weight Conv (B), per layer shape seen in the
// fixture models, batch 1 and 8, CPU: the evidence behind rules/conv.ts's choice. Time = one run of
// forward Conv + data gradient; medians of interleaved runs. Options: --threads N, --runs N.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { defaultConvGradientMethod } from '../src/core/autodiff/rules/conv';
import { overrideRules, standardRuleSet } from '../src/core/autodiff/rules';
import { convRuleWith, type ConvGradientMethod } from '../src/core/autodiff/rules/shared/conv-gradient';
import { appendBackward } from '../src/core/autodiff/transform';
import { floatTensor, intAttr, intsAttr, node, randomFloats, serialise, valueInfo } from '../tests/helpers/onnx-builder';
import { option } from './bench-args';

interface Layer {
  name: string;
  channels: number;
  out: number;
  size: number;
  kernel: number;
  stride: number;
  group: number;
}

const LAYERS: Layer[] = [
  { name: 'stem 7×7 s2 (resnet)', channels: 3, out: 64, size: 224, kernel: 7, stride: 2, group: 1 },
  { name: 'dense 3×3 s1 (resnet)', channels: 64, out: 64, size: 56, kernel: 3, stride: 1, group: 1 },
  { name: 'dense 3×3 s2 (resnet)', channels: 64, out: 128, size: 56, kernel: 3, stride: 2, group: 1 },
  { name: 'dense 3×3 s1, 7×7 map', channels: 256, out: 256, size: 14, kernel: 3, stride: 1, group: 1 },
  { name: 'pointwise 1×1 s1', channels: 96, out: 24, size: 56, kernel: 1, stride: 1, group: 1 },
  { name: 'depthwise 3×3 s1 (mobilenet)', channels: 96, out: 96, size: 56, kernel: 3, stride: 1, group: 96 },
  { name: 'depthwise 3×3 s2 (mobilenet)', channels: 96, out: 96, size: 56, kernel: 3, stride: 2, group: 96 },
  { name: 'depthwise 5×5 s1 (efficientnet)', channels: 120, out: 120, size: 28, kernel: 5, stride: 1, group: 120 },
  { name: 'depthwise 7×7 s1 (convnext)', channels: 64, out: 64, size: 28, kernel: 7, stride: 1, group: 64 },
  { name: 'grouped 3×3 s1, 4 groups', channels: 64, out: 64, size: 28, kernel: 3, stride: 1, group: 4 },
];

function convModel(l: Layer, batch: number): Uint8Array {
  const pad = Math.floor(l.kernel / 2);
  const outSize = Math.floor((l.size + 2 * pad - l.kernel) / l.stride) + 1;
  const w = randomFloats(l.out * (l.channels / l.group) * l.kernel * l.kernel, 5);
  return serialise({
    inputs: [valueInfo('x', [batch, l.channels, l.size, l.size])],
    outputs: [valueInfo('y', [batch, l.out, outSize, outSize])],
    nodes: [node('Conv', ['x', 'W'], ['y'], [intsAttr('kernel_shape', [l.kernel, l.kernel]), intsAttr('strides', [l.stride, l.stride]), intsAttr('pads', [pad, pad, pad, pad]), intAttr('group', l.group)])],
    initializers: [floatTensor('W', [l.out, l.channels / l.group, l.kernel, l.kernel], w)],
    opset: 13,
  });
}

async function timeMethod(bytes: Uint8Array, method: ConvGradientMethod, threads: number): Promise<{ session: ort.InferenceSession; seed: string }> {
  const ruleSet = overrideRules(standardRuleSet, method, [convRuleWith(() => method)]);
  const result = appendBackward(fromBinary(ModelProtoSchema, bytes), { wrt: ['x'], ruleSet });
  const session = await ort.InferenceSession.create(toBinary(ModelProtoSchema, result.model), { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  return { session, seed: result.seeds.y };
}

export async function run(args: string[]): Promise<void> {
  const threads = Number(option(args, 'threads', '1'));
  const runs = Number(option(args, 'runs', '7'));
  console.log(`forward Conv + data gradient, ms (median of ${runs}), intra-op threads ${threads}; chosen = rules/conv.ts's choice`);
  console.log(['layer', 'batch', 'A ConvTranspose', 'B flipped Conv', 'faster', 'chosen'].join(' | '));
  for (const layer of LAYERS) {
    for (const batch of [1, 8]) {
      const bytes = convModel(layer, batch);
      const model = fromBinary(ModelProtoSchema, bytes);
      const yDims = model.graph!.output[0].type!.value.value as { shape: { dim: { value: { value: bigint } }[] } };
      const ySize = yDims.shape.dim.reduce((a, d) => a * Number(d.value.value), 1);
      const x = new ort.Tensor('float32', randomFloats(batch * layer.channels * layer.size * layer.size, 1), [batch, layer.channels, layer.size, layer.size]);
      const seedData = randomFloats(ySize, 2);
      const methods: ConvGradientMethod[] = ['conv-transpose', 'flipped-conv'];
      const sessions = await Promise.all(methods.map((m) => timeMethod(bytes, m, threads)));
      const times: number[][] = methods.map(() => []);
      for (let r = 0; r < runs + 1; r++) {
        for (let k = 0; k < methods.length; k++) {
          const { session, seed } = sessions[k];
          const started = performance.now();
          await session.run({ x, [seed]: new ort.Tensor('float32', seedData, yDims.shape.dim.map((d) => Number(d.value.value))) });
          if (r > 0) times[k].push(performance.now() - started);
        }
      }
      const medians = times.map((t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]);
      const chosen = defaultConvGradientMethod({ geometry: { kernel: [layer.kernel, layer.kernel], strides: [layer.stride, layer.stride], dilations: [1, 1], pads: [0, 0, 0, 0] }, group: layer.group, inputShape: [batch, layer.channels, layer.size, layer.size], weightShape: [layer.out, layer.channels / layer.group, layer.kernel, layer.kernel] });
      console.log([layer.name, batch, medians[0].toFixed(2), medians[1].toFixed(2), medians[0] <= medians[1] ? 'A' : 'B', chosen === 'conv-transpose' ? 'A' : 'B'].join(' | '));
      for (const s of sessions) await s.session.release();
    }
  }
}
