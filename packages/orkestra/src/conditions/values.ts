// Turning resolver data into the strings conditions compare. The original runtime walks
// map[string]any and formats leaves with Go's %v; Katalogs written against it rely on that
// (`equals: "true"` matching a boolean, `equals: "3"` matching a JSON number).

/** Marker Go's text/template prints for a missing key; conditions treat it as empty. */
export const NO_VALUE = '<no value>';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Walks a dot path (`spec.environment`, `.spec.environment`) over plain objects.
 * A missing segment, a non-object on the way, or null yields undefined.
 */
export function lookupPath(data: unknown, path: string): unknown {
  const trimmed = path.trim().replace(/^\./, '');
  if (trimmed === '') return data;
  let cur: unknown = data;
  for (const seg of trimmed.split('.')) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur ?? undefined;
}

/** Go %v for a float64: shortest representation, exponent form with a two-digit exponent. */
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  // Deviation from Go (documented): integral values print as plain digits even when large,
  // so `equals: "1000000"` matches a JSON 1000000 (Go would print 1e+06).
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const abs = Math.abs(n);
  const exp = Math.floor(Math.log10(abs));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = n.toExponential().split('e');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  return String(n);
}

/** Formats any resolver value the way the original's %v did: "" for missing, maps as map[k:v]. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(formatNested).join(' ')}]`;
  if (v instanceof Date) return v.toISOString();
  if (isPlainObject(v)) {
    // Go's fmt sorts map keys, which keeps the output deterministic.
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${formatNested(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

function formatNested(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : formatValue(v);
}

/** Type names used by `typeOf` (the original's note.TypeOf vocabulary). */
export type ValueType = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'null';

export function typeOfValue(v: unknown): ValueType {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'map';
}

const TYPE_ALIASES: Readonly<Record<string, ValueType>> = {
  map: 'map', object: 'map', dict: 'map',
  slice: 'slice', list: 'slice', array: 'slice',
  string: 'string', str: 'string',
  number: 'number', int: 'number', float: 'number',
  bool: 'bool', boolean: 'bool',
  null: 'null', nil: 'null',
};

/** Normalizes the expected side of `typeOf` (accepts list/array/object/boolean spellings). */
export function normalizeTypeName(name: string): string {
  return TYPE_ALIASES[name.trim().toLowerCase()] ?? name.trim();
}

/**
 * Parses a number the way strconv.ParseFloat would accept it (decimal or exponent form,
 * surrounding whitespace tolerated). Returns undefined when the text is not a number.
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}
