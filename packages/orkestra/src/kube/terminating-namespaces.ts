// Namespaces the API server told us are being deleted ("unable to create new content in namespace
// X because it is being terminated"). While a namespace is torn down, the namespace controller
// deletes our children one by one; every deletion wakes the owning CR, and without this memory
// each wake-up would try to re-create children the server must refuse — a storm of 403s racing
// the controller. Learning it from the refusal (instead of watching Namespace objects) needs no
// cluster-wide RBAC, so it works for operators confined to one namespace.
//
// A mark expires: a namespace can be deleted and then created again under the same name, and its
// new CRs must not wait longer than one expiry for their first reconcile.
import { ApiError } from './errors.ts';

/** How long a refusal keeps CRs of that namespace from trying to create anything. */
export const TERMINATING_MARK_MS = 5_000;

export class TerminatingNamespaces {
  private readonly marks = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ttlMs = TERMINATING_MARK_MS, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  mark(namespace: string): void {
    this.marks.set(namespace, this.now() + this.ttlMs);
  }

  /** Milliseconds the mark on `namespace` still holds, 0 when there is none. */
  remainingMs(namespace: string): number {
    const until = this.marks.get(namespace);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.marks.delete(namespace);
    return 0;
  }
}

const REFUSAL = /in namespace (\S+) because it is being terminated/;

/**
 * The namespaces a refusal names when every error in `err` is the API server refusing a create
 * into a terminating namespace ("unable to create new content in namespace X because it is being
 * terminated"); undefined when any error is something else.
 */
export function terminatingNamespaces(err: unknown): string[] | undefined {
  const errs = err instanceof AggregateError ? err.errors : [err];
  if (errs.length === 0) return undefined;
  const names = new Set<string>();
  for (const e of errs) {
    const m = e instanceof ApiError && e.statusCode === 403 ? REFUSAL.exec(e.message) : null;
    if (!m) return undefined;
    names.add(m[1]!);
  }
  return [...names];
}
