// The worker pool of one OperatorBox: N concurrent loops taking keys from its WorkQueue and
// calling reconcile. N can change at runtime (operator autoscaler). A failing or throwing
// reconcile is retried with backoff; nothing a handler does can stop the pool or the process.

import type { WorkQueue } from './queue.ts';

/** What a successful reconcile may ask for. */
export interface ReconcileOutcome {
  /** Reconcile this key again after this many ms (requeue.after). */
  requeueAfterMs?: number;
  /**
   * The reconcile failed in a way only an edit can fix (a terminal error): it counts as a
   * failure, but is not retried with backoff — the next change or resync tries again.
   */
  failed?: unknown;
}

/** `signal` is aborted when this worker is told to stop (shutdown, pool shrink). */
export type ReconcileFn = (key: string, signal: AbortSignal) => Promise<ReconcileOutcome | void> | ReconcileOutcome | void;

export interface WorkerPoolEvents {
  /** A reconcile finished (ok=false when it threw or rejected). */
  reconciled?(key: string, ok: boolean, durationMs: number, error?: unknown): void;
  /** Busy/size changed (for `controller_workers_active`, workersBusyPercent). */
  utilization?(busy: number, size: number): void;
}

export interface WorkerPoolOptions {
  workers: number;
  events?: WorkerPoolEvents;
  now?: () => number;
}

export interface StopResult {
  /** True when every in-flight reconcile finished before the deadline. */
  drained: boolean;
  /** Keys still being reconciled when the deadline passed. */
  abandoned: string[];
}

interface Worker {
  readonly id: number;
  readonly abort: AbortController;
  retiring: boolean;
  current?: string;
  loop?: Promise<void>;
}

const MAX_WORKERS = 1000;

export class WorkerPool {
  readonly #queue: WorkQueue;
  readonly #reconcile: ReconcileFn;
  readonly #events: WorkerPoolEvents;
  readonly #now: () => number;
  readonly #workers = new Set<Worker>();
  #target: number;
  #nextId = 0;
  #started = false;
  #stopping = false;

  constructor(queue: WorkQueue, reconcile: ReconcileFn, options: WorkerPoolOptions) {
    this.#queue = queue;
    this.#reconcile = reconcile;
    this.#events = options.events ?? {};
    this.#now = options.now ?? (() => Date.now());
    this.#target = clampWorkers(options.workers);
  }

  start(): void {
    if (this.#started || this.#stopping) return;
    this.#started = true;
    this.#resize();
  }

  /** Changes the number of workers. Extra workers finish their current key, then exit. */
  setWorkers(n: number): void {
    this.#target = clampWorkers(n);
    if (this.#started && !this.#stopping) this.#resize();
  }

  /** Workers that will keep taking keys. */
  get size(): number {
    return [...this.#workers].filter((w) => !w.retiring).length;
  }

  /** Workers currently inside reconcile. */
  get busy(): number {
    return [...this.#workers].filter((w) => w.current !== undefined).length;
  }

  /** Keys being reconciled right now. */
  inFlight(): string[] {
    return [...this.#workers].flatMap((w) => (w.current === undefined ? [] : [w.current]));
  }

  /**
   * Stops taking keys and waits for in-flight reconciles up to `deadlineMs`. Does not shut the
   * queue down (its owner decides between shutDown and drain).
   */
  async stop(deadlineMs = 30_000): Promise<StopResult> {
    this.#stopping = true;
    for (const w of this.#workers) {
      w.retiring = true;
      w.abort.abort();
    }
    const loops = [...this.#workers].map((w) => w.loop);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deadlineMs);
    });
    const result = await Promise.race([Promise.all(loops).then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    return result === 'done' ? { drained: true, abandoned: [] } : { drained: false, abandoned: this.inFlight() };
  }

  #resize(): void {
    const active = [...this.#workers].filter((w) => !w.retiring);
    for (let i = active.length; i < this.#target; i++) this.#spawn();
    if (active.length > this.#target) {
      // Retire idle workers first so the pool shrinks without waiting for long reconciles.
      const ordered = [...active].sort((a, b) => Number(a.current !== undefined) - Number(b.current !== undefined));
      for (const w of ordered.slice(0, active.length - this.#target)) {
        w.retiring = true;
        w.abort.abort();
      }
    }
    this.#report();
  }

  #spawn(): void {
    const w: Worker = { id: this.#nextId++, abort: new AbortController(), retiring: false };
    this.#workers.add(w);
    // #run does not reject by construction; the catch makes sure a bug can never surface as an
    // unhandled rejection that would take the process down.
    w.loop = this.#run(w).catch(() => undefined).finally(() => {
      this.#workers.delete(w);
      this.#report();
    });
  }

  async #run(w: Worker): Promise<void> {
    while (!w.retiring && !this.#stopping) {
      const key = await this.#queue.get(w.abort.signal);
      if (key === undefined) return;
      w.current = key;
      this.#report();
      try {
        await this.#process(key, w.abort.signal);
      } finally {
        w.current = undefined;
        this.#queue.done(key);
        this.#report();
      }
    }
  }

  async #process(key: string, signal: AbortSignal): Promise<void> {
    const started = this.#now();
    let outcome: ReconcileOutcome | void;
    try {
      // Promise.resolve().then() turns a synchronous throw into a rejection we can handle.
      outcome = await Promise.resolve().then(() => this.#reconcile(key, signal));
    } catch (err) {
      this.#queue.addRateLimited(key);
      this.#notify(() => this.#events.reconciled?.(key, false, this.#now() - started, err));
      return;
    }
    this.#queue.forget(key);
    const after = outcome && typeof outcome === 'object' ? outcome.requeueAfterMs : undefined;
    if (typeof after === 'number' && Number.isFinite(after) && after >= 0) {
      this.#queue.addAfter(key, after);
    }
    const failed = outcome && typeof outcome === 'object' && 'failed' in outcome ? outcome.failed : undefined;
    this.#notify(() => this.#events.reconciled?.(key, failed === undefined, this.#now() - started, failed));
  }

  #report(): void {
    this.#notify(() => this.#events.utilization?.(this.busy, this.size));
  }

  /** Event handlers are observers; their failures are swallowed so the pool keeps running. */
  #notify(fn: () => void): void {
    try {
      fn();
    } catch {
      // observers are best effort
    }
  }
}

function clampWorkers(n: number): number {
  if (!Number.isFinite(n)) return 1;
  return Math.min(MAX_WORKERS, Math.max(1, Math.floor(n)));
}
