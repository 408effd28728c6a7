// The Runtime: every enabled CRD of a Katalog becomes an OperatorBox in this process. It owns
// what the boxes share — the cluster (its caches, writer and events), one watch per child kind
// (events are routed to the owning box by label) and the memory of terminating namespaces. A
// CRD that is not served yet does not hold the others back: its box waits in the background and
// starts when the CRD appears.
import { TerminatingNamespaces, type KubeClient, type KubeObject } from '../kube/index.ts';
import type { Katalog } from '../katalog/model.ts';
import { LABEL_CRD, LABEL_MANAGED_BY, LABEL_OWNER, LABEL_OWNER_NAMESPACE, MANAGED_BY_VALUE, labelValue } from './resources/index.ts';
import { OperatorBox } from './operator-box.ts';
import { KubeCluster } from './cluster/kube-cluster.ts';
import { WatchLog } from './watch-log.ts';
import type { ChildKind } from './children.ts';
import type { Log } from './box-context.ts';
import type { ReconcilerOptions } from './reconciler.ts';
import { systemClock, type CacheView, type Clock, type Cluster } from './ports.ts';

/** The longest wait between two attempts to start a box whose CRD is not served. */
const MAX_RETRY_MS = 30_000;

export interface RuntimeOptions {
  /** The cluster to run on; default: the API server `client` talks to. */
  cluster?: Cluster;
  /** Used when no `cluster` is given. */
  client?: KubeClient;
  log: Log;
  clock?: Clock;
  /** Namespaces being deleted; give the one the cluster's event recorder shares, if any. */
  terminating?: TerminatingNamespaces;
  reconciler?: ReconcilerOptions;
  /** Server-side apply field manager and event reporting controller. Default `orkestra`. */
  fieldManager?: string;
  /** This process's identity (events' reportingInstance, leader election). */
  identity?: string;
  /** Watch (and manage) only this namespace; default: all namespaces. */
  namespace?: string;
  /** How long to wait between attempts to start a box whose CRD is not served. */
  retryMs?: number;
  /** Base server-side watch timeout of every informer (watches reopen after t–2t; bounds how long a quiet watch goes unheard). */
  watchTimeoutSeconds?: number;
  onReconciled?(box: OperatorBox, ok: boolean, seconds: number): void;
}

