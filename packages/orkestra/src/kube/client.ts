// The dynamic client: CRUD, patch, server-side apply and watch for any kind, resolved through
// discovery. All writes return the object the server answered with.
import { RestMapper } from './discovery.ts';
import { loadKubeConfig, type ClusterAccess, type LoadOptions } from './kubeconfig.ts';
import { Transport, type JsonStream, type Query, type RequestSpec, type TransportOptions } from './transport.ts';
import { apiVersionOf, resourceName, type KubeList, type KubeObject, type ResourceInfo, type TypeRef } from './types.ts';

export type PatchType = 'merge' | 'json' | 'strategic';
const patchContentType: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  signal?: AbortSignal;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Anything that names a resource: a GVK/GVR, or an object (its apiVersion and kind). */
export type ResourceRef = TypeRef | ResourceInfo | KubeObject;

export interface KubeClientOptions extends LoadOptions, TransportOptions {
  /** Use this instead of loading a kubeconfig. */
  access?: ClusterAccess;
}

export class KubeClient {
  readonly transport: Transport;
  readonly mapper: RestMapper;
  /** The namespace of the kubeconfig context (or the service account's). */
  readonly defaultNamespace: string;

  constructor(transport: Transport, mapper = new RestMapper(transport)) {
    this.transport = transport;
    this.mapper = mapper;
    this.defaultNamespace = transport.access.namespace;
  }

  static fromKubeConfig(opts: KubeClientOptions = {}): KubeClient {
    return new KubeClient(new Transport(opts.access ?? loadKubeConfig(opts), opts));
  }

  /** Resolves a kind or resource through discovery (cached; refreshed on a miss). */
  async resource(ref: ResourceRef): Promise<ResourceInfo> {
    if ('namespaced' in ref && 'resource' in ref && typeof ref.kind === 'string') return ref as ResourceInfo;
    if ('resource' in ref && typeof ref.resource === 'string') return this.mapper.resolve(ref as TypeRef);
    const o = ref as KubeObject;
    if (!o.apiVersion || !o.kind) throw new TypeError('an object needs apiVersion and kind to name its resource');
    return this.mapper.resolve({ apiVersion: o.apiVersion, kind: o.kind });
  }

