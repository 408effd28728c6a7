// Go's encoding/json Marshal output (sorted keys, HTML-safe escaping, Go float formatting).
import { formatFloatV, GoFloat, intString, isMap, sortedKeys } from '../values.ts';

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${f}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go uses %e then trims "e-07" to "e-7".
    return formatFloatV(f, -Infinity).replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return formatFloatV(f, Infinity, -Infinity);
}

export function goJSONString(s: string, escapeHTML = true): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const cp = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (cp < 0x20 || (escapeHTML && (c === '<' || c === '>' || c === '&')) || cp === 0x2028 || cp === 0x2029) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else out += c;
  }
  return out + '"';
}

export function goJSON(v: unknown, escapeHTML = true): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string': return goJSONString(v, escapeHTML);
    case 'number': return Number.isInteger(v) ? intString(v) : jsonFloat(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
  }
  if (v instanceof GoFloat) return jsonFloat(v.value);
  if (Array.isArray(v)) return '[' + v.map((x) => goJSON(x, escapeHTML)).join(',') + ']';
  if (v instanceof Date) return JSON.stringify(v.toISOString().replace('.000Z', 'Z'));
  if (isMap(v)) return '{' + sortedKeys(v).map((k) => `${goJSONString(k, escapeHTML)}:${goJSON(v[k], escapeHTML)}`).join(',') + '}';
  throw new Error(`json: unsupported type`);
}

/** Parses JSON into template values (integral numbers are ints, like the rest of the data). */
export function parseJSON(s: string): unknown {
  return JSON.parse(s) as unknown;
}
