// JSON merging for the memory cluster. Stored objects are frozen and new versions share every
// subtree a write leaves alone, so a write costs what it changes, not the size of the object.
//
// Server-side apply is reduced to its observable effect on one object: an applied configuration
// is a set of leaf paths (maps recurse; scalars, lists and empty maps are leaves, so lists are
// replaced as a whole); each field manager owns the paths of its last applied configuration
// until another writer changes their value; a path the manager owned and no longer applies is
// removed.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A private copy of caller data, with JSON's semantics (undefined fields vanish, as on the wire). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || !deepEqual((a as Obj)[k], (b as Obj)[k])) return false;
  return true;
}

/** Top-level fields other than `skip` differ? (generation tracks everything but metadata, and status when it is a subresource). */
export function differsOutside(a: Obj, b: Obj, skip: ReadonlySet<string>): boolean {
  for (const k of Object.keys(a)) if (!skip.has(k) && !deepEqual(a[k], b[k])) return true;
  for (const k of Object.keys(b)) if (!skip.has(k) && !(k in a)) return true;
  return false;
}

/** RFC 7386 merge patch; `patch` must already be a private copy (it is reused, not copied). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Apply's merge: maps merge recursively, anything else replaces; null removes (and is not owned). */
export const applyMerge = mergePatch;

const SEP = '\u0000';
export const pathKey = (p: readonly string[]): string => p.join(SEP);
const pathOf = (key: string): string[] => key.split(SEP);

/** The leaf paths `config` sets. */
export function fieldSet(config: Obj, prefix: string[] = [], out = new Set<string>()): Set<string> {
  for (const [k, v] of Object.entries(config)) {
    if (v === null || v === undefined) continue;
    const p = [...prefix, k];
    if (isObj(v) && Object.keys(v).length > 0) fieldSet(v, p, out);
    else out.add(pathKey(p));
  }
  return out;
}

export function valueAt(obj: unknown, key: string): unknown {
  let cur = obj;
  for (const k of pathOf(key)) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * Paths of `before` (the manager's last applied set) that `after` neither sets nor lies under:
 * the fields the manager gave up. (A path under a leaf `after` sets was replaced with it already.)
 */
export function droppedPaths(before: ReadonlySet<string>, after: ReadonlySet<string>): string[] {
  const covered = withPrefixes(after);
  return [...before].filter((key) => !covered.has(key));
}

/** The paths and every map above them. */
export function withPrefixes(paths: ReadonlySet<string>): Set<string> {
  const out = new Set(paths);
  for (const key of paths) {
    const p = pathOf(key);
    for (let i = 1; i < p.length; i++) out.add(pathKey(p.slice(0, i)));
  }
  return out;
}

/**
 * `obj` without the field at `key`, copying only along the path; maps emptied by the removal go
 * too, unless `keep` (the new applied set's paths and their prefixes) still names them.
 */
export function without(obj: Obj, key: string, keep: (key: string) => boolean): Obj {
  const path = pathOf(key);
  const walk = (node: Obj, depth: number): Obj | undefined => {
    const k = path[depth]!;
    if (!(k in node)) return undefined;
    const out = { ...node };
    if (depth === path.length - 1) delete out[k];
    else {
      const child = node[k];
      if (!isObj(child)) return undefined;
      const next = walk(child, depth + 1);
      if (!next) return undefined;
      if (Object.keys(next).length === 0 && !keep(pathKey(path.slice(0, depth + 1)))) delete out[k];
      else out[k] = next;
    }
    return out;
  };
  return walk(obj, 0) ?? obj;
}

/** The paths whose value differs between two versions of an object, among `paths`. */
export function changedAmong(paths: Iterable<string>, before: unknown, after: unknown): string[] {
  const out: string[] = [];
  for (const p of paths) if (!deepEqual(valueAt(before, p), valueAt(after, p))) out.push(p);
  return out;
}

/** `.spec.replicas` style, for messages. */
export const showPath = (key: string): string => `.${pathOf(key).join('.')}`;
