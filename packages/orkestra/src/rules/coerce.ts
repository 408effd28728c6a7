// `valueType:` (string | int | integer | float | number | bool | boolean) and the YAML-style
// reading of normalize results. A value that cannot be read as its declared type is an error,
// never a silent string: `replicas: "abc"` must not reach a Deployment as 0 or as text.
import { formatValue, parseNumber } from '../conditions/values.ts';
import type { RuleValueType } from '../katalog/model.ts';

export type Coerced = { ok: true; value: string | number | boolean } | { ok: false; message: string };

const NAMES: Record<RuleValueType, string> = {
  string: 'a string', int: 'an integer', integer: 'an integer', float: 'a number', number: 'a number', bool: 'a boolean', boolean: 'a boolean',
};

export function typeName(t: RuleValueType): string {
  return NAMES[t];
}

export function coerce(value: unknown, type: RuleValueType): Coerced {
  const bad = (): Coerced => ({ ok: false, message: `expected ${NAMES[type]}, got ${JSON.stringify(value)}` });
  switch (type) {
    case 'string':
      return typeof value === 'object' && value !== null ? bad() : { ok: true, value: formatValue(value) };
    case 'int':
    case 'integer': {
      if (typeof value === 'number') return Number.isInteger(value) ? { ok: true, value } : bad();
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return { ok: true, value: Number(value) };
      return bad();
    }
    case 'float':
    case 'number': {
      if (typeof value === 'number') return { ok: true, value };
      const n = typeof value === 'string' ? parseNumber(value) : undefined;
      return n === undefined ? bad() : { ok: true, value: n };
    }
    case 'bool':
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
      return s === 'true' || s === 'false' ? { ok: true, value: s === 'true' } : bad();
    }
  }
}

/**
 * A rendered normalize value read the way YAML reads a plain scalar (§12.3): `3` → 3, `2.5` →
 * 2.5, `true` → true, anything else (also `""` and `null`) stays the string it is — a normalize
 * entry writes a value, it never removes the field.
 */
export function fromScalar(s: string): string | number | boolean {
  const t = s.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  const n = parseNumber(t);
  return n !== undefined && /\d/.test(t) ? n : s;
}
