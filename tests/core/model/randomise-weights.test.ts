// Re-initialising layers in the ONNX graph (the randomisation sanity check's model rewrite): the
// demo CNN's and demo ViT's parametrised layers in forward order, and a rewrite that changes only
// the chosen layers' initializers — seeded, with the original spread, everything else byte-identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensor } from '../../../src/core/autodiff/onnx/tensor';
import { repoDemoDir } from '../../../src/core/demo/demo-assets';
import { decodeModel, parametrisedLayers, randomisedModel } from '../../../src/core/model/randomise-weights';

const cnnBytes = new Uint8Array(readFileSync(join(repoDemoDir(), 'models', 'demo-cnn.onnx')));

function initializers(bytes: Uint8Array): Map<string, number[]> {
  return new Map(decodeModel(bytes).graph!.initializer.map((t) => [t.name, decodeTensor(t).data]));
}

const std = (values: number[]) => {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
};

describe('parametrised layers', () => {
  it('lists the demo CNN’s five convolutions and its classifier in forward order, each with weight and bias', () => {
    const layers = parametrisedLayers(decodeModel(cnnBytes));
    expect(layers.map((l) => `${l.opType} ${l.name}`)).toEqual(['Conv features.0', 'Conv features.3', 'Conv features.6', 'Conv features.9', 'Conv features.11', 'Gemm classifier']);
    expect(layers[5].initializers).toEqual(['classifier.weight', 'classifier.bias']);
  });

  it('gives each of the demo ViT’s linear layers its MatMul weight and the bias of the Add after it', () => {
    const layers = parametrisedLayers(decodeModel(new Uint8Array(readFileSync(join(repoDemoDir(), 'models', 'demo-vit.onnx')))));
    expect(layers.map((l) => l.name)).toEqual([
      'patch_embed', 'cls_token', 'pos_embed',
      ...[0, 1, 2].flatMap((b) => ['attn.qkv', 'attn.proj', 'mlp.0', 'mlp.2'].map((part) => `blocks.${b}.${part}`)),
      'head',
    ]);
    const qkv = layers.find((l) => l.name === 'blocks.0.attn.qkv')!;
    expect(qkv.opType).toBe('MatMul');
    expect(qkv.initializers).toEqual([expect.stringMatching(/^onnx::MatMul_/), 'blocks.0.attn.qkv.bias']);
  });
});

describe('randomised model', () => {
  const layers = parametrisedLayers(decodeModel(cnnBytes));
  const top = layers.slice(-2);
  const original = initializers(cnnBytes);
  const randomised = initializers(randomisedModel(cnnBytes, top, 7));

  it('re-initialises only the chosen layers, with the original spread (truncated at 2σ)', () => {
    for (const [name, values] of original) {
      const changed = top.some((l) => l.initializers.includes(name));
      const now = randomised.get(name)!;
      expect(now.length).toBe(values.length);
      if (!changed) {
        expect(now).toEqual(values);
        continue;
      }
      expect(now).not.toEqual(values);
      const sigma = std(values);
      expect(Math.max(...now.map(Math.abs))).toBeLessThanOrEqual(2 * sigma * (1 + 1e-6));
      if (values.length >= 64) expect(std(now) / sigma).toBeGreaterThan(0.7);
    }
  });

  it('is reproducible from the seed and differs with another seed', () => {
    expect(randomisedModel(cnnBytes, top, 7)).toEqual(randomisedModel(cnnBytes, top, 7));
    expect(initializers(randomisedModel(cnnBytes, top, 8)).get('classifier.weight')).not.toEqual(randomised.get('classifier.weight'));
  });
});
