// Kubernetes Events (events.k8s.io/v1) for the objects an operator manages. Repeats of the same
// (regarding, type, reason, action, note) within `windowMs` update the first Event's `series`
// (count, lastObservedTime) instead of creating new Events; series updates for one key are
// coalesced; new Events are rate limited by a token bucket. Recording never throws into the
// caller: a failed write is counted and reported to `onError`.
import type { KubeClient } from './client.ts';
import { isNotFound } from './errors.ts';
import type { KubeObject } from './types.ts';
import { terminatingNamespaces, type TerminatingNamespaces } from './terminating-namespaces.ts';

export interface EventInput {
  type: 'Normal' | 'Warning';
  reason: string;
  /** What was done or failed, e.g. "Reconcile", "Apply". */
  action: string;
  note?: string;
}

export interface EventRecorderOptions {
  reportingController: string;
  reportingInstance: string;
  /** Repeats within this time of the last occurrence join the series (default 10 minutes). */
  windowMs?: number;
  /** Series updates of one Event are sent at most this often (default 1 s). */
  seriesFlushMs?: number;
  /** Token bucket for new Events: burst size and tokens added per second. */
  burst?: number;
  refillPerSecond?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
  /**
   * Shared memory of namespaces being deleted: events for them are dropped instead of sent (the
   * server refuses every create there), and a refusal seen here marks the namespace for others.
   */
  terminating?: TerminatingNamespaces;
}

export interface EventRecorderStats {
  created: number;
  seriesUpdates: number;
  dropped: number;
  failed: number;
}

interface Series {
  namespace: string;
  name?: string;
  count: number;
  lastObservedAt: number;
  /** Resolves once the Event exists (or failed to be created). */
  created: Promise<void>;
  flushTimer?: NodeJS.Timeout;
  flushing?: Promise<void>;
  body: Record<string, unknown>;
}

