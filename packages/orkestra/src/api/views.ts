// JSON views of the engine's state for the runtime API. Everything here reads caches; nothing
// writes. Secret values never leave the process: a Secret child is shown by name, type and keys.
import type { KubeObject } from '../kube/index.ts';
import type { OperatorBox } from '../engine/operator-box.ts';
import { childrenOfKind, ownerLabels } from '../engine/children.ts';

type Cond = { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string; observedGeneration?: number };

export function readyOf(cr: KubeObject): Cond | undefined {
  const conds = (cr.status as { conditions?: Cond[] } | undefined)?.conditions;
  return Array.isArray(conds) ? conds.find((c) => c?.type === 'Ready') : undefined;
}

export function boxSummary(box: OperatorBox): Record<string, unknown> {
  const h = box.healthSnapshot();
  const q = box.queue.stats();
  return {
    name: box.entry.name,
    crd: box.crdName,
    apiVersion: box.apiVersion,
    kind: box.entry.apiTypes.kind,
    state: h.status,
    healthy: h.healthy,
    consecutiveFails: h.consecutiveFails,
    failureThreshold: box.failureThreshold,
    crs: box.crInformer?.list().length ?? 0,
    workers: box.pool.size,
    workersBusy: box.pool.busy,
    queueDepth: q.depth,
  };
}

export function healthView(box: OperatorBox): Record<string, unknown> {
  const h = box.healthSnapshot();
  const started = h.startedAt ? Date.parse(h.startedAt) : undefined;
  return {
    crd: box.entry.name,
    state: h.status,
    healthy: h.healthy,
    crdServed: h.crdServed,
    ...(h.crdMissingSince ? { crdMissingSince: h.crdMissingSince } : {}),
    consecutiveFails: h.consecutiveFails,
    failureThreshold: box.failureThreshold,
    totalReconciles: h.totalReconciles,
    failedReconciles: h.failedReconciles,
    lastError: h.lastError,
    lastReconcileAt: h.lastReconcileAt,
    startedAt: h.startedAt,
    uptimeSeconds: started ? Math.round((Date.now() - started) / 1000) : 0,
  };
}

/** The messages of the CR's `warn` validation rules that do not hold (engine/pipeline/status.ts). */
export function warningOf(cr: KubeObject): string | undefined {
  const conds = (cr.status as { conditions?: Cond[] } | undefined)?.conditions;
  const w = Array.isArray(conds) ? conds.find((c) => c?.type === 'ValidationWarning' && c.status === 'True') : undefined;
  return w?.message || undefined;
}

export function crSummary(cr: KubeObject): Record<string, unknown> {
  const r = readyOf(cr);
  const created = cr.metadata?.creationTimestamp ? Date.parse(cr.metadata.creationTimestamp) : undefined;
  return {
    namespace: cr.metadata?.namespace,
    name: cr.metadata?.name,
    ready: r?.status ?? 'Unknown',
    reason: r?.reason,
    message: r?.message || undefined,
    warnings: warningOf(cr),
    phase: (cr.status as { phase?: unknown } | undefined)?.phase,
    generation: cr.metadata?.generation,
    observedGeneration: (cr.status as { observedGeneration?: number } | undefined)?.observedGeneration,
    ageSeconds: created ? Math.round((Date.now() - created) / 1000) : undefined,
    deleting: Boolean(cr.metadata?.deletionTimestamp),
  };
}

/** A child as the API shows it: never a Secret's data. */
export function childView(o: KubeObject): Record<string, unknown> {
  const meta = {
    name: o.metadata?.name,
    namespace: o.metadata?.namespace,
    uid: o.metadata?.uid,
    resourceVersion: o.metadata?.resourceVersion,
    creationTimestamp: o.metadata?.creationTimestamp,
    labels: o.metadata?.labels,
  };
  if (o.kind === 'Secret') {
    const data = (o as { data?: Record<string, unknown> }).data ?? {};
    const stringData = (o as { stringData?: Record<string, unknown> }).stringData ?? {};
    return { apiVersion: o.apiVersion, kind: o.kind, metadata: meta, type: (o as { type?: string }).type, keys: [...new Set([...Object.keys(data), ...Object.keys(stringData)])].sort() };
  }
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: meta, spec: o.spec, status: o.status };
}

export function childrenView(box: OperatorBox, cr: KubeObject): Record<string, unknown>[] {
  const owner = ownerLabels(box.crdName, cr);
  const out: Record<string, unknown>[] = [];
  for (const k of box.kinds.values()) for (const c of childrenOfKind(k, owner)) out.push(childView({ ...c, apiVersion: c.apiVersion ?? k.apiVersion, kind: c.kind ?? k.kind }));
  return out;
}

/** A core/v1 Event reduced to what an operator needs to read. */
export function eventView(e: KubeObject): Record<string, unknown> {
  const ev = e as KubeObject & { type?: string; reason?: string; message?: string; count?: number; firstTimestamp?: string; lastTimestamp?: string; eventTime?: string; series?: { count?: number; lastObservedTime?: string }; reportingInstance?: string; reportingComponent?: string; source?: { component?: string } };
  return {
    type: ev.type,
    reason: ev.reason,
    message: ev.message,
    count: ev.series?.count ?? ev.count ?? 1,
    lastSeen: ev.series?.lastObservedTime ?? ev.lastTimestamp ?? ev.eventTime ?? ev.metadata?.creationTimestamp,
    reportingInstance: ev.reportingInstance,
    reportingController: ev.reportingComponent ?? ev.source?.component,
  };
}

export function lastSeenMs(e: Record<string, unknown>): number {
  return typeof e.lastSeen === 'string' ? Date.parse(e.lastSeen) || 0 : 0;
}
