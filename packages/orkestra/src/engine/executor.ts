// The executor: the only code of the engine that writes. It performs a reconcile's intents
// through the ClusterWriter — in position order (hooks, then kinds in apply order), the intents of
// one position concurrently — and writes the CR's finalizer and status. What a write answers is
// kept in the scope (`observed`) so later stages see it before the watch delivers it.
import { TERMINATING_MARK_MS, isConflict, terminatingNamespaces, type KubeObject } from '../kube/index.ts';
import { issuesOf } from './errors.ts';
import { intentTarget, type ChildIntent } from './intents.ts';
import { position } from './pipeline/resources.ts';
import type { ReconcileScope } from './scope.ts';

/**
 * Performs `intents` (default: the scope's). A write that fails stops the later positions; its
 * problem goes to `scope.issues`. A 409 marks the scope stale (a fresher event is queued); a
 * namespace refusing creates because it is being deleted is remembered for every box.
 */
export async function perform(scope: ReconcileScope, intents: readonly ChildIntent[] = scope.intents): Promise<void> {
  const groups = new Map<number, ChildIntent[]>();
  for (const i of intents) {
    const at = position(i.hook, i.order);
    groups.set(at, [...(groups.get(at) ?? []), i]);
  }
  for (const at of [...groups.keys()].sort((a, b) => a - b)) {
    if (scope.haltAt !== undefined && at >= scope.haltAt) return;
    const settled = await Promise.allSettled(groups.get(at)!.map((i) => performOne(scope, i)));
    let failed = false;
    for (const s of settled) {
      if (s.status === 'fulfilled') continue;
      failed = true;
      absorb(scope, s.reason);
    }
    if (failed) return;
  }
}

async function performOne(scope: ReconcileScope, i: ChildIntent): Promise<void> {
  const w = scope.box.writer;
  const t = intentTarget(i);
  const change = { kind: t.kind, name: t.name, namespace: t.namespace };
  switch (i.verb) {
    case 'keep':
      if (i.child && i.live) scope.observed.push({ kind: i.child, object: i.live });
      return;
    case 'delete':
      await w.delete(i.live!);
      scope.changes.push({ action: 'deleted', ...change });
      return;
    case 'create':
    case 'rotate': {
      // No cached object to compare with: the write is always sent.
      const res = await w.apply(i.desired!, undefined);
      if (i.child) scope.observed.push({ kind: i.child, object: res.object });
      scope.changes.push(i.verb === 'create' ? { action: 'created', ...change } : { action: 'updated', ...change, field: 'rotation' });
      return;
    }
    case 'apply': {
      const res = await w.apply(i.desired!, i.replace ? undefined : i.live);
      if (i.child) scope.observed.push({ kind: i.child, object: res.object });
      if (res.changed) scope.changes.push({ action: 'updated', ...change, field: res.difference?.path ?? i.difference?.path });
      return;
    }
  }
}

/** Files one failed write under the scope: stale, refused by a terminating namespace, or an issue. */
function absorb(scope: ReconcileScope, err: unknown): void {
  if (isConflict(err)) {
    scope.stale = true;
    return;
  }
  const refusedBy = terminatingNamespaces(err);
  if (refusedBy) {
    for (const ns of refusedBy) scope.box.terminating.mark(ns);
    scope.refusedBy = [...(scope.refusedBy ?? []), ...refusedBy];
    scope.requeueAfterMs = Math.max(scope.requeueAfterMs ?? 0, TERMINATING_MARK_MS);
    return;
  }
  scope.issues.push(...issuesOf(err));
}

/** Adds the box's finalizer when missing; the reconcile carries on with the patched CR. */
export async function addFinalizer(scope: ReconcileScope): Promise<void> {
  const finalizers = scope.cr.metadata?.finalizers ?? [];
  if (finalizers.includes(scope.box.finalizer)) return;
  scope.cr = await scope.box.writer.patchMetadata(scope.cr, { finalizers: [...finalizers, scope.box.finalizer] });
}

export async function removeFinalizer(scope: ReconcileScope): Promise<void> {
  const finalizers = scope.cr.metadata?.finalizers ?? [];
  if (!finalizers.includes(scope.box.finalizer)) return;
  scope.cr = await scope.box.writer.patchMetadata(scope.cr, { finalizers: finalizers.filter((f) => f !== scope.box.finalizer) });
}

/**
 * Writes `scope.status.desired` (nothing is sent when the CR already has it). A field the API
 * server drops — the CRD's schema prunes it — would differ again on every reconcile and turn into
 * a write loop: it is remembered for the box and left out from then on, with one warning.
 */
export async function writeStatus(scope: ReconcileScope): Promise<void> {
  const s = scope.status;
  if (!s) return;
  try {
    const res = await scope.box.writer.applyStatus(scope.cr, s.desired);
    s.written = res.changed;
    if (res.changed) scope.cr = res.object;
    if (res.changed) notePruned(scope, s.desired, res.object);
  } catch (err) {
    // The CR is gone (404): nothing to report to.
    if ((err as { statusCode?: number }).statusCode === 404) return;
    absorb(scope, err);
  }
}

function notePruned(scope: ReconcileScope, desired: Record<string, unknown>, answer: KubeObject): void {
  const stored = (answer.status ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(desired)) {
    if (v === null || v === undefined || stored[k] !== undefined || scope.box.statusPruned.has(k)) continue;
    scope.box.statusPruned.add(k);
    scope.box.log.warn({ crd: scope.box.crdName, field: `status.${k}` }, 'the CRD schema drops this status field; Orkestra stops writing it (allow it in the schema, e.g. x-kubernetes-preserve-unknown-fields)');
  }
}
