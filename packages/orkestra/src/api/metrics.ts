// Prometheus metrics of one running Orkestra process, per CRD, in one registry per process (so
// tests can run several operators side by side). Event-driven series (reconciles, API requests)
// are fed by hooks; state series (queues, workers, watches, health) are read from the engine at
// scrape time by `collect()`, so the engine needs no knowledge of Prometheus.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestSample, Transport } from '../kube/index.ts';
import type { WatchFreshness } from './freshness.ts';

/** What the metrics read from one OperatorBox (a structural view of the engine's box). */
export interface BoxView {
  readonly crd: string;
  queueStats(): { depth: number; adds: number; retries: number; rejected: number; longestRunningSeconds: number; unfinishedWorkSeconds: number };
  workers(): { size: number; busy: number };
  health(): { status: string; healthy: boolean; consecutiveFails: number; crdServed?: boolean };
}

export interface MetricsSource {
  boxes(): BoxView[];
  freshness: WatchFreshness;
  isLeader(): boolean;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const STATES = ['pending', 'waiting', 'healthy', 'degraded', 'stopped'];

export class OrkestraMetrics {
  readonly registry = new Registry();
  private readonly reconcileTotal: Counter<'crd' | 'result'>;
  private readonly reconcileDuration: Histogram<'crd'>;
  private readonly apiRequests: Counter<'verb' | 'resource' | 'code'>;
  private readonly apiDuration: Histogram<'verb' | 'resource'>;
  private readonly queueDepth: Gauge<'crd'>;
  private readonly queueAdds: Counter<'crd'>;
  private readonly queueRetries: Counter<'crd'>;
  private readonly queueRejected: Counter<'crd'>;
  private readonly queueLongest: Gauge<'crd'>;
  private readonly queueUnfinished: Gauge<'crd'>;
  private readonly workersBusy: Gauge<'crd'>;
  private readonly workersTotal: Gauge<'crd'>;
  private readonly watchEvents: Counter<'resource'>;
  private readonly watchFreshness: Gauge<'resource'>;
  private readonly crdHealthy: Gauge<'crd'>;
  private readonly crdState: Gauge<'crd' | 'state'>;
  private readonly crdFailures: Gauge<'crd'>;
  private readonly crdServed: Gauge<'crd'>;
  private readonly leader: Gauge;
  /** Last values of counters read from cumulative engine stats: counters only move forward. */
  private readonly seenCounts = new Map<string, number>();
  private source?: MetricsSource;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.reconcileTotal = new Counter({ name: 'orkestra_reconcile_total', help: 'Reconciles by CRD and result (success, error).', labelNames: ['crd', 'result'], registers });
    this.reconcileDuration = new Histogram({ name: 'orkestra_reconcile_duration_seconds', help: 'Duration of one reconcile.', labelNames: ['crd'], buckets: BUCKETS, registers });
    this.apiRequests = new Counter({ name: 'orkestra_api_requests_total', help: 'Requests sent to the Kubernetes API server by verb, resource and HTTP code (0: no answer).', labelNames: ['verb', 'resource', 'code'], registers });
    this.apiDuration = new Histogram({ name: 'orkestra_api_request_duration_seconds', help: 'Latency of Kubernetes API requests (watches: until the stream opened).', labelNames: ['verb', 'resource'], buckets: BUCKETS, registers });
    this.queueDepth = new Gauge({ name: 'orkestra_queue_depth', help: 'Keys waiting in the work queue.', labelNames: ['crd'], registers });
    this.queueAdds = new Counter({ name: 'orkestra_queue_adds_total', help: 'Keys added to the work queue (deduplicated adds not counted).', labelNames: ['crd'], registers });
    this.queueRetries = new Counter({ name: 'orkestra_queue_retries_total', help: 'Rate-limited retries scheduled.', labelNames: ['crd'], registers });
    this.queueRejected = new Counter({ name: 'orkestra_queue_rejected_total', help: 'Keys rejected because the queue was at maxDepth.', labelNames: ['crd'], registers });
    this.queueLongest = new Gauge({ name: 'orkestra_queue_longest_running_processor_seconds', help: 'Seconds the longest in-flight reconcile has been running.', labelNames: ['crd'], registers });
    this.queueUnfinished = new Gauge({ name: 'orkestra_queue_unfinished_work_seconds', help: 'Sum of the seconds all in-flight reconciles have been running.', labelNames: ['crd'], registers });
    this.workersBusy = new Gauge({ name: 'orkestra_workers_busy', help: 'Workers inside a reconcile.', labelNames: ['crd'], registers });
    this.workersTotal = new Gauge({ name: 'orkestra_workers', help: 'Workers of the CRD (0 on a follower).', labelNames: ['crd'], registers });
    this.watchEvents = new Counter({ name: 'orkestra_watch_events_total', help: 'Watch events received (bookmarks excluded).', labelNames: ['resource'], registers });
    this.watchFreshness = new Gauge({ name: 'orkestra_watch_freshness_seconds', help: 'Seconds since the watch last heard from the API server (event, bookmark, list or watch reopen); the stalest informer of the resource.', labelNames: ['resource'], registers });
    this.crdHealthy = new Gauge({ name: 'orkestra_crd_healthy', help: '1 when the CRD is reconciling with fewer than failureThreshold consecutive failures.', labelNames: ['crd'], registers });
    this.crdState = new Gauge({ name: 'orkestra_crd_state', help: 'CRD health state (1 for the current one).', labelNames: ['crd', 'state'], registers });
    this.crdFailures = new Gauge({ name: 'orkestra_crd_consecutive_failures', help: 'Consecutive failed reconciles of the CRD.', labelNames: ['crd'], registers });
    this.crdServed = new Gauge({ name: 'orkestra_crd_served', help: '1 when the API server serves the CRD; 0 while it is missing (not installed yet, or deleted).', labelNames: ['crd'], registers });
    this.leader = new Gauge({ name: 'orkestra_leader', help: '1 when this process holds the leader Lease (or runs without leader election).', registers });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Connects the scrape-time collectors to the engine. */
  attach(source: MetricsSource): void {
    this.source = source;
  }

