// Request accounting through the transport's observer hook. The metrics module (src/api) turns
// samples into Prometheus series; tests use RequestCounter to assert how many requests were sent.
import type { RequestObserver, RequestSample, Transport } from './transport.ts';

export type { RequestObserver, RequestSample };

export interface RequestFilter {
  verb?: string;
  resource?: string;
  code?: number;
}

/** Counts requests (and their total duration) by verb, resource and code. */
export class RequestCounter {
  readonly samples: RequestSample[] = [];
  private detach?: () => void;

  /** Starts counting requests sent through `transport`. */
  attach(transport: Transport): this {
    this.detach = transport.observe((s) => this.samples.push(s));
    return this;
  }

  stop(): void {
    this.detach?.();
  }

  count(filter: RequestFilter = {}): number {
    return this.matching(filter).length;
  }

  matching(filter: RequestFilter = {}): RequestSample[] {
    return this.samples.filter(
      (s) => (filter.verb === undefined || s.verb === filter.verb) && (filter.resource === undefined || s.resource === filter.resource) && (filter.code === undefined || s.code === filter.code),
    );
  }

  /** Totals keyed "verb resource code", the shape of a Prometheus counter. */
  totals(): Map<string, { count: number; durationMs: number }> {
    const out = new Map<string, { count: number; durationMs: number }>();
    for (const s of this.samples) {
      const k = `${s.verb} ${s.resource} ${s.code}`;
      const t = out.get(k) ?? { count: 0, durationMs: 0 };
      t.count++;
      t.durationMs += s.durationMs;
      out.set(k, t);
    }
    return out;
  }

  reset(): void {
    this.samples.length = 0;
  }
}
