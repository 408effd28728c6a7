// List+watch cache for one resource (optionally one namespace / selector), after client-go's
// reflector and shared informer, reduced to what an operator needs:
//  - the initial list and every relist are paged (limit + continue);
//  - watches ask for bookmarks, end after a jittered timeout and resume from the last
//    resourceVersion; 410 Gone (HTTP or in-stream) means relist, and the relist emits the
//    difference to the old cache as add/update/delete;
//  - 404 NotFound for the resource itself (its CRD deleted, its API no longer served) marks the
//    informer `notFoundSince`, forgets the resourceVersion (a re-created resource is a new
//    collection: relist) and retries on a slower backoff of its own; the cache keeps its last
//    contents until a list succeeds;
//  - any other error reconnects after exponential backoff with jitter: it never gives up;
//  - a watch that delivers nothing (no event, no bookmark) for `inactivityMs` is considered
//    half-open and reopened;
//  - cached objects carry no managedFields and are frozen.
import { Backoff, delay, jittered, type BackoffOptions } from './backoff.ts';
import type { KubeClient } from './client.ts';
import { ApiError, isGone, isNotFound } from './errors.ts';
import { defaultIndexers, deepFreeze, Store, stripManagedFields, type Indexer } from './store.ts';
import { apiVersionOf, objectKey, resourceName, type KubeObject, type ResourceInfo } from './types.ts';

export interface EventHandler<T extends KubeObject = KubeObject> {
  /** `initial`: the object was in the cache before the handler was added or came with the first list. */
  onAdd?(obj: T, initial: boolean): void;
  /** Also called on resync with the same object twice. */
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerOptions extends InformerScope {
  pageSize?: number;
  /** Re-emit every cached object as an update this often (0: never). */
  resyncMs?: number;
  /** Base server-side watch timeout; each watch draws from [t, 2t) so watches do not end together. */
  watchTimeoutSeconds?: number;
  /** A watch with no event and no bookmark for this long is reopened from the last resourceVersion. */
  inactivityMs?: number;
  backoff?: BackoffOptions;
  /**
   * Retries while the resource is not found (404). Slower than `backoff`: a deleted CRD comes
   * back when someone re-creates it, not in the next second. Default 1 s doubling to 30 s.
   */
  notFoundBackoff?: BackoffOptions;
  indexers?: Record<string, Indexer>;
  /** Called for each error before the informer retries (it always retries; `retry` says when). */
  onError?: (err: unknown, phase: 'list' | 'watch' | 'handler', retry?: RetryInfo) => void;
  /** Called once when a list or watch succeeds again after errors. */
  onRecovered?: (info: RecoveryInfo) => void;
}

/** One failed attempt and the wait before the next: one step of a backoff. */
export interface RetryInfo {
  /** The informer's description (resource, namespace, selector). */
  informer: string;
  /** "things.example.com" */
  resource: string;
  /** 1 for the first failure of a streak; steps of the not-found and of the general backoff are counted apart. */
  attempt: number;
  retryInMs: number;
  /** The API server answered 404 for the resource itself. */
  notFound: boolean;
}

export interface RecoveryInfo {
  informer: string;
  resource: string;
  /** How long the informer could not list or watch. */
  downMs: number;
  /** The streak ended a 404 (the resource is served again). */
  wasNotFound: boolean;
}

export interface InformerStats {
  /** Successful list operations (the first one and every relist). */
  lists: number;
  /** List requests (pages) sent, including failed ones. */
  listPages: number;
  /** Lists after the first (410 Gone or lost position). */
  relists: number;
  /** 410 Gone answers seen (HTTP or in-stream). */
  gone: number;
  watches: number;
  errors: number;
  inactivityTimeouts: number;
  events: number;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly resource: ResourceInfo;
  readonly scope: InformerScope;
  readonly stats: InformerStats = { lists: 0, listPages: 0, relists: 0, gone: 0, watches: 0, errors: 0, inactivityTimeouts: 0, events: 0 };
  /** Time (ms since epoch) of the last list, event or bookmark: the basis of a freshness metric. */
  lastActivityAt = 0;
  lastError: unknown;
  /** Time (ms since epoch) since when the API server answers 404 for the resource; 0 while it is served. */
  notFoundSince = 0;
  /** The resourceVersion the next watch resumes from ("" = relist). */
  resourceVersion = '';

  private readonly client: KubeClient;
  private readonly store: Store<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly opts: Required<Pick<InformerOptions, 'pageSize' | 'resyncMs' | 'watchTimeoutSeconds' | 'inactivityMs'>> & InformerOptions;
  private readonly backoff: Backoff;
  private readonly notFoundBackoff: Backoff;
  /** Start of the current streak of failed lists/watches (0: none). */
  private failingSince = 0;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running?: Promise<void>;
  private stopController = new AbortController();
  private watchController?: AbortController;
  private resyncTimer?: NodeJS.Timeout;

