import { describe, expect, it } from 'vitest';
import type { MethodInfo, ParamSpec } from '../../src/api/schemas';
import { buildParams, defaultParamTexts, parseParamText } from '../../src/renderer/src/params';

const spec = (over: Partial<ParamSpec>): ParamSpec => ({ name: 'p', kind: 'int', default: null, description: '', ...over });

const occlusion: MethodInfo = {
  id: 'occlusion',
  label: 'Occlusion',
  family: 'perturbation',
  needs: 'forward',
  output: { shape: '[H, W]', meaning: 'drop in the target logit', signed: true, unit: 'Δ logit' },
  reference: '',
  params: [
    spec({ name: 'window', kind: 'int-list', default: [3, 16, 16] }),
    spec({ name: 'baseline', kind: 'number-or-enum', default: 'mean', options: ['mean', 'zero', 'blur'] }),
    spec({ name: 'mode', kind: 'enum', default: 'a', options: ['a', 'b'] }),
    spec({ name: 'batch', kind: 'int', default: 32, min: 1 }),
  ],
};

describe('method parameter texts', () => {
  it('formats defaults as editable text', () => {
    expect(defaultParamTexts(occlusion)).toEqual({ window: '3,16,16', baseline: 'mean', mode: 'a', batch: '32' });
  });

  it('parses each kind', () => {
    expect(parseParamText(spec({ kind: 'int-list' }), '3, 8 ,8')).toEqual({ ok: true, value: [3, 8, 8] });
    expect(parseParamText(spec({ kind: 'number-or-enum', options: ['mean'] }), 'mean')).toEqual({ ok: true, value: 'mean' });
    expect(parseParamText(spec({ kind: 'number-or-enum', options: ['mean'] }), '0.25')).toEqual({ ok: true, value: 0.25 });
    expect(parseParamText(spec({ kind: 'number' }), '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(parseParamText(spec({ kind: 'int' }), '')).toEqual({ ok: true, value: undefined });
  });

  it('rejects bad text with a message naming the parameter', () => {
    expect(parseParamText(spec({ name: 'steps', kind: 'int' }), '2.5')).toEqual({ ok: false, error: 'steps must be an integer' });
    expect(parseParamText(spec({ name: 'steps', kind: 'int', min: 1 }), '0')).toEqual({ ok: false, error: 'steps must be ≥ 1' });
    expect(parseParamText(spec({ name: 'w', kind: 'int-list' }), '3,a')).toMatchObject({ ok: false });
    expect(parseParamText(spec({ name: 'm', kind: 'enum', options: ['a'] }), 'z')).toMatchObject({ ok: false });
  });

  it('builds request params and collects errors', () => {
    expect(buildParams(occlusion, { window: '1,4,4', batch: '' })).toEqual({
      params: { window: [1, 4, 4], baseline: 'mean', mode: 'a' },
      errors: [],
    });
    expect(buildParams(occlusion, { batch: 'x' }).errors).toEqual(['batch must be a number']);
  });
});
