// Functions in the spirit of sprig (names and behaviour as in github.com/Masterminds/sprig/v3).
// Where the Katalog defines the same name differently, katalog.ts overrides these entries.
import { createHash, randomUUID } from 'node:crypto';
import { parse as parseYAML, stringify as stringifyYAML } from 'yaml';
import { EvalError } from '../errors.ts';
import { formatValue, isMap, kindOf, makeFloat, sortedKeys } from '../values.ts';
import { goQuote } from '../format.ts';
import { float, int64, isEmpty, list, map, newMap, num, str } from './coerce.ts';
import { goJSON, parseJSON } from './json.ts';
import { durationString, goFormat, parseTime, zoneOffset } from './time.ts';
import { fn, type CallContext, type FuncTable } from './types.ts';

const V = Infinity;

/** strings.Title: upper-case the first letter of every word. */
function title(s: unknown): string {
  return str(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

function indent(n: unknown, s: unknown): string {
  const pad = ' '.repeat(int64(n));
  return pad + str(s).replaceAll('\n', '\n' + pad);
}

function substr(start: unknown, end: unknown, s: unknown): string {
  const t = str(s);
  let a = int64(start);
  let b = int64(end);
  if (a < 0) return t.slice(0, b);
  if (b < 0 || b > t.length) b = t.length;
  if (a > b) a = b;
  return t.slice(a, b);
}

function trunc(n: unknown, s: unknown): string {
  const c = int64(n);
  const t = str(s);
  if (c < 0 && t.length + c > 0) return t.slice(t.length + c);
  if (c >= 0 && t.length > c) return t.slice(0, c);
  return t;
}

function toList(...items: unknown[]): unknown[] {
  return items;
}

function dict(...kv: unknown[]): Record<string, unknown> {
  const m = newMap();
  for (let i = 0; i < kv.length; i += 2) m[str(kv[i])] = i + 1 < kv.length ? kv[i + 1] : '';
  return m;
}

function uniq(l: unknown): unknown[] {
  const out: unknown[] = [];
  for (const x of list(l)) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return kindOf(a) === 'float' && kindOf(b) === 'float' ? formatValue(a) === formatValue(b) : false;
}

/** Deep merge: keys already in dst win (mergo.Merge without override). */
function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(src)) {
    if (!Object.hasOwn(dst, k) || isEmpty(dst[k]) && !isMap(dst[k])) {
      if (!Object.hasOwn(dst, k) || dst[k] === null || dst[k] === undefined || isEmpty(dst[k])) dst[k] = v;
    } else if (isMap(dst[k]) && isMap(v)) {
      mergeInto(dst[k], v);
    }
  }
}

