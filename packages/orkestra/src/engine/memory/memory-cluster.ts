// A Kubernetes API server in memory, for `ork simulate` and the engine's unit tests: the raw verbs
// (ClusterApi) with the server's semantics, and the engine's ports (Cluster) over them — its
// writer is the same ApiWriter the real server gets, so "send nothing when unchanged" is tested
// code, not a second implementation. Everything is synchronous underneath: a write has reached
// every cached view before its promise resolves. See README.md for what is simplified.
import { apiVersionOf, type GroupVersionKind, type InformerScope, type KubeList, type KubeObject, type PatchType, type ResourceInfo, type ResourceRef, type TypeRef } from '../../kube/index.ts';
import { ApiWriter } from '../cluster/writer.ts';
import { systemClock, type CacheOptions, type CacheView, type Cluster, type ClusterApi, type ClusterReader, type ClusterWriter, type Clock, type EventInput, type EventSink } from '../ports.ts';
import { badRequest, notFound, type Request } from './errors.ts';
import { isCrd, KindRegistry, storageKey } from './kinds.ts';
import { clone } from './merge.ts';
import { labelMatcher } from './selector.ts';
import { ClusterState, hasStatus, present, type Written } from './state.ts';
import { MemoryView } from './view.ts';
import { Writes } from './writes.ts';

export type WriteVerb = 'create' | 'apply' | 'patch' | 'patchStatus' | 'delete';
export type Verb = 'resource' | 'get' | 'list' | WriteVerb;

/** One write request as the memory cluster answered it. */
export interface Operation {
  verb: WriteVerb;
  apiVersion: string;
  kind: string;
  /** The plural resource name, e.g. `deployments`. */
  resource: string;
  namespace?: string;
  name: string;
  /** False when the object stayed as it was (same resourceVersion) or the request failed. */
  changed: boolean;
  /** The refusal's reason (`Conflict`, `Invalid`, …) when the request failed. */
  error?: string;
}

export interface RecordedEvent extends EventInput {
  regarding: { apiVersion?: string; kind?: string; namespace?: string; name?: string; uid?: string };
  /** When it was emitted, by the cluster's clock (ms since the epoch). */
  at: number;
}

export interface MemoryClusterOptions {
  clock?: Clock;
  /** The writer's server-side apply field manager (default `orkestra`). */
  fieldManager?: string;
  /** Where a namespaced object without a namespace goes, as a kubeconfig context's namespace (default `default`). */
  defaultNamespace?: string;
  /** Namespaces that exist from the start (default: the four a new cluster has). */
  namespaces?: string[];
  /** Hears exceptions thrown by view handlers (they never fail the write that caused them). */
  onHandlerError?(err: unknown): void;
}

const NAMESPACE: GroupVersionKind = { apiVersion: 'v1', kind: 'Namespace' };
const VERBS: Verb[] = ['resource', 'get', 'list', 'create', 'apply', 'patch', 'patchStatus', 'delete'];

export class MemoryCluster implements ClusterApi, Cluster {
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
  readonly events: EventSink;
  /** Handler exceptions caught so far (also passed to `onHandlerError`). */
  readonly handlerErrors: unknown[] = [];
  readonly fieldManager: string;

  private readonly clock: Clock;
  private readonly registry = new KindRegistry();
  private readonly state: ClusterState;
  private readonly writes: Writes;
  private readonly views = new Map<string, MemoryView>();
  private readonly defaultNamespace: string;
  private readonly onHandlerError?: (err: unknown) => void;
  private readonly ops: Operation[] = [];
  private readonly recorded: RecordedEvent[] = [];
  private counts = zeroCounts();

