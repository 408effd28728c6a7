// A cached view of the memory cluster: what an informer offers, fed synchronously by the
// cluster's writes instead of a watch. It keeps its own Store (the kube layer's, same indexes)
// so `get`, `byIndex` and `list` cost what they cost against a real informer's cache.
import { Store, objectKey, type EventHandler, type InformerScope, type KubeObject, type ResourceInfo } from '../../kube/index.ts';
import type { CacheView } from '../ports.ts';
import { fieldMatcher, labelMatcher, type Matcher } from './selector.ts';

/** What a view needs of its cluster: the objects it starts from, and to be fed or not. */
export interface ViewSource {
  objectsFor(view: MemoryView): Iterable<KubeObject>;
  attach(view: MemoryView): void;
  detach(view: MemoryView): void;
}

export class MemoryView implements CacheView {
  readonly resource: ResourceInfo;
  readonly scope: InformerScope;
  readonly resyncMs: number;
  private readonly store = new Store();
  private readonly handlers = new Set<EventHandler>();
  private readonly labels: Matcher;
  private readonly fields: Matcher;
  private readonly source: ViewSource;
  private readonly onHandlerError: (err: unknown) => void;
  private running = false;

  constructor(source: ViewSource, resource: ResourceInfo, scope: InformerScope, resyncMs: number, onHandlerError: (err: unknown) => void) {
    this.source = source;
    this.resource = resource;
    this.scope = Object.freeze({ ...scope });
    this.resyncMs = resyncMs;
    this.labels = labelMatcher(scope.labelSelector);
    this.fields = fieldMatcher(scope.fieldSelector);
    this.onHandlerError = onHandlerError;
    this.start();
  }

  /** Does `obj` (an object of this view's resource) belong in the view? */
  accepts(obj: KubeObject): boolean {
    if (this.scope.namespace && obj.metadata?.namespace !== this.scope.namespace) return false;
    return this.labels(obj) && this.fields(obj);
  }

  /**
   * One change of one object of this resource: `gone` when it left the cluster. An object that
   * stops matching the selector leaves the view as a delete, as a selector watch reports it.
   */
  deliver(obj: KubeObject, gone: boolean): void {
    const key = objectKey(obj);
    const old = this.store.get(key);
    if (!gone && this.accepts(obj)) {
      this.store.set(obj);
      if (old) this.emit((h) => h.onUpdate?.(old, obj));
      else this.emit((h) => h.onAdd?.(obj, false));
    } else if (old) {
      this.store.delete(key);
      this.emit((h) => h.onDelete?.(obj));
    }
  }

  /** Every cached object again as an update (what a resync period does, on demand). */
  resync(): void {
    for (const o of this.store.values()) this.emit((h) => h.onUpdate?.(o, o));
  }

  get(name: string, namespace?: string): KubeObject | undefined {
    return this.store.get(namespace ? `${namespace}/${name}` : name);
  }
  getByKey(key: string): KubeObject | undefined {
    return this.store.get(key);
  }
  list(): KubeObject[] {
    return this.store.list();
  }
  byIndex(index: string, value: string): KubeObject[] {
    return this.store.byIndex(index, value);
  }
  get size(): number {
    return this.store.size;
  }

  addEventHandler(h: EventHandler): () => void {
    this.handlers.add(h);
    for (const o of this.store.values()) this.call(() => h.onAdd?.(o, true));
    return () => this.handlers.delete(h);
  }

  hasSynced(): boolean {
    return this.running;
  }

  /** Synced from the moment it exists: the cluster fills it before handing it out. */
  waitForSync(): Promise<void> {
    return this.running ? Promise.resolve() : Promise.reject(new Error(`the view of ${this.resource.resource} is stopped`));
  }

  /** Starts (again) being fed; after a stop, the difference to the cluster arrives as events. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const seen = new Set<string>();
    for (const o of this.source.objectsFor(this)) {
      seen.add(objectKey(o));
      if (this.store.get(objectKey(o)) !== o) this.deliver(o, false);
    }
    for (const key of [...this.store.keys()]) if (!seen.has(key)) this.deliver(this.store.get(key)!, true);
    this.source.attach(this);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.source.detach(this);
  }

  private emit(fn: (h: EventHandler) => void): void {
    for (const h of this.handlers) this.call(() => fn(h));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onHandlerError(e);
    }
  }
}
