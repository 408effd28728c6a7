// Dot paths over plain JSON objects (`spec.resources.requests.cpu`, `spec.containers.0.image`):
// a numeric segment indexes an array that is there; anything missing on the way to a write
// becomes a map.

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function segments(path: string): string[] {
  const p = path.trim().replace(/^\./, '');
  return p === '' ? [] : p.split('.');
}

function index(seg: string, list: unknown[]): number | undefined {
  if (!/^\d+$/.test(seg)) return undefined;
  const i = Number(seg);
  return i < list.length ? i : undefined;
}

export function getAt(root: unknown, path: string): unknown {
  let cur = root;
  for (const seg of segments(path)) {
    if (Array.isArray(cur)) {
      const i = index(seg, cur);
      if (i === undefined) return undefined;
      cur = cur[i];
    } else if (isMap(cur) && Object.hasOwn(cur, seg)) {
      cur = cur[seg];
    } else {
      return undefined;
    }
  }
  return cur;
}

/** Writes `value` at `path`, creating maps on the way (a scalar in the way is replaced). */
export function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const segs = segments(path);
  if (segs.length === 0) throw new Error('an empty path names no field');
  let cur: Record<string, unknown> | unknown[] = root;
  for (const [n, seg] of segs.entries()) {
    const last = n === segs.length - 1;
    if (Array.isArray(cur)) {
      // Appending or writing past the end would invent list items nobody declared.
      const i = index(seg, cur);
      if (i === undefined) throw new Error(`${segs.slice(0, n).join('.')} is a list without an item ${seg}`);
      if (last) cur[i] = value;
      else cur = descend(cur, i);
      continue;
    }
    if (last) cur[seg] = value;
    else cur = descend(cur, seg);
  }
}

function descend(parent: Record<string, unknown> | unknown[], key: string | number): Record<string, unknown> | unknown[] {
  const next = (parent as Record<string | number, unknown>)[key];
  if (Array.isArray(next) || isMap(next)) return next;
  const fresh: Record<string, unknown> = {};
  (parent as Record<string | number, unknown>)[key] = fresh;
  return fresh;
}

/** `default:` fills what is absent: not there, null, or the empty string (§12.2). */
export function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