  /** Counts every request the transport sends; returns the detach function. */
  observeTransport(transport: Transport): () => void {
    return transport.observe((s: RequestSample) => {
      this.apiRequests.inc({ verb: s.verb, resource: s.resource, code: String(s.code) });
      this.apiDuration.observe({ verb: s.verb, resource: s.resource }, s.durationMs / 1000);
    });
  }

  /** The Runtime's onReconciled hook. */
  reconciled(crd: string, ok: boolean, seconds: number): void {
    this.reconcileTotal.inc({ crd, result: ok ? 'success' : 'error' });
    this.reconcileDuration.observe({ crd }, seconds);
  }

  /** Prometheus text exposition, with state series read now. */
  async text(): Promise<string> {
    this.collect();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  collect(): void {
    const src = this.source;
    if (!src) return;
    this.leader.set(src.isLeader() ? 1 : 0);
    for (const b of src.boxes()) {
      const l = { crd: b.crd };
      const q = b.queueStats();
      this.queueDepth.set(l, q.depth);
      this.forward(this.queueAdds, `adds ${b.crd}`, l, q.adds);
      this.forward(this.queueRetries, `retries ${b.crd}`, l, q.retries);
      this.forward(this.queueRejected, `rejected ${b.crd}`, l, q.rejected);
      this.queueLongest.set(l, q.longestRunningSeconds);
      this.queueUnfinished.set(l, q.unfinishedWorkSeconds);
      const w = b.workers();
      this.workersBusy.set(l, w.busy);
      this.workersTotal.set(l, w.size);
      const h = b.health();
      this.crdHealthy.set(l, h.healthy ? 1 : 0);
      this.crdFailures.set(l, h.consecutiveFails);
      this.crdServed.set(l, h.crdServed === false ? 0 : 1);
      for (const s of STATES) this.crdState.set({ crd: b.crd, state: s }, h.status === s ? 1 : 0);
    }
    // Several informers may watch one resource (different namespaces or selectors): report the
    // stalest, and the sum of their events.
    const fresh = new Map<string, number>();
    const events = new Map<string, number>();
    for (const s of src.freshness.samples()) {
      const secs = Number.isFinite(s.seconds) ? s.seconds : -1;
      fresh.set(s.resource, Math.max(fresh.get(s.resource) ?? -1, secs));
      events.set(s.resource, (events.get(s.resource) ?? 0) + s.events);
    }
    // -1 marks a watch that has not heard anything yet (never synced).
    for (const [resource, secs] of fresh) this.watchFreshness.set({ resource }, secs);
    for (const [resource, n] of events) this.forward(this.watchEvents, `events ${resource}`, { resource }, n);
  }

  private forward<L extends string>(c: Counter<L>, key: string, labels: Partial<Record<L, string>>, total: number): void {
    const before = this.seenCounts.get(key) ?? 0;
    // inc by 0 makes the series visible from the first scrape.
    c.inc(labels, Math.max(0, total - before));
    this.seenCounts.set(key, Math.max(before, total));
  }
}