/** Go regexp syntax → JS RegExp (inline flags, \z, named groups). */
export function goRegex(re: unknown, global = false): RegExp {
  let src = str(re);
  let flags = global ? 'g' : '';
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    src = src.slice(m[0].length);
    for (const f of m[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  src = src.replaceAll('(?P<', '(?<').replaceAll('\\z', '$(?![\\s\\S])').replaceAll('\\A', '^');
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new EvalError(`error parsing regexp: ${(e as Error).message}`);
  }
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(tmpl: string, m: RegExpExecArray): string {
  return tmpl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, d: string, braced?: string, bare?: string) => {
    if (d === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

function regexReplaceAll(re: unknown, s: unknown, repl: unknown, literal = false): string {
  const r = goRegex(re, true);
  const t = str(s);
  let out = '';
  let last = 0;
  for (const m of t.matchAll(r)) {
    out += t.slice(last, m.index) + (literal ? str(repl) : expand(str(repl), m as RegExpExecArray));
    last = m.index + m[0].length;
  }
  return out + t.slice(last);
}

function regexSplit(re: unknown, s: unknown, n: unknown): string[] {
  const count = int64(n);
  const t = str(s);
  if (count === 0) return [];
  const r = goRegex(re, true);
  const out: string[] = [];
  let beg = 0;
  for (const m of t.matchAll(r)) {
    if (count > 0 && out.length === count - 1) break;
    const end = m.index;
    if (m[0].length === 0 && (m.index === 0 || m.index === t.length)) continue;
    out.push(t.slice(beg, end));
    beg = end + m[0].length;
  }
  out.push(t.slice(beg));
  return out;
}

function toYaml(v: unknown): string {
  // sigs.k8s.io/yaml goes through JSON first: keys sorted, then block YAML.
  const plain = JSON.parse(goJSON(v, false)) as unknown;
  return stringifyYAML(plain, { indentSeq: false, sortMapEntries: true, lineWidth: 0, defaultStringType: 'PLAIN' }).replace(/\n$/, '');
}

function dateArg(t: unknown, ctx: CallContext): Date {
  switch (kindOf(t)) {
    case 'time': return t as Date;
    case 'int': case 'float': return new Date(int64(t) * 1000);
    default: return ctx.now();
  }
}

export function registerSprig(t: FuncTable): void {
  // strings
  t.set('upper', fn((s: unknown) => str(s).toUpperCase()));
  t.set('lower', fn((s: unknown) => str(s).toLowerCase()));
  t.set('title', fn(title));
  t.set('untitle', fn((s: unknown) => str(s).replace(/(^|\s)(\S)/g, (_m, a: string, b: string) => a + b.toLowerCase())));
  t.set('trim', fn((s: unknown) => str(s).trim()));
  t.set('trimAll', fn((cut: unknown, s: unknown) => trimCutset(str(s), str(cut))));
  t.set('trimPrefix', fn((p: unknown, s: unknown) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s))));
  t.set('trimSuffix', fn((p: unknown, s: unknown) => (str(p) && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s))));
  t.set('quote', fn((...a: unknown[]) => a.filter((x) => x !== null).map((x) => goQuote(str(x))).join(' '), { min: 0, max: V }));
  t.set('squote', fn((...a: unknown[]) => a.filter((x) => x !== null).map((x) => `'${str(x)}'`).join(' '), { min: 0, max: V }));
  t.set('cat', fn((...a: unknown[]) => a.filter((x) => x !== null).map((x) => str(x)).join(' '), { min: 0, max: V }));
  t.set('indent', fn(indent));
  t.set('nindent', fn((n: unknown, s: unknown) => '\n' + indent(n, s)));
  t.set('substr', fn(substr));
  t.set('trunc', fn(trunc));
  t.set('splitList', fn((sep: unknown, s: unknown) => str(s).split(str(sep))));
  t.set('splitn', fn((sep: unknown, n: unknown, s: unknown) => {
    const parts = str(s).split(str(sep));
    const c = int64(n);
    const res = c > 0 && parts.length > c ? [...parts.slice(0, c - 1), parts.slice(c - 1).join(str(sep))] : parts;
    const m = newMap();
    res.forEach((p, i) => (m[`_${i}`] = p));
    return m;
  }));
  t.set('nospace', fn((s: unknown) => str(s).replace(/\s/g, '')));
  t.set('initials', fn((s: unknown) => str(s).split(/\s+/).filter(Boolean).map((w) => w[0]).join('')));
  t.set('snakecase', fn((s: unknown) => str(s).replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[\s-]+/g, '_').toLowerCase()));
  t.set('kebabcase', fn((s: unknown) => str(s).replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[\s_]+/g, '-').toLowerCase()));
  t.set('camelcase', fn((s: unknown) => str(s).split(/[_\s-]+/).map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : '')).join('')));
  t.set('plural', fn((one: unknown, many: unknown, n: unknown) => (int64(n) === 1 ? str(one) : str(many))));
  t.set('toString', fn((v: unknown) => (v === null ? '<nil>' : str(v))));
  t.set('toStrings', fn((v: unknown) => list(v).map((x) => (x === null ? '' : str(x)))));
  // lists
  t.set('list', fn(toList, { min: 0, max: V }));
  t.set('tuple', fn(toList, { min: 0, max: V }));
  t.set('first', fn((l: unknown) => (list(l).length ? list(l)[0] : null)));
  t.set('last', fn((l: unknown) => (list(l).length ? list(l).at(-1) : null)));
  t.set('rest', fn((l: unknown) => (list(l).length ? list(l).slice(1) : [])));
  t.set('initial', fn((l: unknown) => (list(l).length ? list(l).slice(0, -1) : [])));
  t.set('append', fn((l: unknown, v: unknown) => [...list(l), v]));
  t.set('push', fn((l: unknown, v: unknown) => [...list(l), v]));
  t.set('prepend', fn((l: unknown, v: unknown) => [v, ...list(l)]));
  t.set('uniq', fn(uniq));
  t.set('has', fn((needle: unknown, l: unknown) => list(l).some((x) => deepEqual(x, needle))));
  t.set('without', fn((l: unknown, ...omit: unknown[]) => list(l).filter((x) => !omit.some((o) => deepEqual(o, x))), { min: 1, max: V }));
  t.set('compact', fn((l: unknown) => list(l).filter((x) => !isEmpty(x))));
  t.set('reverse', fn((l: unknown) => [...list(l)].reverse()));
  t.set('sortAlpha', fn((l: unknown) => list(l).map((x) => str(x)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))));
  t.set('until', fn((n: unknown) => Array.from({ length: Math.max(0, int64(n)) }, (_v, i) => i)));
  t.set('untilStep', fn((a: unknown, b: unknown, step: unknown) => {
    const out: number[] = [];
    const s = int64(step);
    if (s === 0) return out;
    for (let i = int64(a); s > 0 ? i < int64(b) : i > int64(b); i += s) out.push(i);
    return out;
  }));
  t.set('seq', fn((...a: unknown[]) => {
    const n = a.map(int64);
    const [start, step, end] = n.length === 1 ? [1, 1, n[0]!] : n.length === 2 ? [n[0]!, n[0]! <= n[1]! ? 1 : -1, n[1]!] : [n[0]!, n[1]!, n[2]!];
    const out: number[] = [];
    if (step === 0) return '';
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
    return out.join(' ');
  }, { min: 1, max: 3 }));
  // dicts
  t.set('dict', fn(dict, { min: 0, max: V }));
  t.set('set', fn((d: unknown, k: unknown, v: unknown) => {
    const m = map(d);
    m[str(k)] = v;
    return m;
  }));
  t.set('unset', fn((d: unknown, k: unknown) => {
    const m = map(d);
    delete m[str(k)];
    return m;
  }));
  t.set('hasKey', fn((d: unknown, k: unknown) => Object.hasOwn(map(d), str(k))));
  t.set('keys', fn((...ds: unknown[]) => ds.flatMap((d) => sortedKeys(map(d))), { min: 0, max: V }));
  t.set('values', fn((d: unknown) => sortedKeys(map(d)).map((k) => map(d)[k])));
  t.set('pick', fn((d: unknown, ...ks: unknown[]) => {
    const m = map(d);
    const out = newMap();
    for (const k of ks.map(str)) if (Object.hasOwn(m, k)) out[k] = m[k];
    return out;
  }, { min: 1, max: V }));
  t.set('omit', fn((d: unknown, ...ks: unknown[]) => {
    const m = map(d);
    const drop = new Set(ks.map(str));
    const out = newMap();
    for (const k of Object.keys(m)) if (!drop.has(k)) out[k] = m[k];
    return out;
  }, { min: 1, max: V }));
  t.set('merge', fn((dst: unknown, ...srcs: unknown[]) => {
    const d = map(dst);
    for (const s of srcs) mergeInto(d, map(s));
    return d;
  }, { min: 1, max: V }));
  t.set('pluck', fn((k: unknown, ...ds: unknown[]) => ds.map(map).filter((m) => Object.hasOwn(m, str(k))).map((m) => m[str(k)]), { min: 1, max: V }));
  t.set('deepCopy', fn((v: unknown) => structuredClone(v)));
  // math (sprig's integer forms; the Katalog's add/sub/... override with float-aware ones)
  t.set('add1', fn((a: unknown) => int64(a) + 1));
  t.set('floor', fn((a: unknown) => makeFloat(Math.floor(float(a)))));
  t.set('ceil', fn((a: unknown) => makeFloat(Math.ceil(float(a)))));
  t.set('round', fn((a: unknown, p: unknown, r?: unknown) => {
    const pow = 10 ** int64(p);
    const half = r === undefined ? 0.5 : float(r);
    const x = float(a) * pow;
    const i = Math.trunc(x);
    const digit = Math.abs(x - i);
    const v = (digit >= half ? i + Math.sign(x) : i) / pow;
    return makeFloat(v);
  }, { min: 2, max: 3 }));
  t.set('int', fn((v: unknown) => int64(v)));
  t.set('int64', fn((v: unknown) => int64(v)));
  t.set('float64', fn((v: unknown) => makeFloat(float(v))));
  t.set('atoi', fn((s: unknown) => (/^[+-]?\d+$/.test(str(s)) ? Number(str(s)) : 0)));
  // sprig computes these in decimal (shopspring/decimal), so addf 0.1 0.2 is 0.3.
  t.set('addf', fn((...a: unknown[]) => makeFloat(a.reduce<Dec>((x, y) => decAdd(x, dec(y)), dec(0)).toNumber()), { min: 0, max: V }));
  t.set('subf', fn((a: unknown, ...b: unknown[]) => makeFloat(b.reduce<Dec>((x, y) => decAdd(x, decNeg(dec(y))), dec(a)).toNumber()), { min: 1, max: V }));
  t.set('mulf', fn((a: unknown, ...b: unknown[]) => makeFloat(b.reduce<Dec>((x, y) => decMul(x, dec(y)), dec(a)).toNumber()), { min: 1, max: V }));
  t.set('divf', fn((a: unknown, ...b: unknown[]) => makeFloat(b.reduce<number>((x, y) => x / float(y), float(a))), { min: 1, max: V }));
  t.set('maxf', fn((a: unknown, ...b: unknown[]) => makeFloat(Math.max(float(a), ...b.map(float))), { min: 1, max: V }));
  t.set('minf', fn((a: unknown, ...b: unknown[]) => makeFloat(Math.min(float(a), ...b.map(float))), { min: 1, max: V }));
  // encoding
  t.set('b64enc', fn((s: unknown) => Buffer.from(str(s), 'utf8').toString('base64')));
  t.set('b64dec', fn((s: unknown) => {
    const v = str(s);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) return `illegal base64 data at input byte ${Math.max(0, v.search(/[^A-Za-z0-9+/=]/))}`;
    return Buffer.from(v, 'base64').toString('utf8');
  }));
  t.set('b32enc', fn((s: unknown) => base32(Buffer.from(str(s), 'utf8'))));
  t.set('toJson', fn((v: unknown) => {
    try {
      return goJSON(v);
    } catch {
      return '';
    }
  }));
  t.set('mustToJson', fn((v: unknown) => goJSON(v)));
  t.set('toPrettyJson', fn((v: unknown) => JSON.stringify(JSON.parse(goJSON(v, false)), null, 2)));
  t.set('toRawJson', fn((v: unknown) => goJSON(v, false)));
  t.set('fromJson', fn((s: unknown) => {
    try {
      return parseJSON(str(s));
    } catch {
      return newMap();
    }
  }));
  t.set('mustFromJson', fn((s: unknown) => parseJSON(str(s))));
  t.set('toYaml', fn((v: unknown) => toYaml(v)));
  t.set('fromYaml', fn((s: unknown) => {
    try {
      return (parseYAML(str(s)) as unknown) ?? newMap();
    } catch (e) {
      const m = newMap();
      m['Error'] = (e as Error).message;
      return m;
    }
  }));
  // hashes
  t.set('sha1sum', fn((s: unknown) => createHash('sha1').update(str(s)).digest('hex')));
  t.set('sha256sumFull', fn((s: unknown) => createHash('sha256').update(str(s)).digest('hex'), { doc: "sprig's sha256sum (64 hex chars)" }));
  t.set('sha512sum', fn((s: unknown) => createHash('sha512').update(str(s)).digest('hex')));
  t.set('adler32sum', fn((s: unknown) => {
    let a = 1;
    let b = 0;
    for (const byte of Buffer.from(str(s), 'utf8')) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    return String(((b << 16) | a) >>> 0);
  }));
  // regex
  t.set('regexMatch', fn((re: unknown, s: unknown) => goRegex(re).test(str(s))));
  t.set('regexFind', fn((re: unknown, s: unknown) => goRegex(re).exec(str(s))?.[0] ?? ''));
  t.set('regexFindAll', fn((re: unknown, s: unknown, n: unknown) => {
    const all = [...str(s).matchAll(goRegex(re, true))].map((m) => m[0]);
    const c = int64(n);
    return c < 0 ? all : all.slice(0, c);
  }));
  t.set('regexReplaceAll', fn((re: unknown, s: unknown, r: unknown) => regexReplaceAll(re, s, r)));
  t.set('regexReplaceAllLiteral', fn((re: unknown, s: unknown, r: unknown) => regexReplaceAll(re, s, r, true)));
  t.set('regexSplit', fn(regexSplit));
  t.set('regexQuoteMeta', fn((s: unknown) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')));
  // dates (UTC unless a zone is given)
  t.set('now', fn(function (this: CallContext) {
    return this.now();
  }, { ctx: true }));
  t.set('date', fn(function (this: CallContext, layout: unknown, d: unknown) {
    return goFormat(dateArg(d, this), str(layout));
  }, { ctx: true }));
  t.set('dateInZone', fn(function (this: CallContext, layout: unknown, d: unknown, zone: unknown) {
    const at = dateArg(d, this);
    return goFormat(at, str(layout), zoneOffset(str(zone), at), str(zone) || 'UTC');
  }, { ctx: true }));
  t.set('unixEpoch', fn((d: unknown) => String(Math.floor(parseTime(d).getTime() / 1000))));
  t.set('duration', fn((s: unknown) => durationString(int64(s))));
  t.set('toDate', fn((_layout: unknown, s: unknown) => parseTime(s)));
  t.set('htmlDate', fn((d: unknown) => goFormat(parseTime(d), '2006-01-02')));
  t.set('ago', fn(function (this: CallContext, d: unknown) {
    return durationString(Math.round((this.now().getTime() - parseTime(d).getTime()) / 1000));
  }, { ctx: true }));
  // misc
  t.set('uuidv4', fn(function (this: CallContext) {
    const b = Buffer.from(this.random.bytes(16, this.callSite));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }, { ctx: true }));
  t.set('randAlphaNum', fn(function (this: CallContext, n: unknown) {
    return this.random.alphanumeric(int64(n), this.callSite);
  }, { ctx: true }));
  t.set('fail', fn((msg: unknown) => {
    throw new EvalError(str(msg));
  }));
  t.set('required', fn((msg: unknown, v: unknown) => {
    if (v === null || v === undefined || v === '') throw new EvalError(str(msg));
    return v;
  }));
  t.set('kindOf', fn((v: unknown) => ({ invalid: 'invalid', nil: 'invalid', int: 'int64', float: 'float64', slice: 'slice', map: 'map', time: 'struct', func: 'func', other: 'ptr', bool: 'bool', string: 'string' })[kindOf(v)]));
  t.set('typeIs', fn((ty: unknown, v: unknown) => goTypeOf(v) === str(ty)));
  t.set('typeOfGo', fn((v: unknown) => goTypeOf(v)));
  t.set('randUUID', fn(() => randomUUID()));
}

/** A tiny exact decimal: value = n × 10^-scale. */
interface Dec { n: bigint; scale: number; toNumber(): number }
function mkDec(n: bigint, scale: number): Dec {
  return { n, scale, toNumber: () => Number(`${n}e-${scale}`) };
}
function dec(v: unknown): Dec {
  const f = float(v);
  const [m, e] = f.toExponential().split('e') as [string, string];
  const digits = m.replace('.', '').replace('-', '');
  const frac = (m.split('.')[1] ?? '').length;
  const scale = frac - Number(e);
  const n = BigInt(digits) * (f < 0 ? -1n : 1n);
  return scale >= 0 ? mkDec(n, scale) : mkDec(n * 10n ** BigInt(-scale), 0);
}
function decAdd(a: Dec, b: Dec): Dec {
  const s = Math.max(a.scale, b.scale);
  return mkDec(a.n * 10n ** BigInt(s - a.scale) + b.n * 10n ** BigInt(s - b.scale), s);
}
function decNeg(a: Dec): Dec {
  return mkDec(-a.n, a.scale);
}
function decMul(a: Dec, b: Dec): Dec {
  return mkDec(a.n * b.n, a.scale + b.scale);
}

function goTypeOf(v: unknown): string {
  return ({ invalid: '<nil>', nil: '<nil>', int: 'int64', float: 'float64', slice: '[]interface {}', map: 'map[string]interface {}', time: 'time.Time', func: 'func', other: 'interface {}', bool: 'bool', string: 'string' })[kindOf(v)];
}

export function trimCutset(s: string, cut: string): string {
  const chars = new Set(cut);
  const a = [...s];
  let i = 0;
  let j = a.length;
  while (i < j && chars.has(a[i]!)) i++;
  while (j > i && chars.has(a[j - 1]!)) j--;
  return a.slice(i, j).join('');
}

function base32(b: Buffer): string {
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let bits = 0;
  let val = 0;
  for (const byte of b) {
    val = (val << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alpha[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alpha[(val << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

export { num };