export class Runtime {
  readonly katalog: Katalog;
  readonly cluster: Cluster;
  /** Set when running on the API server (the CLI's freshness metric and event reads use it). */
  readonly kube?: KubeCluster;
  readonly boxes = new Map<string, OperatorBox>();
  private readonly log: Log;
  private readonly opts: RuntimeOptions;
  private readonly childKinds = new Map<string, Promise<ChildKind>>();
  /** Label value of LABEL_CRD → box. */
  private readonly byCrdLabel = new Map<string, OperatorBox>();
  private workersOn = false;
  private stopped = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(katalog: Katalog, opts: RuntimeOptions) {
    this.katalog = katalog;
    this.opts = opts;
    this.log = opts.log;
    const manager = opts.fieldManager ?? 'orkestra';
    // One memory for the whole process: a refusal seen by any box or by the recorder spares the rest.
    const terminating = opts.terminating ?? new TerminatingNamespaces();
    if (opts.cluster) {
      this.cluster = opts.cluster;
      if (opts.cluster instanceof KubeCluster) this.kube = opts.cluster;
    } else {
      if (!opts.client) throw new TypeError('Runtime needs a cluster or a client');
      const watchLog = new WatchLog(opts.log);
      this.kube = new KubeCluster(opts.client, {
        fieldManager: manager,
        identity: opts.identity ?? manager,
        terminating,
        watchTimeoutSeconds: opts.watchTimeoutSeconds,
        onWatchError: (err, phase, retry) => watchLog.error(err, phase, retry),
        onWatchRecovered: (info) => watchLog.recovered(info),
        onEventError: (err) => this.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'event not recorded'),
      });
      this.cluster = this.kube;
    }
    const clock = opts.clock ?? systemClock;
    for (const entry of katalog.crds) {
      if (!entry.enabled) continue;
      const box = new OperatorBox(entry, {
        katalog,
        cluster: this.cluster,
        clock,
        log: opts.log,
        reconciler: opts.reconciler,
        namespace: opts.namespace,
        childKind: (key, apiVersion, kind) => this.childKind(key, apiVersion, kind),
        crossInformer: (name) => this.boxes.get(name)?.crInformer,
        terminating,
        onReconciled: opts.onReconciled,
      });
      this.boxes.set(entry.name, box);
      this.byCrdLabel.set(labelValue(box.crdName), box);
    }
  }

  /** Starts every box's informers and waits for their caches (boxes whose CRD is missing wait in the background). */
  async startInformers(syncTimeoutMs = 60_000): Promise<void> {
    await Promise.all([...this.boxes.values()].map((b) => this.prepare(b, syncTimeoutMs)));
  }

  /** Starts reconciling in every prepared box (and in boxes that become ready later). */
  startWorkers(): void {
    this.workersOn = true;
    for (const b of this.boxes.values()) if (b.crInformer && b.healthSnapshot().state !== 'running') b.startWorkers();
  }

  async stop(deadlineMs = 30_000): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers) clearTimeout(t);
    await Promise.all([...this.boxes.values()].map((b) => b.stop(deadlineMs)));
    await this.cluster.stop();
  }

  /**
   * Prepares a box; while its CRD is not served, tries again with a growing delay (retryMs,
   * doubling, capped at 30 s like a watch whose CRD went away), one log line per attempt.
   */
  private async prepare(box: OperatorBox, syncTimeoutMs: number, attempt = 1): Promise<void> {
    try {
      await box.prepare();
      await box.waitForSync(syncTimeoutMs);
      this.log.info({ crd: box.entry.name, kind: box.entry.apiTypes.kind, workers: box.entry.operatorBox.workers }, 'operator ready');
      if (this.workersOn) box.startWorkers();
    } catch (err) {
      box.setWaiting(err);
      if (this.stopped) return;
      const base = this.opts.retryMs ?? 5_000;
      const delayMs = Math.min(base * 2 ** Math.min(attempt - 1, 10), Math.max(base, MAX_RETRY_MS));
      this.log.warn({ crd: box.entry.name, err: err instanceof Error ? err.message : String(err), attempt, retryInMs: delayMs }, 'operator waiting for its CRD');
      const t = setTimeout(() => {
        this.retryTimers.delete(t);
        void this.prepare(box, syncTimeoutMs, attempt + 1);
      }, delayMs);
      t.unref();
      this.retryTimers.add(t);
    }
  }

  /** One informer per child kind for all boxes: it watches only objects Orkestra manages. */
  private childKind(key: string, apiVersion: string, kind: string): Promise<ChildKind> {
    const id = `${apiVersion}:${kind}`;
    let p = this.childKinds.get(id);
    if (!p) {
      p = (async () => {
        const info = await this.cluster.reader.resource({ apiVersion, kind });
        const scope = { labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`, namespace: info.namespaced ? this.opts.namespace : undefined };
        const informer = await this.cluster.reader.cache(info, scope);
        informer.addEventHandler({
          onAdd: (o, initial) => { if (!initial) this.route(o); },
          onUpdate: (_old, o) => this.route(o),
          onDelete: (o) => this.route(o),
        });
        return { key, apiVersion, kind, namespaced: info.namespaced, informer };
      })();
      this.childKinds.set(id, p);
      p.catch(() => this.childKinds.delete(id));
    }
    return p.then((k) => (k.key === key ? k : { ...k, key }));
  }

  /** A child changed: wake its owner's box. */
  private route(child: KubeObject): void {
    const l = child.metadata?.labels ?? {};
    const box = this.byCrdLabel.get(l[LABEL_CRD] ?? '');
    if (box && l[LABEL_OWNER]) box.enqueueOwnerOf(child, l[LABEL_OWNER], l[LABEL_OWNER_NAMESPACE]);
  }

  /** Cross lookups read this box's cache. */
  informerOf(crd: string): CacheView | undefined {
    return this.boxes.get(crd)?.crInformer;
  }
}