  constructor(opts: MemoryClusterOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.fieldManager = opts.fieldManager ?? 'orkestra';
    this.defaultNamespace = opts.defaultNamespace ?? 'default';
    this.onHandlerError = opts.onHandlerError;
    this.state = new ClusterState(this.registry, this.clock);
    this.writes = new Writes(this.state);
    for (const name of opts.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease']) this.seed({ ...NAMESPACE, metadata: { name } });
    this.reader = {
      resource: async (ref) => this.registry.resolve(ref),
      cache: async (ref, scope, options) => this.cache(ref, scope, options),
    };
    this.writer = new ApiWriter(this, { fieldManager: this.fieldManager });
    this.events = {
      emit: (regarding, type, reason, action, note) => {
        const m = regarding.metadata ?? {};
        this.recorded.push({ regarding: { apiVersion: regarding.apiVersion, kind: regarding.kind, namespace: m.namespace, name: m.name, uid: m.uid }, type, reason, action, note, at: this.clock.now() });
      },
    };
  }

  // ── ClusterApi ──────────────────────────────────────────────────────────────

  async resource(ref: ResourceRef): Promise<ResourceInfo> {
    this.counts.resource++;
    return this.resolve(ref);
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts: { namespace?: string } = {}): Promise<T> {
    this.counts.get++;
    const r = this.resolve(ref);
    const ns = this.namespaceFor(r, opts.namespace, ref);
    const e = this.state.lookup(r, ns, name);
    if (!e) throw notFound({ verb: 'get', resource: r, namespace: ns, name });
    return present(e.obj, r) as T;
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: { namespace?: string; labelSelector?: string } = {}): Promise<KubeList<T>> {
    this.counts.list++;
    const r = this.resolve(ref);
    const matches = labelMatcher(opts.labelSelector);
    const ns = r.namespaced ? opts.namespace : undefined;
    const items: T[] = [];
    for (const e of this.state.table(r).items.values()) {
      if (ns && e.obj.metadata?.namespace !== ns) continue;
      if (matches(e.obj)) items.push(present(e.obj, r) as T);
    }
    return { apiVersion: apiVersionOf(r), kind: `${r.kind}List`, metadata: { resourceVersion: this.state.resourceVersion }, items };
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { namespace?: string } = {}): Promise<T> {
    this.counts.create++;
    const r = this.resolve(obj);
    const body = clone(obj);
    const ns = this.namespaceFor(r, opts.namespace, obj);
    const req: Request = { verb: 'create', resource: r, namespace: ns, name: body.metadata?.name };
    if (r.namespaced && opts.namespace && body.metadata?.namespace && opts.namespace !== body.metadata.namespace) {
      throw this.failed(req, badRequest(req, 'the namespace of the provided object does not match the namespace sent on the request'));
    }
    return this.logged(req, () => this.writes.createObject(req, body)) as Promise<T>;
  }

  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { fieldManager: string; force?: boolean }): Promise<T> {
    this.counts.apply++;
    const r = this.resolve(obj);
    const name = obj.metadata?.name;
    // The real client refuses before sending anything; so does this one.
    if (!name) throw new TypeError(`${obj.kind ?? 'object'} has no metadata.name`);
    const req: Request = { verb: 'apply', resource: r, namespace: this.namespaceFor(r, undefined, obj), name };
    if (!opts.fieldManager) throw this.failed(req, badRequest(req, 'PATCH with apply requires a fieldManager'));
    return this.logged(req, () => this.writes.applyObject(req, clone(obj), opts.fieldManager, opts.force ?? false)) as Promise<T>;
  }

