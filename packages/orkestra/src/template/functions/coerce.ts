// Conversions shared by the function library. Functions accept nil as the empty value.
import { EvalError } from '../errors.ts';
import { formatValue, GoFloat, isMap, kindOf, numberOf } from '../values.ts';

/** sprig's strval: strings as-is, nil as "", everything else as %v. */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return formatValue(v, false);
}

/** Like cast.ToInt64: numbers truncate, numeric strings parse, bools are 1/0, else 0. */
export function int64(v: unknown): number {
  switch (kindOf(v)) {
    case 'int': return numberOf(v);
    case 'float': return Math.trunc(numberOf(v));
    case 'bool': return v ? 1 : 0;
    case 'string': {
      const s = (v as string).trim();
      if (/^[+-]?\d+$/.test(s)) return Number(s);
      if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s, 16);
      return 0;
    }
    default: return 0;
  }
}

/** Like cast.ToFloat64. */
export function float(v: unknown): number {
  switch (kindOf(v)) {
    case 'int': case 'float': return numberOf(v);
    case 'bool': return v ? 1 : 0;
    case 'string': {
      const s = (v as string).trim();
      const n = Number(s);
      return s !== '' && Number.isFinite(n) ? n : 0;
    }
    default: return 0;
  }
}

/** A numeric argument for math: ints stay ints, floats stay floats, strings parse. */
export function num(v: unknown, fn: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new EvalError(`${fn}: not a number: ${formatValue(v, false)}`);
}

export function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  throw new EvalError(`expected a list, got ${kindOf(v)}`);
}

export function map(v: unknown): Record<string, unknown> {
  if (isMap(v)) return v;
  if (v === null || v === undefined) return {};
  throw new EvalError(`expected a map, got ${kindOf(v)}`);
}

/** A fresh map safe for any key (no prototype). */
export function newMap(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** sprig/Katalog "empty": nil, "", "<no value>", 0, false, empty list or map. */
export function isEmpty(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return true;
    case 'string': return v === '' || v === '<no value>';
    case 'int': case 'float': return numberOf(v) === 0;
    case 'bool': return v === false;
    case 'slice': return (v as unknown[]).length === 0;
    case 'map': return Object.keys(v as object).length === 0;
    default: return false;
  }
}

/** Nested lookup through maps (and list indexes); undefined when any step is absent. */
export function path(obj: unknown, ...segs: unknown[]): unknown {
  let cur = obj;
  for (const s of segs) {
    if (isMap(cur)) {
      const k = str(s);
      if (!Object.hasOwn(cur, k)) return undefined;
      cur = cur[k];
    } else if (Array.isArray(cur)) {
      const i = typeof s === 'number' ? s : Number(str(s));
      if (!Number.isInteger(i) || i < 0 || i >= cur.length) return undefined;
      cur = cur[i];
    } else return undefined;
  }
  return cur;
}

/** Result of a lookup for templates: absent becomes nil. */
export function orNil(v: unknown): unknown {
  return v === undefined ? null : v;
}
