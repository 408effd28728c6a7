// The per-CRD work queue: deduplicating, delaying and rate-limited, in the shape of client-go's
// workqueue (learned from, not copied). Keys are `namespace/name` strings; the queue holds no
// objects, so a key always means "look at the current state of this object" (level-triggered).
//
// Invariants:
//  - a key is in `queue` at most once and only while it is in `dirty` and not in `processing`;
//  - a key handed out by get() stays in `processing` until done(); adding it meanwhile only marks
//    it dirty, and done() puts it back — so two workers never hold the same key.

/** Decides how long a failing key waits before its next attempt. */
export interface RateLimiter {
  /** Delay in ms for the next retry of `key` (records the attempt). */
  when(key: string): number;
  /** Clears the key's failure history (after a success). */
  forget(key: string): void;
  /** How many retries the key has had since the last forget. */
  numRequeues(key: string): number;
}

/** Per-key exponential backoff: base · 2^failures, capped at max. */
export class ExponentialBackoffLimiter implements RateLimiter {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #failures = new Map<string, number>();

  constructor(baseMs = 5, maxMs = 1000 * 1000) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(key: string): number {
    const n = this.#failures.get(key) ?? 0;
    this.#failures.set(key, n + 1);
    // 2 ** n overflows to Infinity for huge n; Math.min keeps the cap.
    return Math.min(this.#baseMs * 2 ** n, this.#maxMs);
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * Overall token bucket (qps, burst) shared by all keys: protects the API server when many keys
 * fail at once. Each call reserves a token and returns how long to wait for it.
 */
export class TokenBucketLimiter implements RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(qps = 50, burst = 300, now: () => number = () => Date.now()) {
    this.#qps = qps;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#last = now();
  }

  when(): number {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#qps);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#qps) * 1000);
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go's default: per-item backoff + bucket). */
export class MaxOfLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    return Math.max(0, ...this.#limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.#limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(0, ...this.#limiters.map((l) => l.numRequeues(key)));
  }
}

export interface RateLimitOptions {
  /** First retry delay (default 5 ms), doubling per failure. */
  baseDelayMs?: number;
  /** Cap of the per-key delay (default 1000 s, as client-go). */
  maxDelayMs?: number;
  /** Overall retry rate (default 50/s) and burst (default 300). */
  qps?: number;
  burst?: number;
}

export function defaultRateLimiter(o: RateLimitOptions = {}, now: () => number = () => Date.now()): RateLimiter {
  return new MaxOfLimiter(
    new ExponentialBackoffLimiter(o.baseDelayMs ?? 5, o.maxDelayMs ?? 1000 * 1000),
    new TokenBucketLimiter(o.qps ?? 50, o.burst ?? 300, now),
  );
}

/** Observability hooks; wire them to Prometheus (or anything) outside the queue. */
export interface QueueMetricsSink {
  /** A new key entered the queue (deduplicated adds are not counted). */
  added?(key: string): void;
  /** Current depth (keys waiting, not counting those being processed). */
  depth?(depth: number): void;
  /** A key was scheduled for a rate-limited retry. */
  retried?(key: string): void;
  /** A key was rejected because the queue was at maxDepth. */
  rejected?(key: string): void;
  /** Seconds a key waited in the queue before a worker took it. */
  queued?(key: string, seconds: number): void;
  /** Seconds a worker held a key (get → done). */
  processed?(key: string, seconds: number): void;
}

export interface QueueStats {
  depth: number;
  processing: number;
  waitingDelayed: number;
  adds: number;
  retries: number;
  rejected: number;
  /** Seconds the longest-running in-flight key has been processed. */
  longestRunningSeconds: number;
  /** Sum of the seconds all in-flight keys have been processed (client-go's "unfinished work"). */
  unfinishedWorkSeconds: number;
}

export interface WorkQueueOptions extends RateLimitOptions {
  name?: string;
  /** Reject new keys beyond this many waiting keys; 0 = unlimited (the default). */
  maxDepth?: number;
  rateLimiter?: RateLimiter;
  metrics?: QueueMetricsSink;
  /** Clock in ms (tests); timers are the global ones (mockable with node:test mock.timers). */
  now?: () => number;
}

type Waiter = { resolve: (key: string | undefined) => void; signal?: AbortSignal; onAbort?: () => void };

export class WorkQueue {
  readonly name: string;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Map<string, number>(); // key → started at (ms)
  readonly #enqueuedAt = new Map<string, number>();
  readonly #delayed = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  readonly #waiters: Waiter[] = [];
  readonly #limiter: RateLimiter;
  readonly #metrics: QueueMetricsSink;
  readonly #now: () => number;
  #maxDepth: number;
  #shuttingDown = false;
  #draining = false;
  #drained: (() => void)[] = [];
  #adds = 0;
  #retries = 0;
  #rejected = 0;

  constructor(options: WorkQueueOptions = {}) {
    this.name = options.name ?? 'queue';
    this.#now = options.now ?? (() => Date.now());
    this.#limiter = options.rateLimiter ?? defaultRateLimiter(options, this.#now);
    this.#metrics = options.metrics ?? {};
    this.#maxDepth = options.maxDepth ?? 0;
  }

  /** Changes the depth limit at runtime (operator autoscaler `do.queueDepth`). */
  setMaxDepth(maxDepth: number): void {
    this.#maxDepth = Math.max(0, Math.floor(maxDepth));
  }

  get maxDepth(): number {
    return this.#maxDepth;
  }

  /** Keys waiting to be handed out. */
  len(): number {
    return this.#queue.length;
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Marks `key` as needing work. Returns false when the key was rejected (shutting down, or the
   * queue is at maxDepth); true when queued or already pending. Rejection is safe because the
   * informer's resync adds every key again later.
   */
  add(key: string): boolean {
    if (this.#shuttingDown) return false;
    if (this.#dirty.has(key)) return true;
    // dirty counts keys waiting plus keys re-added while processing: both will run again.
    if (this.#maxDepth > 0 && this.#dirty.size >= this.#maxDepth) {
      this.#rejected++;
      this.#emit(() => this.#metrics.rejected?.(key));
      return false;
    }
    this.#dirty.add(key);
    this.#adds++;
    this.#emit(() => this.#metrics.added?.(key));
    if (this.#processing.has(key)) return true; // done() re-queues it
    this.#push(key);
    return true;
  }

  /** Adds `key` after `delayMs`. Several pending delays for one key keep the earliest. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const at = this.#now() + delayMs;
    const pending = this.#delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    // A pending retry must not keep a finished process alive.
    if (typeof timer === 'object' && timer !== null && 'unref' in timer) timer.unref();
    this.#delayed.set(key, { at, timer });
  }

  /** Schedules a retry of `key` after its backoff (per-key exponential, overall bucket). */
  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.#retries++;
    this.#emit(() => this.#metrics.retried?.(key));
    this.addAfter(key, this.#limiter.when(key));
  }

  /** Resets the key's backoff; call after a successful reconcile. */
  forget(key: string): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#limiter.numRequeues(key);
  }

  /**
   * Resolves with the next key, or undefined once the queue is shut down (after a drain: once
   * nothing is left). Every key received must be passed to done(). An aborted signal resolves
   * a pending get() with undefined (used to retire idle workers).
   */
  get(signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    const next = this.#take();
    if (next !== undefined) return Promise.resolve(next);
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = { resolve, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          resolve(undefined);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }

  /** Marks the key as finished; if it was added meanwhile, queues it again. */
  done(key: string): void {
    const started = this.#processing.get(key);
    if (started === undefined) return;
    this.#processing.delete(key);
    this.#emit(() => this.#metrics.processed?.(key, (this.#now() - started) / 1000));
    if (this.#dirty.has(key)) {
      // After a plain shutDown nothing runs again; during a drain the re-add still runs once.
      if (this.#shuttingDown && !this.#draining) this.#dirty.delete(key);
      else this.#push(key);
    }
    this.#checkDrained();
  }

  /** Stops accepting keys; pending get() calls resolve undefined; queued keys are dropped. */
  shutDown(): void {
    this.#shuttingDown = true;
    this.#draining = false;
    this.#clearDelayed();
    this.#dirty.clear();
    this.#queue.length = 0;
    this.#enqueuedAt.clear();
    this.#emit(() => this.#metrics.depth?.(0));
    this.#wakeAll();
    this.#checkDrained();
  }

  /**
   * Stops accepting new keys but keeps handing out the queued ones; resolves when nothing is
   * queued or being processed (keys re-added during processing still run once more).
   */
  shutDownWithDrain(): Promise<void> {
    this.#shuttingDown = true;
    this.#draining = true;
    this.#clearDelayed();
    const p = new Promise<void>((resolve) => this.#drained.push(resolve));
    this.#checkDrained();
    return p;
  }

  stats(): QueueStats {
    const now = this.#now();
    let longest = 0;
    let total = 0;
    for (const started of this.#processing.values()) {
      const s = (now - started) / 1000;
      total += s;
      longest = Math.max(longest, s);
    }
    return {
      depth: this.#queue.length,
      processing: this.#processing.size,
      waitingDelayed: this.#delayed.size,
      adds: this.#adds,
      retries: this.#retries,
      rejected: this.#rejected,
      longestRunningSeconds: longest,
      unfinishedWorkSeconds: total,
    };
  }

  #push(key: string): void {
    this.#queue.push(key);
    this.#enqueuedAt.set(key, this.#now());
    this.#emit(() => this.#metrics.depth?.(this.#queue.length));
    while (this.#waiters.length > 0 && this.#queue.length > 0) {
      const w = this.#waiters.shift() as Waiter;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(this.#take());
    }
  }

  #take(): string | undefined {
    if (this.#shuttingDown && !this.#draining) return undefined;
    const key = this.#queue.shift();
    if (key === undefined) return undefined;
    const now = this.#now();
    this.#processing.set(key, now);
    this.#dirty.delete(key);
    const queuedAt = this.#enqueuedAt.get(key) ?? now;
    this.#enqueuedAt.delete(key);
    this.#emit(() => {
      this.#metrics.depth?.(this.#queue.length);
      this.#metrics.queued?.(key, (now - queuedAt) / 1000);
    });
    return key;
  }

  #wakeAll(): void {
    for (const w of this.#waiters.splice(0)) {
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(undefined);
    }
  }

  #clearDelayed(): void {
    for (const { timer } of this.#delayed.values()) clearTimeout(timer);
    this.#delayed.clear();
  }

  #checkDrained(): void {
    if (!this.#shuttingDown || this.#queue.length > 0 || this.#processing.size > 0) return;
    this.#wakeAll();
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  /** A throwing metrics sink must never break the queue's bookkeeping. */
  #emit(fn: () => void): void {
    try {
      fn();
    } catch {
      // metrics are best effort
    }
  }
}
