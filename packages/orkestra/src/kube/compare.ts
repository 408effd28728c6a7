// "Would applying `desired` change `live`?" answered without asking the server: every field the
// desired object sets must already have the same value in the live object. Fields the desired
// object leaves out (server defaults, other managers' fields, status) are ignored. Values are
// compared the way the API server normalizes them: quantities by amount ("100m" == "0.1",
// "1Gi" == "1073741824"), numbers and numeric strings by value, keyed lists (containers, env,
// ports, volumes, …) by their merge key regardless of order.
//
// Limitation: a field or map key that was applied before and is now left out of `desired` is
// not noticed (the comparison does not see which fields this manager owned). Keyed and atomic
// lists do notice removed items, because their length must match.

type Json = unknown;
type Obj = Record<string, unknown>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merge keys of the lists an operator usually renders (Kubernetes' patchMergeKey / listMapKeys). */
const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'uid', 'type', 'key', 'ip', 'topologyKey'];

export interface Difference {
  path: string;
  desired: Json;
  live: Json;
}

/** Returns the first difference, or undefined when `live` already has everything `desired` sets. */
export function findDifference(desired: Json, live: Json, path = ''): Difference | undefined {
  if (desired === undefined) return undefined;
  if (desired === null) return live === null || live === undefined ? undefined : { path, desired, live };
  if (Array.isArray(desired)) return Array.isArray(live) ? listDifference(desired, live, path) : { path, desired, live };
  if (isObj(desired)) {
    if (!isObj(live)) return { path, desired, live };
    for (const [k, v] of Object.entries(desired)) {
      const d = findDifference(v, live[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return undefined;
  }
  return scalarEqual(desired, live) ? undefined : { path, desired, live };
}

/**
 * Every difference, not only the first (`ork plan` shows each field that would change): maps are
 * walked key by key; a scalar or list that differs is one entry (a list at its first differing item).
 */
export function findDifferences(desired: Json, live: Json, path = '', limit = 50): Difference[] {
  const out: Difference[] = [];
  const walk = (d: Json, l: Json, p: string): void => {
    if (out.length >= limit) return;
    if (isObj(d) && isObj(l)) {
      for (const [k, v] of Object.entries(d)) walk(v, l[k], p ? `${p}.${k}` : k);
      return;
    }
    const diff = findDifference(d, l, p);
    if (diff) out.push(diff);
  };
  walk(desired, live, path);
  return out;
}

/** True when applying `desired` over `live` would change nothing (metadata, spec, data, …; not status). */
export function isUnchanged(desired: Obj, live: Obj | undefined): boolean {
  if (!live) return false;
  const { status: _s, apiVersion: _a, kind: _k, ...rest } = desired;
  return findDifference(rest, live) === undefined;
}

function listDifference(desired: Json[], live: Json[], path: string): Difference | undefined {
  if (desired.length !== live.length) return { path, desired, live };
  const key = mergeKeyOf(desired);
  if (key) {
    const byKey = new Map<string, Json>();
    for (const item of live) if (isObj(item)) byKey.set(keyValue(item[key]), item);
    for (const item of desired as Obj[]) {
      const k = keyValue(item[key]);
      const d = findDifference(item, byKey.get(k), `${path}[${key}=${k}]`);
      if (d) return d;
    }
    return undefined;
  }
  for (let i = 0; i < desired.length; i++) {
    const d = findDifference(desired[i], live[i], `${path}[${i}]`);
    if (d) return d;
  }
  return undefined;
}

/** The merge key if every item is an object that has it and its values are unique. */
export function mergeKeyOf(items: Json[]): string | undefined {
  if (items.length === 0 || !items.every(isObj)) return undefined;
  for (const k of MERGE_KEYS) {
    const values = (items as Obj[]).map((i) => i[k]);
    if (values.every((v) => typeof v === 'string' || typeof v === 'number') && new Set(values.map(keyValue)).size === values.length) return k;
  }
  return undefined;
}

const keyValue = (v: Json): string => String(v);

function scalarEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if ((typeof a !== 'string' && typeof a !== 'number') || (typeof b !== 'string' && typeof b !== 'number')) return false;
  // Two plain numeric strings ("1.0" vs "1") stay different: they may be labels or versions, and
  // re-applying a normalized quantity costs one request, while a wrong "unchanged" loses a change.
  if (typeof a === 'string' && typeof b === 'string' && PLAIN.test(a) && PLAIN.test(b)) return false;
  const qa = parseQuantity(a);
  const qb = parseQuantity(b);
  return qa !== undefined && qb !== undefined && qa === qb;
}

const PLAIN = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/**
 * A Kubernetes quantity (or plain number) as an exact amount in nano-units (BigInt), rounded up
 * like the API server does; undefined when the value is not a quantity (e.g. "http", "1.2.3").
 */
export function parseQuantity(v: string | number): bigint | undefined {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v.trim();
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  const [, sign, num, suffix = '', exp] = m;
  const [intPart, frac = ''] = num.split('.');
  let n = BigInt((intPart || '0') + frac); // scaled by 10^frac.length
  let den = 10n ** BigInt(frac.length);
  // Work in nano-units: multiply by 10^9.
  n *= 10n ** 9n;
  if (suffix in BINARY) n *= 2n ** BigInt(BINARY[suffix]);
  else {
    const e = exp !== undefined ? Number(exp) : DECIMAL[suffix];
    if (e >= 0) n *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  }
  let q = n / den;
  if (q * den !== n) q += 1n; // the API server rounds up to its smallest unit
  return sign === '-' ? -q : q;
}