  /** The URL path of a collection or one object (optionally a subresource). */
  path(r: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
    let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${r.resource}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
    return p;
  }

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts: { namespace?: string; subresource?: string } = {}): Promise<T> {
    const r = await this.resource(ref);
    return this.send<T>(r, 'get', { method: 'GET', path: this.path(r, this.ns(r, opts.namespace, ref), name, opts.subresource) }, opts.subresource);
  }

  /** One page of a list. Items get apiVersion and kind filled in (the server leaves them out). */
  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<KubeList<T>> {
    const r = await this.resource(ref);
    const list = await this.send<KubeList<T>>(r, 'list', {
      method: 'GET',
      path: this.path(r, opts.namespace),
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch,
      },
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
    });
    const apiVersion = apiVersionOf(r);
    for (const item of list.items) {
      item.apiVersion ??= apiVersion;
      item.kind ??= r.kind;
    }
    return list;
  }

  /** All pages of a list (`limit` per page, following `continue`). */
  async listAll<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions & { pageSize?: number } = {}): Promise<{ items: T[]; resourceVersion: string; pages: number }> {
    const items: T[] = [];
    let cont: string | undefined;
    let pages = 0;
    let rv = '';
    do {
      const page = await this.list<T>(ref, { ...opts, limit: opts.pageSize ?? 500, continue: cont, resourceVersion: cont ? undefined : opts.resourceVersion });
      pages++;
      for (const i of page.items) items.push(i);
      cont = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? rv;
    } while (cont);
    return { items, resourceVersion: rv, pages };
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject, opts: WriteOptions & { namespace?: string } = {}): Promise<T> {
    const r = await this.resource(obj);
    return this.send<T>(r, 'create', { method: 'POST', path: this.path(r, this.ns(r, opts.namespace, obj)), query: writeQuery(opts), body: obj });
  }

  /** PUT: replaces the object; obj.metadata.resourceVersion, if set, is an optimistic-concurrency precondition. */
  async replace<T extends KubeObject = KubeObject>(obj: KubeObject, opts: WriteOptions & { subresource?: string } = {}): Promise<T> {
    const r = await this.resource(obj);
    return this.send<T>(r, 'update', { method: 'PUT', path: this.path(r, this.ns(r, undefined, obj), nameOf(obj), opts.subresource), query: writeQuery(opts), body: obj }, opts.subresource);
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: unknown,
    opts: WriteOptions & { type?: PatchType; namespace?: string; subresource?: string } = {},
  ): Promise<T> {
    const r = await this.resource(ref);
    return this.send<T>(
      r,
      'patch',
      { method: 'PATCH', path: this.path(r, this.ns(r, opts.namespace, ref), name, opts.subresource), query: writeQuery(opts), body: patch, contentType: patchContentType[opts.type ?? 'merge'] },
      opts.subresource,
    );
  }

  /** Server-side apply: the object is the applied configuration of `fieldManager`. */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { fieldManager: string; force?: boolean; dryRun?: boolean; subresource?: string }): Promise<T> {
    const r = await this.resource(obj);
    return this.send<T>(
      r,
      'apply',
      {
        method: 'PATCH',
        path: this.path(r, this.ns(r, undefined, obj), nameOf(obj), opts.subresource),
        query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: opts.dryRun ? 'All' : undefined },
        body: obj,
        contentType: 'application/apply-patch+yaml',
      },
      opts.subresource,
    );
  }

  /** Merge-patches `.status` through the status subresource (or the object itself if the kind has none). */
  async patchStatus<T extends KubeObject = KubeObject>(obj: KubeObject, status: unknown, opts: WriteOptions = {}): Promise<T> {
    const r = await this.resource(obj);
    const sub = r.subresources.includes('status') ? 'status' : undefined;
    return this.patch<T>(r, nameOf(obj), { status }, { ...opts, type: 'merge', namespace: obj.metadata?.namespace, subresource: sub });
  }

  async applyStatus<T extends KubeObject = KubeObject>(obj: KubeObject, opts: { fieldManager: string; force?: boolean }): Promise<T> {
    return this.apply<T>(obj, { ...opts, subresource: 'status' });
  }

  async delete(ref: ResourceRef, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    const r = await this.resource(ref);
    const body =
      opts.propagationPolicy || opts.gracePeriodSeconds !== undefined || opts.preconditions
        ? { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: opts.propagationPolicy, gracePeriodSeconds: opts.gracePeriodSeconds, preconditions: opts.preconditions }
        : undefined;
    return this.send<KubeObject>(r, 'delete', { method: 'DELETE', path: this.path(r, this.ns(r, opts.namespace, ref), name), body });
  }

  /** Opens a watch; the caller reads events ({type, object}) and closes the stream. */
  async watch(ref: ResourceRef, opts: WatchOptions = {}): Promise<JsonStream> {
    const r = await this.resource(ref);
    return this.transport.stream({
      method: 'GET',
      path: this.path(r, opts.namespace),
      query: {
        watch: true,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        timeoutSeconds: opts.timeoutSeconds,
        allowWatchBookmarks: opts.allowWatchBookmarks ? true : undefined,
      },
      verb: 'watch',
      resource: resourceName(r),
      signal: opts.signal,
    });
  }

  close(): void {
    this.transport.close();
  }

  private send<T>(r: ResourceInfo, verb: string, spec: Omit<RequestSpec, 'verb' | 'resource'>, subresource?: string): Promise<T> {
    return this.transport.request<T>({ ...spec, verb, resource: resourceName(r) + (subresource ? `/${subresource}` : '') });
  }

  /** The namespace for a single-object request: explicit, else the object's, else the context's. */
  private ns(r: ResourceInfo, explicit: string | undefined, ref: ResourceRef): string | undefined {
    if (!r.namespaced) return undefined;
    const fromObj = 'metadata' in ref ? (ref as KubeObject).metadata?.namespace : undefined;
    return explicit ?? fromObj ?? this.defaultNamespace;
  }
}

function nameOf(obj: KubeObject): string {
  const n = obj.metadata?.name;
  if (!n) throw new TypeError(`${obj.kind ?? 'object'} has no metadata.name`);
  return n;
}

function writeQuery(opts: WriteOptions): Query {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined };
}
