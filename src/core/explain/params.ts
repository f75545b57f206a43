// Turns loosely typed parameter values (CLI strings like "3,16,16", UI form values) into typed
// values per a method's ParamSpec list; an unknown name or a bad value is a BAD_PARAMS error.
import { ApiError } from '../../api/contract';
import type { ParamSpec, ParamValue } from '../../api/schemas';
import type { ResolvedParams } from './types';

export function resolveParams(method: string, specs: ParamSpec[], raw: Record<string, ParamValue>): ResolvedParams {
  const known = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      throw new ApiError('BAD_PARAMS', `${method} has no parameter "${name}"; its parameters are ${specs.map((s) => s.name).join(', ') || 'none'}`);
    }
  }
  const out: ResolvedParams = {};
  for (const spec of specs) {
    const value = raw[spec.name];
    if (value === undefined || value === '') {
      if (spec.default !== null) out[spec.name] = spec.default;
      continue;
    }
    out[spec.name] = coerce(method, spec, value);
  }
  return out;
}

function coerce(method: string, spec: ParamSpec, value: ParamValue): ParamValue {
  const bad = (why: string) => new ApiError('BAD_PARAMS', `${method}: ${spec.name}=${JSON.stringify(value)} ${why}`);
  const asNumber = (v: unknown): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) throw bad('is not a number');
    return n;
  };
  const inRange = (n: number) => {
    if (spec.min !== undefined && n < spec.min) throw bad(`is below the minimum ${spec.min}`);
    if (spec.max !== undefined && n > spec.max) throw bad(`is above the maximum ${spec.max}`);
    return n;
  };
  switch (spec.kind) {
    case 'int': {
      const n = asNumber(value);
      if (!Number.isInteger(n)) throw bad('is not an integer');
      return inRange(n);
    }
    case 'number':
      return inRange(asNumber(value));
    case 'int-list': {
      const items = Array.isArray(value) ? value : String(value).split(/[,x×\s]+/).filter(Boolean);
      const list = items.map(asNumber);
      if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < (spec.min ?? Number.NEGATIVE_INFINITY))) {
        throw bad(`is not a list of integers${spec.min !== undefined ? ` ≥ ${spec.min}` : ''}`);
      }
      return list;
    }
    case 'enum': {
      const text = String(value);
      if (!spec.options?.includes(text)) throw bad(`is not one of ${spec.options?.join(', ')}`);
      return text;
    }
    case 'number-or-enum': {
      const text = String(value);
      if (spec.options?.includes(text)) return text;
      const n = Number(text);
      if (!Number.isFinite(n)) throw bad(`is neither a number nor one of ${spec.options?.join(', ')}`);
      return n;
    }
    case 'string':
      return String(value);
  }
}