  async patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, patch: unknown, opts: { type?: PatchType; namespace?: string; subresource?: string; fieldManager?: string } = {}): Promise<T> {
    this.counts.patch++;
    const r = this.resolve(ref);
    const req: Request = { verb: 'patch', resource: r, namespace: this.namespaceFor(r, opts.namespace, ref), name, subresource: opts.subresource };
    return this.logged(req, () => this.writes.patchObject(req, patch, opts.type ?? 'merge')) as Promise<T>;
  }

  async patchStatus<T extends KubeObject = KubeObject>(obj: KubeObject, status: unknown, _opts: { fieldManager?: string } = {}): Promise<T> {
    this.counts.patchStatus++;
    const r = this.resolve(obj);
    const name = obj.metadata?.name;
    if (!name) throw new TypeError(`${obj.kind ?? 'object'} has no metadata.name`);
    const req: Request = { verb: 'patchStatus', resource: r, namespace: this.namespaceFor(r, undefined, obj), name, subresource: hasStatus(r) ? 'status' : undefined };
    return this.logged(req, () => this.writes.patchObject(req, { status }, 'merge')) as Promise<T>;
  }

  async delete(ref: ResourceRef, name: string, opts: { namespace?: string; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' } = {}): Promise<KubeObject> {
    this.counts.delete++;
    const r = this.resolve(ref);
    const req: Request = { verb: 'delete', resource: r, namespace: this.namespaceFor(r, opts.namespace, ref), name };
    return this.logged(req, () => {
      const e = this.state.lookup(r, req.namespace, name);
      if (!e) throw notFound(req);
      return this.state.delete(e, req, opts.propagationPolicy ?? 'Background');
    });
  }

  // ── Cluster ─────────────────────────────────────────────────────────────────

  async stop(): Promise<void> {
    await Promise.all([...this.views.values()].map((v) => v.stop()));
  }

  // ── Simulation and test controls ────────────────────────────────────────────

  /** Makes a kind servable without a CRD object (e.g. a kind the engine reads but nobody defines). */
  registerKind(info: ResourceInfo): void {
    this.registry.register(info);
  }

  /**
   * Stores objects as they are (status, uid and labels included), creating missing namespaces:
   * the starting state of a simulation. Not requests: neither counted nor in the operation log.
   * CRDs and namespaces go first, so a seed file may list objects in any order.
   */
  load(objects: readonly KubeObject[]): void {
    const rank = (o: KubeObject): number => (isCrd(o) ? 0 : o.kind === 'Namespace' && o.apiVersion === 'v1' ? 1 : 2);
    for (const o of [...objects].sort((a, b) => rank(a) - rank(b))) this.seed(clone(o));
  }

  /** Every object of every view created with `resyncMs > 0` again as an update (no timers here). */
  resync(): void {
    for (const v of this.views.values()) if (v.resyncMs > 0 && v.hasSynced()) v.resync();
  }

  /** The write requests answered so far, oldest first. */
  operations(): readonly Operation[] {
    return this.ops;
  }

  /** The write requests answered since the last take; the log starts again empty. */
  takeOperations(): Operation[] {
    return this.ops.splice(0);
  }

  /** Requests by verb since the start or the last `resetRequests()` (reads too; views cost none). */
  requests(): Readonly<Record<Verb, number>> {
    return { ...this.counts };
  }

  /** Write requests (create, apply, patch, patchStatus, delete) since the start or the last reset. */
  writeRequests(): number {
    const c = this.counts;
    return c.create + c.apply + c.patch + c.patchStatus + c.delete;
  }

  resetRequests(): void {
    this.counts = zeroCounts();
  }

  /** Events emitted through `events`, oldest first. */
  recordedEvents(): readonly RecordedEvent[] {
    return this.recorded;
  }

  takeEvents(): RecordedEvent[] {
    return this.recorded.splice(0);
  }

  /** Every stored object of one kind (all namespaces), without counting a request. */
  objects(ref: GroupVersionKind): KubeObject[] {
    const r = this.registry.resolve(ref);
    return [...this.state.table(r).items.values()].map((e) => present(e.obj, r));
  }

  // ── Internals ───────────────────────────────────────────────────────────────

  private resolve(ref: ResourceRef): ResourceInfo {
    if ('resource' in ref && typeof ref.resource === 'string') return this.registry.resolve({ group: String(ref.group ?? ''), version: String(ref.version ?? ''), resource: ref.resource });
    const o = ref as KubeObject;
    if (!o.apiVersion || !o.kind) throw new TypeError('an object needs apiVersion and kind to name its resource');
    return this.registry.resolve({ apiVersion: o.apiVersion, kind: o.kind });
  }

  /** Explicit, else the object's, else the default (like the client with a kubeconfig context). */
  private namespaceFor(r: ResourceInfo, explicit: string | undefined, ref: ResourceRef): string | undefined {
    if (!r.namespaced) return undefined;
    const fromObj = 'metadata' in ref ? (ref as KubeObject).metadata?.namespace : undefined;
    return explicit ?? fromObj ?? this.defaultNamespace;
  }

  private cache(ref: GroupVersionKind | ResourceInfo, scope: InformerScope = {}, options: CacheOptions = {}): CacheView {
    const r = 'resource' in ref ? this.registry.resolve(ref as TypeRef) : this.registry.resolve(ref);
    const key = JSON.stringify([storageKey(r), r.version, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? '']);
    let v = this.views.get(key);
    if (!v) {
      v = new MemoryView(this.state.viewSource, r, scope, options.resyncMs ?? 0, (e) => this.handlerFailed(e));
      this.views.set(key, v);
    }
    return v;
  }

  private handlerFailed(e: unknown): void {
    this.handlerErrors.push(e);
    try {
      this.onHandlerError?.(e);
    } catch {
      // A failing error hook must not fail the write either.
    }
  }

  /** Runs a write, records it in the operation log, answers as the requested version presents it. */
  private async logged(req: Request, write: () => Written): Promise<KubeObject> {
    try {
      const res = write();
      this.record(req, res.obj.metadata?.name ?? req.name ?? '', res.changed);
      return present(res.obj, req.resource);
    } catch (e) {
      this.record(req, req.name ?? '', false, e);
      throw e;
    }
  }

  private failed(req: Request, e: Error): Error {
    this.record(req, req.name ?? '', false, e);
    return e;
  }

  private record(req: Request, name: string, changed: boolean, err?: unknown): void {
    const op: Operation = { verb: req.verb as WriteVerb, apiVersion: apiVersionOf(req.resource), kind: req.resource.kind, resource: req.resource.resource, name, changed };
    if (req.namespace) op.namespace = req.namespace;
    if (err) op.error = (err as { reason?: string }).reason ?? (err as Error).name;
    this.ops.push(op);
  }

  private seed(obj: KubeObject): void {
    const r = this.resolve(obj);
    const ns = this.namespaceFor(r, undefined, obj);
    if (ns && !this.state.namespace(ns)) this.seed({ ...NAMESPACE, metadata: { name: ns } });
    this.writes.seedObject({ verb: 'create', resource: r, namespace: ns, name: obj.metadata?.name }, obj);
  }
}

function zeroCounts(): Record<Verb, number> {
  return Object.fromEntries(VERBS.map((v) => [v, 0])) as Record<Verb, number>;
}
