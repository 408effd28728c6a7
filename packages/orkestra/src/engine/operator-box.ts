// One CRD's operator: an informer on the CR kind, the shared informers of its child kinds, its
// own rate-limited deduplicating queue and worker pool, and its health. A failure inside one
// OperatorBox — a bad template, a failing API call, a thrown exception — is recorded here and
// retried with backoff; it never reaches another OperatorBox.
import { parseDuration } from '../conditions/cron.ts';
import { objectKey, type KubeObject, type ResourceInfo, type TerminatingNamespaces } from '../kube/index.ts';
import type { CrdEntry, Katalog } from '../katalog/model.ts';
import { labelValue, resourceBuilder } from './resources/index.ts';
import { WorkQueue } from './queue.ts';
import { WorkerPool } from './workers.ts';
import { Reconciler, type ReconcilerOptions } from './reconciler.ts';
import type { ChildKind } from './children.ts';
import { CopyCaches, openLiteralCopySources, type CopyKind } from './copies.ts';
import type { BoxContext, Log } from './box-context.ts';
import type { CacheView, Clock, Cluster } from './ports.ts';

export const FINALIZER = 'orkestra.orkspace.io/finalizer';
export const DEFAULT_RESYNC_MS = 60_000;
export const DEFAULT_FAILURE_THRESHOLD = 5;

export type BoxState = 'pending' | 'waiting' | 'running' | 'stopped';

export interface BoxHealth {
  state: BoxState;
  healthy: boolean;
  /** `healthy`, `degraded` (≥ failureThreshold consecutive failures), `pending`, `waiting` (CRD not served: not yet, or no longer). */
  status: 'healthy' | 'degraded' | 'pending' | 'waiting' | 'stopped';
  /** False while the API server does not serve the CRD (at start, or after it was deleted). */
  crdServed: boolean;
  /** When the CRD disappeared under a prepared box. */
  crdMissingSince?: string;
  consecutiveFails: number;
  totalReconciles: number;
  failedReconciles: number;
  lastError?: string;
  lastReconcileAt?: string;
  startedAt?: string;
}

/** What the Runtime shares with every OperatorBox. */
export interface BoxDeps {
  katalog: Katalog;
  cluster: Cluster;
  clock: Clock;
  log: Log;
  /** Runtime-wide namespace restriction (a CRD's own `namespace:` wins). */
  namespace?: string;
  /** The shared informer of one child kind (one watch per kind for all CRDs). */
  childKind(key: string, apiVersion: string, kind: string): Promise<ChildKind>;
  crossInformer(crdName: string): CacheView | undefined;
  terminating: TerminatingNamespaces;
  /** Notified after each reconcile (metrics). */
  onReconciled?(box: OperatorBox, ok: boolean, seconds: number): void;
  reconciler?: ReconcilerOptions;
}

export class OperatorBox {
  readonly entry: CrdEntry;
  readonly crdName: string;
  readonly queue: WorkQueue;
  readonly pool: WorkerPool;
  crInformer?: CacheView;
  reconciler?: Reconciler;
  readonly kinds = new Map<string, ChildKind>();
  readonly failureThreshold: number;
  readonly copies: CopyCaches;
  private readonly deps: BoxDeps;
  private readonly health: Omit<BoxHealth, 'healthy' | 'status' | 'crdServed'> = { state: 'pending', consecutiveFails: 0, totalReconciles: 0, failedReconciles: 0 };

  constructor(entry: CrdEntry, deps: BoxDeps) {
    this.entry = entry;
    this.deps = deps;
    const t = entry.apiTypes;
    this.crdName = `${t.plural}.${t.group}`;
    const q = entry.operatorBox.queue ?? {};
    this.copies = new CopyCaches({
      reader: deps.cluster.reader, namespace: deps.namespace, crdLabel: labelValue(this.crdName),
      childKind: (kind: CopyKind) => this.kinds.get(kind),
      enqueue: (key) => this.enqueue(key),
      enqueueOwnerOf: (child, name, ns) => this.enqueueOwnerOf(child, name, ns),
    });
    this.failureThreshold = typeof q.failureThreshold === 'number' ? q.failureThreshold : DEFAULT_FAILURE_THRESHOLD;
    this.queue = new WorkQueue({ name: entry.name, maxDepth: typeof q.maxDepth === 'number' ? q.maxDepth : 0 });
    this.pool = new WorkerPool(this.queue, (key, signal) => this.reconciler!.reconcile(key, signal), {
      workers: entry.operatorBox.workers,
      events: { reconciled: (key, ok, ms, err) => this.recordOutcome(key, ok, ms, err) },
    });
  }

  get apiVersion(): string {
    return this.entry.apiTypes.group ? `${this.entry.apiTypes.group}/${this.entry.apiTypes.version}` : this.entry.apiTypes.version;
  }

