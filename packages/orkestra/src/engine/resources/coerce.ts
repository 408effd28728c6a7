// Reading typed fields out of a rendered declaration. Templates render to strings, so
// `replicas: "{{ .spec.replicas }}"` arrives as "3" and must become 3 where Kubernetes wants an
// integer. Every reader records a field error instead of throwing, so one pass reports all
// problems of a declaration at once.

import type { FieldError, Json, JsonObject } from './types.ts';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'a map';
  return String(v);
}

/** "" and null mean "not set" for optional fields: a template over a missing key renders "". */
function unset(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Collects field errors for one declaration. `secret` hides values from messages. */
export class Fields {
  readonly errors: FieldError[] = [];
  readonly #spec: Readonly<Record<string, unknown>>;
  readonly #secret: boolean;

  constructor(spec: Readonly<Record<string, unknown>>, options: { secret?: boolean } = {}) {
    this.#spec = spec;
    this.#secret = options.secret ?? false;
  }

  raw(key: string): unknown {
    return this.#spec[key];
  }

  has(key: string): boolean {
    return !unset(this.#spec[key]);
  }

  error(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  got(v: unknown): string {
    return this.#secret ? '(value hidden)' : describe(v);
  }

  string(key: string): string | undefined {
    return this.stringAt(this.#spec[key], key);
  }

  requiredString(key: string): string | undefined {
    const v = this.string(key);
    if (v === undefined) return this.error(key, 'required');
    return v;
  }

  stringAt(v: unknown, path: string): string | undefined {
    if (unset(v)) return undefined;
    if (typeof v === 'string') return v.trim();
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.error(path, `expected a string, got ${this.got(v)}`);
  }

  int(key: string, min?: number, max?: number): number | undefined {
    return this.intAt(this.#spec[key], key, min, max);
  }

  intAt(v: unknown, path: string, min?: number, max?: number): number | undefined {
    if (unset(v)) return undefined;
    let n: number | undefined;
    if (typeof v === 'number' && Number.isInteger(v)) n = v;
    else if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) n = Number(v.trim());
    if (n === undefined || !Number.isSafeInteger(n)) {
      return this.error(path, `expected an integer, got ${this.got(v)}`);
    }
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      const range = max === undefined ? `>= ${min}` : min === undefined ? `<= ${max}` : `${min}-${max}`;
      return this.error(path, `expected an integer ${range}, got ${n}`);
    }
    return n;
  }

  port(key: string): number | undefined {
    return this.intAt(this.#spec[key], key, 1, 65535);
  }

  /** Kubernetes IntOrString: numeric text becomes a number (`"8080"` → 8080), names stay strings. */
  intOrStringAt(v: unknown, path: string): number | string | undefined {
    if (unset(v)) return undefined;
    if (typeof v === 'number') return this.intAt(v, path, 0);
    if (typeof v === 'string') {
      const t = v.trim();
      return /^\d+$/.test(t) ? this.intAt(t, path, 0) : t;
    }
    return this.error(path, `expected a number or a name, got ${this.got(v)}`);
  }

  bool(key: string): boolean | undefined {
    return this.boolAt(this.#spec[key], key);
  }

  boolAt(v: unknown, path: string): boolean | undefined {
    if (unset(v)) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
    return this.error(path, `expected true or false, got ${this.got(v)}`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    const match = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (match === undefined) return this.error(key, `expected one of ${allowed.join(', ')}, got ${this.got(v)}`);
    return match;
  }

  /** A map of strings (labels, data, nodeSelector); keys sorted so output is deterministic. */
  stringMap(key: string): Record<string, string> | undefined {
    return this.stringMapAt(this.#spec[key], key);
  }

  stringMapAt(v: unknown, path: string): Record<string, string> | undefined {
    if (unset(v)) return undefined;
    if (!isObject(v)) return this.error(path, `expected a map, got ${this.got(v)}`);
    const out: Record<string, string> = {};
    for (const k of Object.keys(v).sort()) {
      const s = v[k] === null || v[k] === undefined ? '' : this.stringAt(v[k], `${path}.${k}`);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  /** A list of strings; a single string becomes a one-element list. */
  stringList(key: string): string[] | undefined {
    return this.stringListAt(this.#spec[key], key);
  }

  stringListAt(v: unknown, path: string): string[] | undefined {
    if (unset(v)) return undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [String(v)];
    if (!Array.isArray(v)) return this.error(path, `expected a list, got ${this.got(v)}`);
    const out: string[] = [];
    v.forEach((item, i) => {
      const s = this.stringAt(item, `${path}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /** A list written as YAML or as a comma-separated string (`verbs: "get,list"`). */
  commaList(key: string): string[] | undefined {
    return this.commaListAt(this.#spec[key], key);
  }

  commaListAt(v: unknown, path: string): string[] | undefined {
    if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    return this.stringListAt(v, path);
  }

  object(key: string): Record<string, unknown> | undefined {
    return this.objectAt(this.#spec[key], key);
  }

  objectAt(v: unknown, path: string): Record<string, unknown> | undefined {
    if (unset(v)) return undefined;
    if (!isObject(v)) return this.error(path, `expected a map, got ${this.got(v)}`);
    return v;
  }

  list(key: string): unknown[] | undefined {
    const v = this.#spec[key];
    if (unset(v)) return undefined;
    if (!Array.isArray(v)) return this.error(key, `expected a list, got ${this.got(v)}`);
    return v;
  }

  /** Pass-through of a Kubernetes-shaped sub-object (affinity, rules …), made JSON-clean. */
  json(key: string): Json | undefined {
    const v = this.#spec[key];
    if (unset(v)) return undefined;
    return toJson(v);
  }
}

/** Deep copy into plain JSON with sorted object keys; drops undefined. */
export function toJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) out[k] = toJson(v[k]);
    return out;
  }
  return String(v);
}

/** Removes undefined properties (recursively) so absent fields are absent, not `undefined`. */
export function compact<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => compact(x)) as T;
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = compact(x);
    return out as T;
  }
  return v;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes object name rules: most kinds use DNS-1123 subdomains, Services DNS-1035 labels. */
export function nameProblem(name: string, rule: 'subdomain' | 'label1035' | 'label1123'): string | undefined {
  if (rule === 'subdomain') {
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
      return `${JSON.stringify(name)} is not a valid name (lowercase letters, digits, '-' and '.', at most 253)`;
    }
    return undefined;
  }
  if (rule === 'label1035') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) {
      return `${JSON.stringify(name)} is not a valid name (a lowercase letter, then letters, digits or '-', at most 63)`;
    }
    return undefined;
  }
  if (name.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    return `${JSON.stringify(name)} is not a valid name (lowercase letters, digits or '-', at most 63)`;
  }
  return undefined;
}
