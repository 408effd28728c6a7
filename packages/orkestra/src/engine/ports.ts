// The engine's only view of Kubernetes: a read side (discovery and cached views of resources)
// and a write side. The real API server (`cluster/kube-cluster.ts`), the in-memory cluster
// (`memory/`, for `ork simulate` and unit tests) and the recording writer of `ork plan` implement
// these; the engine imports nothing else of the kube layer but its plain types and helpers.
import type { ApplyResult, EventHandler, GroupVersionKind, InformerScope, KubeList, KubeObject, PatchType, ResourceInfo, ResourceRef } from '../kube/index.ts';

/** Wall-clock time as the engine sees it: injected so tests and `simulate` can move it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * One cached view of one resource (namespace and label selector applied): what an informer
 * offers. Objects handed out are frozen snapshots; writes go through a ClusterWriter.
 */
export interface CacheView<T extends KubeObject = KubeObject> {
  readonly resource: ResourceInfo;
  readonly scope: InformerScope;
  get(name: string, namespace?: string): T | undefined;
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  getByKey(key: string): T | undefined;
  list(): T[];
  /** Indexes: `namespace` (value: the namespace) and `label` (value: `key=value`). */
  byIndex(index: string, value: string): T[];
  /** Adds a handler; objects already cached are delivered to it as adds (`initial`). Returns the remover. */
  addEventHandler(h: EventHandler<T>): () => void;
  hasSynced(): boolean;
  /**
   * Since when (ms since the epoch) the cluster answers "no such resource" for this view — its
   * CRD was deleted — and 0 while it is served. The view keeps its last contents, retries on its
   * own and lists again once the resource is back. Views that cannot lose their resource omit it.
   */
  readonly notFoundSince?: number;
  /** The last list or watch error, if any. */
  readonly lastError?: unknown;
  waitForSync(timeoutMs?: number): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

export interface CacheOptions {
  /** Re-deliver every cached object as an update this often (0: never). */
  resyncMs?: number;
}

/** Read side: discovery and shared cached views (one per resource and scope). */
export interface ClusterReader {
  /** What the cluster serves for this kind; rejects (UnknownResourceError) when it serves none. */
  resource(ref: GroupVersionKind): Promise<ResourceInfo>;
  /** The shared view for this resource and scope; `options` apply when this call creates it. */
  cache(ref: GroupVersionKind | ResourceInfo, scope?: InformerScope, options?: CacheOptions): Promise<CacheView>;
}

/** Metadata a writer may patch directly (guarded by the live object's resourceVersion). */
export interface MetadataPatch {
  finalizers?: string[];
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
}

export interface DeleteRequest {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/**
 * Write side. Every method answers with what the cluster stored, so a reconcile can carry on with
 * fresh objects before its caches see them.
 */
export interface ClusterWriter {
  /**
   * Server-side apply of `desired` (one field manager, forced) unless `live` — the cached object,
   * undefined when absent — already has every field `desired` sets: then nothing is sent.
   * `desired.status` is ignored.
   */
  apply(desired: KubeObject, live: KubeObject | undefined): Promise<ApplyResult>;
  /**
   * Merges `status` into `live.status` (through the status subresource when the kind has one)
   * unless every field already matches.
   */
  applyStatus(live: KubeObject, status: Record<string, unknown>): Promise<ApplyResult>;
  /** Merge patch of metadata carrying `live`'s resourceVersion: a concurrent change fails with 409. */
  patchMetadata(live: KubeObject, patch: MetadataPatch): Promise<KubeObject>;
  /** Deletes `obj` (by kind, namespace and name); an object already gone is not an error. */
  delete(obj: KubeObject, request?: DeleteRequest): Promise<void>;
}

export interface EventInput {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

/** Kubernetes Events about an object. Never throws; repeats may be aggregated. */
export interface EventSink {
  emit(regarding: KubeObject, type: EventInput['type'], reason: string, action: string, note: string): void;
}

/**
 * The raw verbs of a cluster, in the kube client's own shapes (KubeClient satisfies it as is; the
 * memory cluster and the recording writer of `ork plan` implement it). Failures are `ApiError`s
 * with the status code and reason the API server would answer (404 NotFound, 409 Conflict /
 * AlreadyExists, 422 Invalid, …), so `isNotFound` and friends work on every implementation.
 * The ClusterWriter the engine uses is built over it (`cluster/writer.ts`), so the "send nothing
 * when unchanged" logic is one code path for all of them.
 */
export interface ClusterApi {
  resource(ref: ResourceRef): Promise<ResourceInfo>;
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts?: { namespace?: string }): Promise<T>;
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: { namespace?: string; labelSelector?: string }): Promise<KubeList<T>>;
  create<T extends KubeObject = KubeObject>(obj: KubeObject, opts?: { namespace?: string }): Promise<T>;
  /** Server-side apply: `obj` is the whole applied configuration of `fieldManager`. */
  apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { fieldManager: string; force?: boolean }): Promise<T>;
  patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, patch: unknown, opts?: { type?: PatchType; namespace?: string; subresource?: string; fieldManager?: string }): Promise<T>;
  /** Merge patch of `.status`: through the status subresource when the kind has one, else of the object itself. */
  patchStatus<T extends KubeObject = KubeObject>(obj: KubeObject, status: unknown, opts?: { fieldManager?: string }): Promise<T>;
  delete(ref: ResourceRef, name: string, opts?: { namespace?: string; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' }): Promise<KubeObject>;
}

/** Everything the engine needs of a cluster. */
export interface Cluster {
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
  readonly events: EventSink;
  /** Waits for pending event writes; stops the cached views. */
  stop(): Promise<void>;
}
