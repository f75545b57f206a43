// Method parameters as text fields: ParamSpec defaults → text, and text → ParamValue on Run.
// Pure, so the parsing rules are testable without a DOM.
import type { MethodInfo, ParamSpec, ParamValue } from '../../api/schemas';

export type ParamTexts = Record<string, string>;

export function formatParamValue(value: ParamValue | null | undefined): string {
  if (value === null || value === undefined) return '';
  return Array.isArray(value) ? value.join(',') : String(value);
}

export function defaultParamTexts(method: MethodInfo): ParamTexts {
  return Object.fromEntries(method.params.map((p) => [p.name, formatParamValue(p.default)]));
}

type Parsed = { ok: true; value: ParamValue | undefined } | { ok: false; error: string };

function checkRange(spec: ParamSpec, n: number): string | null {
  if (spec.min !== undefined && n < spec.min) return `${spec.name} must be ≥ ${spec.min}`;
  if (spec.max !== undefined && n > spec.max) return `${spec.name} must be ≤ ${spec.max}`;
  return null;
}

/** Empty text means "not set": the method's own default applies. */
export function parseParamText(spec: ParamSpec, raw: string): Parsed {
  const text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const n = Number(text);
      if (!Number.isFinite(n)) return { ok: false, error: `${spec.name} must be a number` };
      if (spec.kind === 'int' && !Number.isInteger(n)) return { ok: false, error: `${spec.name} must be an integer` };
      const range = checkRange(spec, n);
      return range ? { ok: false, error: range } : { ok: true, value: n };
    }
    case 'int-list': {
      const parts = text.split(/[\s,x×]+/).filter(Boolean);
      const list = parts.map(Number);
      if (list.length === 0 || list.some((n) => !Number.isInteger(n))) {
        return { ok: false, error: `${spec.name} must be integers separated by commas, e.g. 3,16,16` };
      }
      return { ok: true, value: list };
    }
    case 'enum':
      if (spec.options && !spec.options.includes(text)) {
        return { ok: false, error: `${spec.name} must be one of ${spec.options.join(', ')}` };
      }
      return { ok: true, value: text };
    case 'number-or-enum': {
      if (spec.options?.includes(text)) return { ok: true, value: text };
      const n = Number(text);
      if (!Number.isFinite(n)) {
        const options = spec.options?.length ? ` or one of ${spec.options.join(', ')}` : '';
        return { ok: false, error: `${spec.name} must be a number${options}` };
      }
      const range = checkRange(spec, n);
      return range ? { ok: false, error: range } : { ok: true, value: n };
    }
    case 'string':
      return { ok: true, value: text };
  }
}

export function buildParams(method: MethodInfo, texts: ParamTexts): { params: Record<string, ParamValue>; errors: string[] } {
  const params: Record<string, ParamValue> = {};
  const errors: string[] = [];
  for (const spec of method.params) {
    const parsed = parseParamText(spec, texts[spec.name] ?? formatParamValue(spec.default));
    if (!parsed.ok) errors.push(parsed.error);
    else if (parsed.value !== undefined) params[spec.name] = parsed.value;
  }
  return { params, errors };
}
