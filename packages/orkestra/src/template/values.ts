// The value model. Data comes from JSON/YAML like Kubernetes unstructured objects:
// - a JS number with an integral value is a Go int64; a non-integral one is a float64;
// - GoFloat boxes a float64 whose value happens to be integral (only template literals like
//   `1e6`/`3.0` and float functions create it), so it still prints like Go ("1e+06");
// - null is a nil interface; undefined is Go's "no value" (a missing map key);
// - plain objects are map[string]interface{}, arrays are []interface{}, Date is time.Time.

export class GoFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export type Kind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'func' | 'time' | 'other';

export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined': return 'invalid';
    case 'string': return 'string';
    case 'number': return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'boolean': return 'bool';
    case 'function': return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v)) return 'slice';
      if (v instanceof GoFloat) return 'float';
      if (v instanceof Date) return 'time';
      if (isMap(v)) return 'map';
      return 'other';
    default: return 'other';
  }
}

/** The numeric value of an int or float (GoFloat unwrapped); NaN for anything else. */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return NaN;
}

/** Makes a float64 result: integral values are boxed so they keep printing as floats. */
export function makeFloat(n: number): number | GoFloat {
  return Number.isInteger(n) ? new GoFloat(n) : n;
}

/** Go's truthiness (text/template isTrue). */
export function isTrue(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined': return false;
    case 'string': return v.length > 0;
    case 'number': return v !== 0;
    case 'boolean': return v;
    case 'bigint': return v !== 0n;
    case 'function': return true;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof GoFloat) return v.value !== 0;
      if (isMap(v)) {
        for (const _ in v) return true;
        return false;
      }
      return true;
    default: return true;
  }
}

/** Go type name as fmt's %T and error messages print it. */
export function goTypeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return '<nil>';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'string': return 'string';
    case 'slice': return '[]interface {}';
    case 'map': return 'map[string]interface {}';
    case 'func': return 'func';
    case 'time': return 'time.Time';
    default: return 'interface {}';
  }
}

export function sortedKeys(m: Record<string, unknown>): string[] {
  // Go sorts map keys by byte order of the string; for UTF-16 JS strings this matches except
  // for astral characters, which we accept.
  const keys = Object.keys(m);
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys;
}

// --- float formatting like Go's strconv ---------------------------------------------------------

/** Shortest-digit float formatting: %e style when exp < -4 || exp >= eprec. */
export function formatFloatV(f: number, eprecShortest: number, lowExp = -4): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const exp = f.toExponential(); // shortest digits: "1.5e+6"
  const [mant, e] = exp.split('e') as [string, string];
  const x = Number(e);
  if (x < lowExp || x >= eprecShortest) {
    const ee = Math.abs(x) < 10 ? `${x < 0 ? '-' : '+'}0${Math.abs(x)}` : `${x < 0 ? '-' : '+'}${Math.abs(x)}`;
    return `${mant}e${ee}`;
  }
  // plain decimal with the same shortest digits
  const digits = mant.replace('-', '').replace('.', '');
  const neg = f < 0 ? '-' : '';
  const dp = x + 1; // position of the decimal point
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${neg}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${neg}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** fmt's %v of a float64: strconv 'g' shortest, which switches to %e at exponent >= 6 (1e+06). */
export function formatFloat(f: number): string {
  return formatFloatV(f, 6);
}

/** fmt's %v of any value (as Sprint prints one operand). */
export function formatValue(v: unknown, top = true): string {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return Number.isInteger(v) ? intString(v) : formatFloat(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'undefined': return top ? '<no value>' : '<nil>';
    case 'function': return '0x0';
    case 'object': {
      if (v === null) return '<nil>';
      if (v instanceof GoFloat) return formatFloat(v.value);
      if (Array.isArray(v)) return '[' + v.map((x) => formatValue(x, false)).join(' ') + ']';
      if (v instanceof Date) return formatTimeDefault(v);
      if (isMap(v)) return 'map[' + sortedKeys(v).map((k) => `${k}:${formatValue(v[k], false)}`).join(' ') + ']';
      return String(v);
    }
    default: return String(v);
  }
}

export function intString(n: number): string {
  // Avoid "1e+21" from String() for huge integral numbers.
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** time.Time's String(): "2006-01-02 15:04:05.999999999 -0700 MST" (we render UTC). */
export function formatTimeDefault(d: Date): string {
  const ms = d.getUTCMilliseconds();
  const frac = ms ? '.' + pad(ms, 3).replace(/0+$/, '') : '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} +0000 UTC`;
}