  constructor(client: KubeClient, resource: ResourceInfo, opts: InformerOptions = {}) {
    this.client = client;
    this.resource = resource;
    this.scope = { namespace: opts.namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    this.opts = { pageSize: 500, resyncMs: 0, watchTimeoutSeconds: 300, inactivityMs: 180_000, ...opts };
    this.backoff = new Backoff({ initialMs: 500, maxMs: 8_000, jitter: 0.3, ...opts.backoff });
    this.notFoundBackoff = new Backoff({ initialMs: 1_000, maxMs: 30_000, jitter: 0.2, ...opts.notFoundBackoff });
    this.store = new Store<T>(opts.indexers ?? defaultIndexers);
  }

  get name(): string {
    const s = this.scope;
    return `${resourceName(this.resource)}${s.namespace ? ` in ${s.namespace}` : ''}${s.labelSelector ? ` [${s.labelSelector}]` : ''}`;
  }

  start(): void {
    if (this.running) return;
    this.stopController = new AbortController();
    this.running = this.loop();
    if (this.opts.resyncMs > 0) {
      this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncMs);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.watchController?.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.running;
    this.running = undefined;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache; rejects after timeoutMs. */
  waitForSync(timeoutMs = 60_000): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`informer ${this.name} not synced after ${timeoutMs} ms${this.lastError ? `: ${String(this.lastError)}` : ''}`)), timeoutMs);
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Adds a handler; objects already cached are delivered to it as adds. Returns the remover. */
  addEventHandler(h: EventHandler<T>): () => void {
    this.handlers.add(h);
    if (this.synced) for (const o of this.store.values()) this.call(() => h.onAdd?.(o, true));
    return () => this.handlers.delete(h);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }
  getByKey(key: string): T | undefined {
    return this.store.get(key);
  }
  list(): T[] {
    return this.store.list();
  }
  byIndex(index: string, value: string): T[] {
    return this.store.byIndex(index, value);
  }
  get size(): number {
    return this.store.size;
  }

  /** Drops the watch now (it reconnects at once from the last resourceVersion). For tests and tools. */
  reconnect(): void {
    this.watchController?.abort();
  }

  private async loop(): Promise<void> {
    const stop = this.stopController.signal;
    while (!stop.aborted) {
      try {
        if (!this.resourceVersion) await this.relist();
        const { events, ms } = await this.watchOnce();
        // A watch that ends at once without delivering anything must not become a hot loop.
        if (events === 0 && ms < 1000 && !stop.aborted) await delay(this.backoff.next(), stop);
      } catch (e) {
        if (stop.aborted) break;
        this.lastError = e;
        if (isGone(e)) {
          // The server no longer has our position: list again, at once the first time.
          this.stats.gone++;
          this.resourceVersion = '';
          this.report(e, 'watch');
          if (this.backoff.attempts > 0) await delay(this.backoff.next(), stop);
          else this.backoff.next();
          continue;
        }
        this.stats.errors++;
        const phase = this.resourceVersion ? 'watch' : 'list';
        this.failingSince ||= Date.now();
        const notFound = isNotFound(e);
        if (notFound && !this.notFoundSince) {
          this.notFoundSince = Date.now();
          this.resourceVersion = '';
          // Discovery still maps the kind to the old resource; writers must ask the server again.
          this.client.mapper.invalidate(apiVersionOf(this.resource));
        }
        const b = notFound ? this.notFoundBackoff : this.backoff;
        const wait = b.next();
        this.report(e, phase, { informer: this.name, resource: resourceName(this.resource), attempt: b.attempts, retryInMs: Math.round(wait), notFound });
        await delay(wait, stop);
      }
    }
  }

  private async relist(): Promise<void> {
    const scope = { ...this.scope, signal: this.stopController.signal, timeoutMs: 120_000 };
    let items: KubeObject[] = [];
    let rv = '';
    let cont: string | undefined;
    let paged = true;
    do {
      let page;
      try {
        this.stats.listPages++;
        page = await this.client.list(this.resource, { ...scope, limit: paged ? this.opts.pageSize : undefined, continue: cont });
      } catch (e) {
        // An expired continue token (410 while paging): fall back to one unpaged list.
        if (cont && isGone(e)) {
          this.stats.gone++;
          paged = false;
          cont = undefined;
          items = [];
          continue;
        }
        throw e;
      }
      for (const i of page.items) items.push(i);
      rv = page.metadata?.resourceVersion ?? rv;
      cont = (paged && page.metadata?.continue) || undefined;
    } while (cont);
    this.replace(items as T[], rv);
  }