  /**
   * Starts the informers (caches warm up; no reconcile yet). Fails with the discovery error when
   * the CRD is not served; the Runtime retries in the background.
   */
  async prepare(): Promise<void> {
    // Prepared once: a retry after a sync timeout only waits again. Preparing anew would add a
    // second handler to the shared CR view (every event queued twice) and a second Reconciler.
    if (this.crInformer) return;
    const d = this.deps;
    const ob = this.entry.operatorBox;
    const resyncMs = (ob.resync && parseDuration(ob.resync)) || DEFAULT_RESYNC_MS;
    const info = await d.cluster.reader.resource({ apiVersion: this.apiVersion, kind: this.entry.apiTypes.kind });
    for (const hook of [ob.onCreate, ob.onReconcile, ob.onDelete]) {
      for (const decl of hook.resources) {
        if (decl.kind === 'custom') {
          const av = decl.spec.apiVersion, k = decl.spec.kind;
          if (typeof av !== 'string' || typeof k !== 'string' || av.includes('{{') || k.includes('{{')) continue;
          const key = `custom:${av}:${k}`;
          if (!this.kinds.has(key)) this.kinds.set(key, await d.childKind(key, av, k));
          continue;
        }
        const b = resourceBuilder(decl.kind);
        if (!b?.gvk || this.kinds.has(b.key)) continue;
        const gv = b.gvk.group ? `${b.gvk.group}/${b.gvk.version}` : b.gvk.version;
        this.kinds.set(b.key, await d.childKind(b.key, gv, b.gvk.kind));
      }
    }
    const inf = await d.cluster.reader.cache(info, { namespace: this.entry.namespace ?? d.namespace }, { resyncMs });
    this.crInformer = inf;
    inf.addEventHandler({
      onAdd: (o) => this.enqueue(objectKey(o)),
      onUpdate: (_old, o) => this.enqueue(objectKey(o)),
      onDelete: (o) => this.reconciler?.forget(objectKey(o)),
    });
    this.reconciler = new Reconciler(this.context(inf, info), d.reconciler);
    inf.start();
    for (const k of this.kinds.values()) k.informer.start();
    openLiteralCopySources(this.entry, this.copies);
  }

  async waitForSync(timeoutMs = 60_000): Promise<void> {
    await this.crInformer?.waitForSync(timeoutMs);
    await Promise.all([...this.kinds.values()].map((k) => k.informer.waitForSync(timeoutMs)));
    // A source view that does not sync is reported by the reconciles that need it, not as the box's failure.
    await Promise.allSettled(this.copies.openedSources());
  }

  /** Starts reconciling (the leader does this; followers only keep caches warm). */
  startWorkers(): void {
    this.health.state = 'running';
    this.health.startedAt = new Date().toISOString();
    this.pool.start();
    for (const o of this.crInformer?.list() ?? []) this.enqueue(objectKey(o));
  }

  async stop(deadlineMs = 30_000): Promise<void> {
    this.queue.shutDown();
    await this.pool.stop(deadlineMs);
    this.health.state = 'stopped';
  }

  setWaiting(err: unknown): void {
    this.health.state = 'waiting';
    this.health.lastError = err instanceof Error ? err.message : String(err);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** A child changed: its owner reconciles (drift correction, fresher status). */
  enqueueOwnerOf(child: KubeObject, ownerName: string, ownerNamespace: string | undefined): void {
    const ref = (child.metadata?.ownerReferences ?? []).find((r) => r.controller && r.kind === this.entry.apiTypes.kind);
    if (ref) this.enqueue(`${child.metadata?.namespace ? `${child.metadata.namespace}/` : ''}${ref.name}`);
    else this.enqueue(ownerNamespace ? `${ownerNamespace}/${ownerName}` : ownerName);
  }

  healthSnapshot(): BoxHealth {
    const h = this.health;
    const degraded = h.consecutiveFails >= this.failureThreshold;
    const status = h.state === 'running' ? (degraded ? 'degraded' : 'healthy') : h.state;
    // A CRD deleted under a prepared box: the same `waiting` as a CRD not served at start (the
    // informer retries and relists by itself; workers stay on for when it is back).
    const gone = this.crInformer?.notFoundSince;
    if (gone && h.state !== 'stopped') {
      const err = this.crInformer?.lastError;
      const why = err instanceof Error ? err.message : String(err);
      return { ...h, healthy: false, status: 'waiting', crdServed: false, crdMissingSince: new Date(gone).toISOString(), lastError: `CRD ${this.crdName} is no longer served: ${why}` };
    }
    return { ...h, healthy: h.state === 'running' && !degraded, status, crdServed: h.state !== 'waiting' };
  }

  private recordOutcome(key: string, ok: boolean, ms: number, err: unknown): void {
    const h = this.health;
    h.totalReconciles++;
    h.lastReconcileAt = new Date().toISOString();
    if (ok) {
      h.consecutiveFails = 0;
    } else {
      h.failedReconciles++;
      h.consecutiveFails++;
      h.lastError = err instanceof Error ? err.message : String(err);
      this.deps.log.warn({ crd: this.entry.name, cr: key, err: h.lastError }, 'reconcile failed');
    }
    this.deps.onReconciled?.(this, ok, ms / 1000);
  }

  private context(crInformer: CacheView, resource: ResourceInfo): BoxContext {
    const d = this.deps;
    const t = this.entry.apiTypes;
    return {
      katalog: d.katalog,
      entry: this.entry,
      crdName: this.crdName,
      apiVersion: this.apiVersion,
      kind: t.kind,
      resource,
      crInformer,
      kinds: this.kinds,
      copies: this.copies,
      writer: d.cluster.writer,
      events: d.cluster.events,
      log: d.log,
      clock: d.clock,
      finalizer: FINALIZER,
      statusPruned: new Set(),
      terminating: d.terminating,
      crossInformer: d.crossInformer,
      metrics: () => {
        const s = this.queue.stats();
        const size = this.pool.size;
        const h = this.health;
        return {
          queueDepth: s.depth,
          workers: size,
          workersBusyPercent: size ? Math.round((this.pool.busy / size) * 100) : 0,
          errorRatePercent: h.totalReconciles ? Math.round((h.failedReconciles / h.totalReconciles) * 100) : 0,
        };
      },
      health: () => ({ ...this.healthSnapshot() }),
      describe: (cr) => `${t.kind} ${cr.metadata?.namespace ? `${cr.metadata.namespace}/` : ''}${cr.metadata?.name}`,
    };
  }
}
