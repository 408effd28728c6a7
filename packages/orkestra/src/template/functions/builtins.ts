// Go's predefined template functions (text/template/funcs.go semantics).
import { EvalError } from '../errors.ts';
import { sprint, sprintf, sprintln } from '../format.ts';
import { formatValue, goTypeName, isMap, isTrue, kindOf, numberOf } from '../values.ts';
import { fn, type FuncTable } from './types.ts';

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
function basic(v: unknown): BasicKind {
  const k = kindOf(v);
  if (k === 'nil') return 'invalid';
  if (k === 'bool' || k === 'int' || k === 'float' || k === 'string' || k === 'invalid') return k;
  return 'other';
}

/** Numbers compare numerically across int and float (intentional: Go reports incompatible types). */
function numericKind(k: BasicKind): boolean {
  return k === 'int' || k === 'float';
}

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new EvalError('missing argument for comparison');
  const k1 = basic(a);
  for (const b of rest) {
    const k2 = basic(b);
    let truth = false;
    if (numericKind(k1) && numericKind(k2)) truth = numberOf(a) === numberOf(b);
    else if (k1 !== k2) {
      if (k1 !== 'invalid' && k2 !== 'invalid') throw new EvalError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
    } else if (k1 === 'other') {
      const ka = kindOf(a);
      if (ka === 'slice' || ka === 'map' || ka === 'func') throw new EvalError(`non-comparable type ${formatValue(a, false)}: ${goTypeName(a)}`);
      truth = a === b;
    } else if (k1 === 'invalid') truth = true;
    else truth = a === b;
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basic(a);
  const k2 = basic(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other') throw new EvalError('invalid type for comparison');
  if (numericKind(k1) && numericKind(k2)) return numberOf(a) < numberOf(b);
  if (k1 !== k2) throw new EvalError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  if (k1 === 'bool') throw new EvalError('invalid type for comparison');
  return (a as string) < (b as string);
}

function indexArg(i: unknown, cap: number): number {
  const k = kindOf(i);
  if (k === 'invalid' || k === 'nil') throw new EvalError('cannot index slice/array with nil');
  if (k !== 'int') throw new EvalError(`cannot index slice/array with type ${goTypeName(i)}`);
  const x = numberOf(i);
  if (x < 0 || x > cap) throw new EvalError(`index out of range: ${x}`);
  return x;
}

function index(item: unknown, ...keys: unknown[]): unknown {
  if (item === undefined || item === null) throw new EvalError('index of untyped nil');
  let cur: unknown = item;
  for (const key of keys) {
    if (Array.isArray(cur)) {
      const x = indexArg(key, cur.length);
      if (x >= cur.length) throw new EvalError(`reflect: slice index out of range`);
      cur = cur[x] === undefined ? null : cur[x];
    } else if (typeof cur === 'string') {
      const bytes = Buffer.from(cur, 'utf8');
      const x = indexArg(key, bytes.length);
      if (x >= bytes.length) throw new EvalError(`reflect: string index out of range`);
      cur = bytes[x]!;
    } else if (isMap(cur)) {
      if (key === undefined || key === null) throw new EvalError('value is nil; should be of type string');
      if (typeof key !== 'string') throw new EvalError(`value has type ${goTypeName(key)}; should be string`);
      cur = Object.hasOwn(cur, key) ? (cur[key] ?? null) : null;
    } else if (cur === null) {
      throw new EvalError('index of nil pointer');
    } else {
      throw new EvalError(`can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: unknown, ...idx: unknown[]): unknown {
  if (item === undefined || item === null) throw new EvalError('slice of untyped nil');
  if (idx.length > 3) throw new EvalError(`too many slice indexes: ${idx.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (idx.length === 3) throw new EvalError('cannot 3-index slice a string');
    len = Buffer.byteLength(item, 'utf8');
  } else if (Array.isArray(item)) len = item.length;
  else throw new EvalError(`can't slice item of type ${goTypeName(item)}`);
  const x = [0, len, len];
  idx.forEach((v, i) => (x[i] = indexArg(v, len)));
  if (x[0]! > x[1]!) throw new EvalError(`invalid slice index: ${x[0]} > ${x[1]}`);
  if (idx.length === 3 && x[1]! > x[2]!) throw new EvalError(`invalid slice index: ${x[1]} > ${x[2]}`);
  if (typeof item === 'string') return Buffer.from(item, 'utf8').subarray(x[0], x[1]).toString('utf8');
  return (item as unknown[]).slice(x[0], x[1]);
}

/** len: Go's builtin, except nil has length 0 (the Katalog's len note). */
function length(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  if (v === null || v === undefined) return 0;
  throw new EvalError(`len of type ${goTypeName(v)}`);
}

/** html/js/urlquery stringify their args like Go's evalArgs. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? '<no value>' : a === null ? '<no value>' : a)));
}

export function htmlEscape(s: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '"': out += '&#34;'; break;
      case "'": out += '&#39;'; break;
      case '&': out += '&amp;'; break;
      case '<': out += '&lt;'; break;
      case '>': out += '&gt;'; break;
      case '\0': out += '\uFFFD'; break;
      default: out += c;
    }
  }
  return out;
}

export function jsEscape(s: string): string {
  let out = '';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    switch (c) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (cp < 0x20) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else if (cp < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/u.test(c)) out += c;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function call(f: unknown, ...args: unknown[]): unknown {
  if (f === null || f === undefined) throw new EvalError('call of nil');
  if (typeof f !== 'function') throw new EvalError(`non-function of type ${goTypeName(f)}`);
  return (f as (...a: unknown[]) => unknown)(...args);
}

export function registerBuiltins(t: FuncTable): void {
  const raw = { raw: true };
  t.set('and', fn(() => undefined, { min: 1, max: Infinity, raw: true }));
  t.set('or', fn(() => undefined, { min: 1, max: Infinity, raw: true }));
  t.set('not', fn((v: unknown) => !isTrue(v), raw));
  t.set('len', fn(length, raw));
  t.set('index', fn(index, { min: 1, max: Infinity, raw: true }));
  t.set('slice', fn(slice, { min: 1, max: Infinity, raw: true }));
  t.set('print', fn((...a: unknown[]) => sprint(a.map(nilArg)), { min: 0, max: Infinity, raw: true }));
  t.set('println', fn((...a: unknown[]) => sprintln(a.map(nilArg)), { min: 0, max: Infinity, raw: true }));
  t.set('printf', fn((f: unknown, ...a: unknown[]) => {
    if (typeof f !== 'string') throw new EvalError(`wrong type for value; expected string; got ${goTypeName(f)}`);
    return sprintf(f, a.map(nilArg));
  }, { min: 1, max: Infinity, raw: true }));
  t.set('eq', fn(eq, { min: 1, max: Infinity, raw: true }));
  t.set('ne', fn((a: unknown, b: unknown) => !eq(a, b), raw));
  t.set('lt', fn(lt, raw));
  t.set('le', fn((a: unknown, b: unknown) => lt(a, b) || eq(a, b), raw));
  t.set('gt', fn((a: unknown, b: unknown) => !lt(a, b) && !eq(a, b), raw));
  t.set('ge', fn((a: unknown, b: unknown) => !lt(a, b), raw));
  t.set('html', fn((...a: unknown[]) => htmlEscape(evalArgs(a)), { min: 0, max: Infinity, raw: true }));
  t.set('js', fn((...a: unknown[]) => jsEscape(evalArgs(a)), { min: 0, max: Infinity, raw: true }));
  t.set('urlquery', fn((...a: unknown[]) => queryEscape(evalArgs(a)), { min: 0, max: Infinity, raw: true }));
  t.set('call', fn(call, { min: 1, max: Infinity, raw: true }));
}

/** Go passes a missing value to an `any` parameter as nil. */
function nilArg(v: unknown): unknown {
  return v === undefined ? null : v;
}
