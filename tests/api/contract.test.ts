// The contract: validated() checks inputs (BAD_PARAMS naming the field) and outputs (INTERNAL), and
// ApiError.from maps anything thrown to an api error code.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, formatZodError, isProcedureName, procedureNames, validated, type SightlineImpl } from '../../src/api/contract';
import { DISCLAIMER, type AppInfo, type ModelInfo } from '../../src/api/schemas';

const MODEL_INFO: ModelInfo = {
  id: 'abc',
  path: '/m.onnx',
  name: 'm',
  sha256: 'abc',
  opset: 13,
  inputName: 'input',
  inputShape: [-1, 3, 8, 8],
  dynamicBatch: true,
  outputName: 'logits',
  numClasses: 2,
  labels: ['a', 'b'],
  activation: 'softmax',
  preprocessing: { layout: 'NCHW', channels: 3, height: 8, width: 8, channelOrder: 'RGB', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], colorToGray: null, resize: 'stretch' },
  targetLayer: null,
  cardSource: 'defaults',
  warnings: [],
};

/** A fake implementation that records what it was called with. */
function fakeImpl(overrides: Partial<Record<keyof SightlineImpl, (input: unknown) => Promise<unknown>>> = {}) {
  const calls: { name: string; input: unknown }[] = [];
  const record = (name: keyof SightlineImpl, fallback: () => unknown) => async (input: unknown) => {
    calls.push({ name, input });
    return overrides[name] ? overrides[name]!(input) : fallback();
  };
  const impl = {
    info: record('info', (): AppInfo => ({ name: 'Sightline', version: '0.1.0', disclaimer: DISCLAIMER, transport: 'cli' })),
    methods: record('methods', () => []),
    openModel: record('openModel', () => MODEL_INFO),
    openInput: record('openInput', () => ({})),
    predict: record('predict', () => ({})),
    explain: record('explain', () => ({})),
  } as unknown as SightlineImpl;
  return { api: validated(impl), calls };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('validated(): inputs', () => {
  it('exposes every procedure', () => {
    expect(procedureNames).toEqual(expect.arrayContaining(['info', 'methods', 'openModel', 'openInput', 'predict', 'explain']));
    expect(isProcedureName('explain')).toBe(true);
    expect(isProcedureName('toString')).toBe(false);
    const { api } = fakeImpl();
    for (const name of procedureNames) expect(typeof api[name]).toBe('function');
  });

  it.each([
    ['openModel without path', 'openModel', {}, /^openModel: path: /],
    ['openModel with an empty path', 'openModel', { path: '' }, /^openModel: path: /],
    ['openInput with a numeric path', 'openInput', { path: 42 }, /^openInput: path: /],
    ['predict without inputId', 'predict', { modelId: 'm' }, /^predict: inputId: /],
    ['predict with an unknown provider', 'predict', { modelId: 'm', inputId: 'i', provider: 'tpu' }, /^predict: provider: /],
    ['explain with a negative target', 'explain', { modelId: 'm', inputId: 'i', method: 'occlusion', target: -1 }, /^explain: target: /],
    ['explain with a fractional target', 'explain', { modelId: 'm', inputId: 'i', method: 'occlusion', target: 1.5 }, /^explain: target: /],
    ['explain with an object parameter', 'explain', { modelId: 'm', inputId: 'i', method: 'occlusion', params: { window: { a: 1 } } }, /^explain: params\.window: /],
    ['explain without method', 'explain', { modelId: 'm', inputId: 'i' }, /^explain: method: /],
  ] as const)('%s → BAD_PARAMS naming the field, implementation not called', async (_what, name, input, message) => {
    const { api, calls } = fakeImpl();
    const error = await rejection((api[name] as (i: unknown) => Promise<unknown>)(input));
    expect(error.code).toBe('BAD_PARAMS');
    expect(error.message).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('several bad fields are all named', async () => {
    const { api } = fakeImpl();
    const error = await rejection(api.explain({ modelId: '', inputId: '', method: 'occlusion' }));
    expect(error.message).toMatch(/modelId: .*; inputId: /);
  });

  it('parsed inputs reach the implementation with defaults filled in', async () => {
    const { api, calls } = fakeImpl();
    await api.explain({ modelId: 'm', inputId: 'i', method: 'occlusion' }).catch(() => undefined);
    expect(calls[0]).toEqual({ name: 'explain', input: { modelId: 'm', inputId: 'i', method: 'occlusion', params: {} } });
    const info = await api.info(undefined as never);
    expect(info.transport).toBe('cli');
    expect(calls[1]).toEqual({ name: 'info', input: {} });
  });
});

describe('validated(): outputs', () => {
  it('a well-formed result passes through', async () => {
    const { api } = fakeImpl();
    await expect(api.openModel({ path: '/m.onnx' })).resolves.toEqual(MODEL_INFO);
  });

  it('a malformed result becomes INTERNAL naming the field', async () => {
    const { api } = fakeImpl({ openModel: async () => ({ ...MODEL_INFO, numClasses: 0 }) });
    const error = await rejection(api.openModel({ path: '/m.onnx' }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/^openModel returned a malformed result: numClasses: /);
  });

  it('an error thrown by the implementation keeps its code', async () => {
    const { api } = fakeImpl({ openModel: async () => Promise.reject(new ApiError('BAD_MODEL', 'not a model')) });
    const error = await rejection(api.openModel({ path: '/m.onnx' }));
    expect(error.code).toBe('BAD_MODEL');
    expect(error.message).toBe('not a model');
  });
});

describe('ApiError.from', () => {
  it('keeps an ApiError as it is', () => {
    const original = new ApiError('NOT_FOUND', 'gone');
    expect(ApiError.from(original)).toBe(original);
    expect(original.toJSON()).toEqual({ code: 'NOT_FOUND', message: 'gone' });
    expect(JSON.parse(JSON.stringify(original))).toEqual({ code: 'NOT_FOUND', message: 'gone' });
    expect(original.name).toBe('ApiError');
  });

  it.each(['BAD_INPUT', 'BAD_MODEL', 'BAD_PARAMS', 'NOT_FOUND', 'CANCELLED', 'INTERNAL'] as const)('a plain {code: %s, message} object (e.g. from another thread) keeps its code', (code) => {
    const mapped = ApiError.from({ code, message: 'from the worker' });
    expect(mapped).toBeInstanceOf(ApiError);
    expect(mapped.toJSON()).toEqual({ code, message: 'from the worker' });
  });

  it('an unknown code (a Node errno error) is INTERNAL with the message kept', () => {
    const errno = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(ApiError.from(errno).toJSON()).toEqual({ code: 'INTERNAL', message: 'ENOENT: no such file' });
  });

  it('a ZodError is BAD_PARAMS with the field path', () => {
    const parsed = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(parsed.success).toBe(false);
    const mapped = ApiError.from(parsed.error);
    expect(mapped.code).toBe('BAD_PARAMS');
    expect(mapped.message).toMatch(/^a\.b: /);
    expect(formatZodError(parsed.error!)).toBe(mapped.message);
  });

  it('anything else is INTERNAL: an Error keeps its message, a string becomes the message', () => {
    expect(ApiError.from(new TypeError('x is undefined')).toJSON()).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
    expect(ApiError.from('plain text').toJSON()).toEqual({ code: 'INTERNAL', message: 'plain text' });
    expect(ApiError.from(undefined).code).toBe('INTERNAL');
  });
});
