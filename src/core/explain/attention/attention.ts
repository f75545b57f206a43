// Attention maps: every layer's and head's attention from the class token to the patch tokens, read
// from the graph's attention Softmax outputs — raw [layers, heads, gh, gw]. The display shows one
// layer (default the last: "the last layer's class-token attention") and one head or their mean.
import { ApiError } from '../../../api/contract';
import type { DisplayStep, ExplainContext, ExplainOutput, Explainer } from '../types';
import { attentionMaps, patchRow, type AttentionMaps } from './attention-tensors';

const ATTENTION_DISPLAY_PARAMS = [
  { name: 'layer', kind: 'int' as const, default: -1, min: -64, max: 63, description: 'layer shown (0 = first; negative counts from the last, −1 = last)' },
  { name: 'head', kind: 'number-or-enum' as const, default: 'mean', options: ['mean'], description: 'head shown (0-based) or mean over heads' },
];

/** The class token's row (the first prefix token) over the patches, per layer and head: [L, H, gh, gw]. */
function classTokenAttention(attention: AttentionMaps): Float32Array {
  const { layers, maps, layout } = attention;
  if (layout.prefixTokens < 1) throw new ApiError('BAD_MODEL', 'The model has no class token (no prefix tokens before the patches), so there is no class-token attention');
  const tokens = layers[0].tokens;
  const patches = layout.grid[0] * layout.grid[1];
  const out = new Float32Array(layers.length * layers[0].heads * patches);
  layers.forEach((l, i) => {
    for (let h = 0; h < l.heads; h++) out.set(patchRow(maps[i].subarray(h * tokens * tokens, (h + 1) * tokens * tokens), tokens, 0, layout), (i * l.heads + h) * patches);
  });
  return out;
}

function attentionDisplay(ctx: ExplainContext, layerCount: number, heads: number): DisplayStep[] {
  const layer = Number(ctx.params.layer ?? -1);
  const index = layer < 0 ? layerCount + layer : layer;
  if (!(index >= 0 && index < layerCount)) throw new ApiError('BAD_PARAMS', `attention: layer ${layer} does not exist (the model has ${layerCount} attention layers)`);
  const head = ctx.params.head ?? 'mean';
  if (head !== 'mean' && !(Number.isInteger(head) && Number(head) >= 0 && Number(head) < heads)) throw new ApiError('BAD_PARAMS', `attention: head ${String(head)} does not exist (${heads} heads; or mean)`);
  const { height, width } = ctx.model.preprocessing;
  return [
    { op: 'select', args: { index: [index, head] } },
    { op: 'resize', args: { height, width, mode: 'bilinear' } },
  ];
}

export const attention: Explainer = {
  info: {
    id: 'attention',
    label: 'Attention (class token)',
    family: 'attention',
    needs: 'gradient',
    output: {
      shape: '[layers, heads, gh, gw]',
      meaning: 'attention probability from the class token to each patch, per layer and head (each row of the attention sums to 1 over all tokens)',
      signed: false,
      unit: 'attention probability',
    },
    reference: 'the attention Softmax outputs of the graph (as timm\'s attn_drop input); Dosovitskiy et al. 2021',
    params: ATTENTION_DISPLAY_PARAMS,
  },
  async run(ctx: ExplainContext): Promise<ExplainOutput> {
    const maps = await attentionMaps(ctx, 'attention');
    const [layers, heads] = [maps.layers.length, maps.layers[0].heads];
    const [gh, gw] = maps.layout.grid;
    return {
      attribution: { shape: [layers, heads, gh, gw], data: classTokenAttention(maps) },
      evaluations: 1,
      display: attentionDisplay(ctx, layers, heads),
      provider: maps.provider,
      stats: { layers, heads, tokens: maps.layers[0].tokens, prefixTokens: maps.layout.prefixTokens, grid: `${gh}×${gw}`, tensors: maps.layers.map((l) => l.tensor).join(', ') },
    };
  },
};
