// Watch freshness: how long ago each informer last heard from the API server.
//
// The informer stamps `lastActivityAt` on every list, event and bookmark. A quiet but healthy
// watch delivers no events, and the API server sends a bookmark only about once a minute and
// shortly before a watch times out — so "seconds since the last event or bookmark" alone would
// make a quiet watch look stale. We also count a successful watch (re)open as contact: the
// informer increments `stats.watches` when the server accepted a watch request, and this tracker
// samples that counter every second. Together with a bounded watch timeout (the Runtime's
// `watchTimeoutSeconds`, default 30 s → watches end after 30–60 s and reopen), a healthy watch is
// heard from at least every ~60 s, while a dead API server stops both signals at once.
import { resourceName, type Informer } from '../kube/index.ts';

export interface WatchFreshnessSample {
  /** "websites.demo.orkestra.io", "deployments.apps" … */
  resource: string;
  /** Informer description (resource, namespace, selector). */
  informer: string;
  synced: boolean;
  /** The API server answers 404 for the resource (its CRD was deleted); the informer retries by itself. */
  missing: boolean;
  /** Seconds since the last list, event, bookmark or watch (re)open; Infinity before the first. */
  seconds: number;
  events: number;
}

interface Seen {
  watches: number;
  at: number;
}

export class WatchFreshness {
  private readonly informers: () => Informer[];
  private readonly now: () => number;
  private readonly seen = new WeakMap<Informer, Seen>();
  private timer?: NodeJS.Timeout;

  constructor(informers: () => Informer[], now: () => number = () => Date.now()) {
    this.informers = informers;
    this.now = now;
  }

  /** Samples the informers' watch counters every `everyMs` (unref'd: never keeps the process alive). */
  start(everyMs = 1_000): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Notes watch (re)opens since the last tick. */
  tick(): void {
    const now = this.now();
    for (const inf of this.informers()) {
      const s = this.seen.get(inf);
      if (!s) this.seen.set(inf, { watches: inf.stats.watches, at: inf.stats.watches > 0 ? now : 0 });
      else if (s.watches !== inf.stats.watches) this.seen.set(inf, { watches: inf.stats.watches, at: now });
    }
  }

  samples(): WatchFreshnessSample[] {
    this.tick();
    const now = this.now();
    return this.informers().map((inf) => {
      const last = Math.max(inf.lastActivityAt, this.seen.get(inf)?.at ?? 0);
      return {
        resource: resourceName(inf.resource),
        informer: inf.name,
        synced: inf.hasSynced(),
        missing: inf.notFoundSince > 0,
        seconds: last > 0 ? Math.max(0, (now - last) / 1000) : Number.POSITIVE_INFINITY,
        events: inf.stats.events,
      };
    });
  }

  /** Watches not heard from within `thresholdSeconds` (unsynced ones count as stale). */
  stale(thresholdSeconds: number): WatchFreshnessSample[] {
    return this.samples().filter((s) => !s.synced || s.seconds > thresholdSeconds);
  }
}