  /** Swaps in a full list and emits the difference to the previous cache. */
  private replace(items: T[], rv: string): void {
    const initial = !this.synced;
    if (this.stats.lists > 0) this.stats.relists++;
    this.stats.lists++;
    const seen = new Set<string>();
    const changes: (() => void)[] = [];
    for (const raw of items) {
      const obj = this.prepare(raw);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.store.set(obj);
      changes.push(old ? () => this.emitUpdate(old, obj) : () => this.emitAdd(obj, initial));
    }
    for (const key of [...this.store.keys()]) {
      if (seen.has(key)) continue;
      const old = this.store.delete(key)!;
      changes.push(() => this.emitDelete(old));
    }
    this.resourceVersion = rv;
    this.lastActivityAt = Date.now();
    this.backoff.reset();
    this.recovered();
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
    for (const c of changes) c();
  }

  private async watchOnce(): Promise<{ events: number; ms: number }> {
    const started = Date.now();
    const ac = new AbortController();
    this.watchController = ac;
    const onStop = (): void => ac.abort();
    this.stopController.signal.addEventListener('abort', onStop, { once: true });
    if (this.stopController.signal.aborted) ac.abort(); // stop() came before this watch
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        ac.abort();
      }, this.opts.inactivityMs);
    };
    let events = 0;
    try {
      arm();
      const stream = await this.client.watch(this.resource, {
        ...this.scope,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: Math.round(jittered(this.opts.watchTimeoutSeconds * 1.5, 1 / 3)),
        signal: ac.signal,
      });
      this.stats.watches++;
      this.recovered();
      try {
        for await (const raw of stream) {
          const ev = raw as WatchEvent;
          arm();
          events++;
          this.handleEvent(ev);
        }
      } finally {
        stream.close();
      }
    } catch (e) {
      if (timedOut) {
        this.stats.inactivityTimeouts++;
        return { events, ms: Date.now() - started };
      }
      if (ac.signal.aborted) return { events, ms: Date.now() - started }; // stop() or reconnect()
      throw e;
    } finally {
      clearTimeout(timer);
      this.stopController.signal.removeEventListener('abort', onStop);
      this.watchController = undefined;
    }
    return { events, ms: Date.now() - started };
  }

  private handleEvent(ev: WatchEvent): void {
    if (ev.type === 'ERROR') {
      const s = ev.object;
      throw new ApiError({ statusCode: s.code ?? 500, reason: s.reason, message: s.message, verb: 'watch', url: this.name });
    }
    this.lastActivityAt = Date.now();
    const rv = ev.object?.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    this.stats.events++;
    this.backoff.reset();
    const obj = this.prepare(ev.object as T);
    if (ev.type === 'DELETED') {
      // The event carries the final state (e.g. with deletionTimestamp): deliver that.
      this.store.delete(objectKey(obj));
      this.emitDelete(obj);
    } else {
      const old = this.store.set(obj);
      if (old) this.emitUpdate(old, obj);
      else this.emitAdd(obj, false);
    }
    if (rv) this.resourceVersion = rv;
  }

  /** A list or watch went through: ends a streak of failures. */
  private recovered(): void {
    if (!this.failingSince) return;
    const info: RecoveryInfo = { informer: this.name, resource: resourceName(this.resource), downMs: Date.now() - this.failingSince, wasNotFound: this.notFoundSince > 0 };
    this.failingSince = 0;
    this.notFoundSince = 0;
    this.notFoundBackoff.reset();
    try {
      this.opts.onRecovered?.(info);
    } catch {
      // As with onError: a failing hook must not stop the informer.
    }
  }

  private prepare(obj: T): T {
    obj.apiVersion ??= this.resource.group ? `${this.resource.group}/${this.resource.version}` : this.resource.version;
    obj.kind ??= this.resource.kind;
    return deepFreeze(stripManagedFields(obj));
  }

  private resync(): void {
    if (!this.synced) return;
    for (const o of this.store.values()) this.emitUpdate(o, o);
  }

  private emitAdd(o: T, initial: boolean): void {
    for (const h of this.handlers) this.call(() => h.onAdd?.(o, initial));
  }
  private emitUpdate(old: T, o: T): void {
    for (const h of this.handlers) this.call(() => h.onUpdate?.(old, o));
  }
  private emitDelete(o: T): void {
    for (const h of this.handlers) this.call(() => h.onDelete?.(o));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.report(e, 'handler');
    }
  }

  private report(e: unknown, phase: 'list' | 'watch' | 'handler', retry?: RetryInfo): void {
    try {
      this.opts.onError?.(e, phase, retry);
    } catch {
      // The error hook itself failing must not stop the informer.
    }
  }
}