/** The identity of an event for aggregation: same regarding object, type, reason, action and note. */
export function aggregationKey(regarding: KubeObject, ev: EventInput): string {
  const m = regarding.metadata ?? {};
  const who = m.uid ?? `${regarding.apiVersion}/${regarding.kind}/${m.namespace ?? ''}/${m.name}`;
  return JSON.stringify([who, ev.type, ev.reason, ev.action, ev.note ?? '']);
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

export class EventRecorder {
  readonly stats: EventRecorderStats = { created: 0, seriesUpdates: 0, dropped: 0, failed: 0 };
  private readonly client: KubeClient;
  private readonly opts: Required<Omit<EventRecorderOptions, 'onError' | 'terminating'>> & Pick<EventRecorderOptions, 'onError' | 'terminating'>;
  private readonly series = new Map<string, Series>();
  private readonly inflight = new Set<Promise<void>>();
  private tokens: number;
  private tokensAt: number;

  constructor(client: KubeClient, opts: EventRecorderOptions) {
    this.client = client;
    this.opts = { windowMs: 600_000, seriesFlushMs: 1_000, burst: 25, refillPerSecond: 1, now: Date.now, ...opts };
    this.tokens = this.opts.burst;
    this.tokensAt = this.opts.now();
  }

  /** Records an event about `regarding`. The promise settles when the write is done; it never rejects. */
  record(regarding: KubeObject, ev: EventInput): Promise<void> {
    try {
      return this.track(this.recordInner(regarding, ev));
    } catch (e) {
      this.fail(e);
      return Promise.resolve();
    }
  }

  /** Sends pending series updates and waits for every write in flight (shutdown, tests). */
  async flush(): Promise<void> {
    for (const s of this.series.values()) {
      if (s.flushTimer) {
        clearTimeout(s.flushTimer);
        s.flushTimer = undefined;
        this.track(this.sendSeries(s));
      }
    }
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  private recordInner(regarding: KubeObject, ev: EventInput): Promise<void> {
    const now = this.opts.now();
    const key = aggregationKey(regarding, ev);
    const existing = this.series.get(key);
    if (existing && now - existing.lastObservedAt <= this.opts.windowMs) {
      existing.count++;
      existing.lastObservedAt = now;
      if (!existing.flushTimer) {
        existing.flushTimer = setTimeout(() => {
          existing.flushTimer = undefined;
          this.track(this.sendSeries(existing));
        }, this.opts.seriesFlushMs);
        existing.flushTimer.unref();
      }
      return Promise.resolve();
    }
    if (this.series.size > 4096) this.evict(now);
    const m = regarding.metadata ?? {};
    const namespace = m.namespace || 'default';
    if ((this.opts.terminating?.remainingMs(namespace) ?? 0) > 0) {
      this.stats.dropped++;
      return Promise.resolve();
    }
    if (!this.takeToken(now)) {
      this.stats.dropped++;
      return Promise.resolve();
    }
    const body: Record<string, unknown> = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { namespace },
      eventTime: microTime(now),
      type: ev.type,
      reason: ev.reason.slice(0, 128),
      action: ev.action.slice(0, 128),
      note: truncate(ev.note ?? '', 1024),
      regarding: { apiVersion: regarding.apiVersion, kind: regarding.kind, name: m.name, namespace: m.namespace, uid: m.uid },
      reportingController: this.opts.reportingController,
      reportingInstance: this.opts.reportingInstance.slice(0, 128),
    };
    const s: Series = { namespace, count: 1, lastObservedAt: now, created: Promise.resolve(), body };
    s.created = this.create(s, now);
    this.series.set(key, s);
    return s.created;
  }

  private async create(s: Series, now: number): Promise<void> {
    // Unique per occurrence, like client-go: "<object name>.<time in hex>".
    const name = `${String((s.body.regarding as { name?: string }).name ?? 'event').slice(0, 200)}.${(now * 1e6 + Math.floor(Math.random() * 1e6)).toString(16)}`;
    const body = { ...s.body, metadata: { namespace: s.namespace, name } };
    try {
      await this.client.create(body);
      s.name = name;
      this.stats.created++;
    } catch (e) {
      const refusedBy = this.opts.terminating ? terminatingNamespaces(e) : undefined;
      if (refusedBy) {
        for (const ns of refusedBy) this.opts.terminating!.mark(ns);
        this.stats.dropped++;
        return;
      }
      this.fail(e);
    }
  }

  private async sendSeries(s: Series): Promise<void> {
    await s.created;
    await s.flushing;
    const run = async (): Promise<void> => {
      const series = { count: s.count, lastObservedTime: microTime(s.lastObservedAt) };
      try {
        if (!s.name) throw new Error('event was never created');
        await this.client.patch({ apiVersion: 'events.k8s.io/v1', kind: 'Event' }, s.name, { series }, { namespace: s.namespace, type: 'merge' });
        this.stats.seriesUpdates++;
      } catch (e) {
        // The Event expired (TTL) or was never written: start a new one carrying the series so far.
        if (isNotFound(e) || !s.name) {
          if (!this.takeToken(this.opts.now())) {
            this.stats.dropped++;
            return;
          }
          const name = `${String((s.body.regarding as { name?: string }).name ?? 'event').slice(0, 200)}.${(this.opts.now() * 1e6).toString(16)}`;
          try {
            await this.client.create({ ...s.body, metadata: { namespace: s.namespace, name }, eventTime: microTime(s.lastObservedAt), ...(s.count > 1 ? { series } : {}) });
            s.name = name;
            this.stats.created++;
          } catch (e2) {
            this.fail(e2);
          }
        } else this.fail(e);
      }
    };
    s.flushing = run();
    await s.flushing;
  }

  private takeToken(now: number): boolean {
    this.tokens = Math.min(this.opts.burst, this.tokens + ((now - this.tokensAt) / 1000) * this.opts.refillPerSecond);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  private evict(now: number): void {
    for (const [k, s] of this.series) if (now - s.lastObservedAt > this.opts.windowMs && !s.flushTimer) this.series.delete(k);
  }

  private track(p: Promise<void>): Promise<void> {
    const safe = p.catch((e) => this.fail(e));
    this.inflight.add(safe);
    void safe.finally(() => this.inflight.delete(safe));
    return safe;
  }

  private fail(e: unknown): void {
    this.stats.failed++;
    try {
      this.opts.onError?.(e);
    } catch {
      // Reporting must not throw either.
    }
  }
}

function truncate(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = s.slice(0, maxBytes);
  while (Buffer.byteLength(out) > maxBytes - 3) out = out.slice(0, -1);
  return `${out}...`;
}
