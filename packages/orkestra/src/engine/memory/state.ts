// The memory cluster's stored objects and everything that follows from a write: versions,
// generation, owner references (garbage collection), finalizers, namespaces and CRDs that wait
// for their contents, and delivery to the cached views. The verbs (memory-cluster.ts) decide what
// a request asks for; this module makes it so, atomically and synchronously.
import { apiVersionOf, objectKey, type KubeObject, type ObjectMeta, type ResourceInfo } from '../../kube/index.ts';
import type { Clock } from '../ports.ts';
import { invalid, type Request } from './errors.ts';
import { crdProblem, crdResources, isCrd, storageKey, type KindRegistry } from './kinds.ts';
import { deepEqual, differsOutside, isObj } from './merge.ts';
import { addedFinalizers, keepSystemMeta, metaProblems, timestamp } from './objects.ts';
import type { MemoryView, ViewSource } from './view.ts';
import { deepFreeze } from '../../kube/store.ts';

export interface Entry {
  obj: KubeObject;
  readonly table: Table;
  /** Field manager → the leaf paths of its last applied configuration (see merge.ts). */
  readonly managers: Map<string, Set<string>>;
  /** How the pending deletion treats dependents (set by the delete request). */
  policy?: 'Foreground' | 'Background' | 'Orphan';
}

export interface Table {
  readonly key: string;
  /** The resource as last resolved (any served version): names internal requests in errors. */
  info: ResourceInfo;
  readonly items: Map<string, Entry>;
  readonly views: Set<MemoryView>;
  /** uid of the CRD that serves this resource, if one does. */
  crd?: string;
}

export interface Written {
  obj: KubeObject;
  changed: boolean;
}

const SKIP_WITH_STATUS = new Set(['metadata', 'status', 'apiVersion', 'kind']);
const SKIP_WITHOUT_STATUS = new Set(['metadata', 'apiVersion', 'kind']);

/** The object as `r`'s version presents it (versions of one resource share storage, without conversion). */
export function present(obj: KubeObject, r: ResourceInfo): KubeObject {
  const apiVersion = apiVersionOf(r);
  return obj.apiVersion === apiVersion ? obj : Object.freeze({ ...obj, apiVersion });
}

/** An internal request (garbage collection, namespace or CRD clean-up) about a stored object. */
const requestFor = (e: Entry): Request => ({ verb: 'delete', resource: e.table.info, name: e.obj.metadata?.name, namespace: e.obj.metadata?.namespace });

export const hasStatus = (r: ResourceInfo): boolean => r.subresources.includes('status');

export class ClusterState {
  readonly registry: KindRegistry;
  private readonly clock: Clock;
  private readonly tables = new Map<string, Table>();
  private readonly uids = new Map<string, Entry>();
  /** Owner uid → uids of the objects whose ownerReferences name it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Namespace → how many objects it holds. */
  private readonly inNamespace = new Map<string, number>();
  private revision = 0;
  private uidSeq = 0;
  private readonly pending: { table: Table; obj: KubeObject; gone: boolean }[] = [];
  private delivering = false;

  readonly viewSource: ViewSource = {
    objectsFor: (view) => {
      const out: KubeObject[] = [];
      for (const e of this.table(view.resource).items.values()) {
        const o = present(e.obj, view.resource);
        if (view.accepts(o)) out.push(o);
      }
      return out;
    },
    attach: (view) => void this.table(view.resource).views.add(view),
    detach: (view) => void this.table(view.resource).views.delete(view),
  };

  constructor(registry: KindRegistry, clock: Clock) {
    this.registry = registry;
    this.clock = clock;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  now(): string {
    return timestamp(this.clock.now());
  }

  /** Sequential, so a simulation's uids are the same on every run. */
  nextUid(): string {
    return `00000000-0000-4000-8000-${(++this.uidSeq).toString(16).padStart(12, '0')}`;
  }

  table(r: ResourceInfo): Table {
    const key = storageKey(r);
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, (t = { key, info: r, items: new Map(), views: new Set() }));
    else t.info = r;
    return t;
  }

  lookup(r: ResourceInfo, namespace: string | undefined, name: string): Entry | undefined {
    return this.tables.get(storageKey(r))?.items.get(r.namespaced && namespace ? `${namespace}/${name}` : name);
  }

  namespace(name: string): KubeObject | undefined {
    return this.tables.get('namespaces.')?.items.get(name)?.obj;
  }

  /** Stores a new object: `obj` is fully prepared (uid, timestamps, generation) except its version. */
  insert(r: ResourceInfo, obj: KubeObject, managers = new Map<string, Set<string>>()): Entry {
    const t = this.table(r);
    obj.metadata!.resourceVersion = String(++this.revision);
    deepFreeze(obj);
    const entry: Entry = { obj, table: t, managers };
    t.items.set(objectKey(obj), entry);
    this.uids.set(obj.metadata!.uid!, entry);
    this.indexOwners(obj);
    const ns = obj.metadata!.namespace;
    if (ns) this.inNamespace.set(ns, (this.inNamespace.get(ns) ?? 0) + 1);
    if (isCrd(obj)) this.served(obj);
    this.notify(t, obj, false);
    return entry;
  }

  /**
   * Stores `candidate` as the new version of `entry` unless nothing changed (then the version
   * stays). The server's metadata comes from the live object, or from `system` (deletion).
   * Status handling is the caller's: `candidate.status` is taken as it is.
   */
  replace(entry: Entry, req: Request, candidate: KubeObject, system?: Partial<ObjectMeta>): Written {
    const live = entry.obj;
    const next = keepSystemMeta(candidate, live);
    if (system) next.metadata = { ...next.metadata, ...system };
    const problems = metaProblems(next, req.resource.kind);
    const added = live.metadata?.deletionTimestamp ? addedFinalizers(live, next) : [];
    if (added.length) problems.push(`metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`);
    const crd = isCrd(next) ? crdProblem(next) : undefined;
    if (crd) problems.push(crd);
    if (problems.length) throw invalid(req, req.resource.kind, problems);
    if (deepEqual(live, next)) return { obj: live, changed: false };
    const meta = next.metadata!;
    if (!system?.generation && meta.generation !== undefined && differsOutside(live, next, hasStatus(req.resource) ? SKIP_WITH_STATUS : SKIP_WITHOUT_STATUS)) meta.generation = (live.metadata?.generation ?? 0) + 1;
    meta.resourceVersion = String(++this.revision);
    deepFreeze(next);
    if (!deepEqual(live.metadata?.ownerReferences, meta.ownerReferences)) {
      this.unindexOwners(live);
      this.indexOwners(next);
    }
    entry.obj = next;
    if (isCrd(next)) this.served(next);
    this.notify(entry.table, next, false);
    if (meta.deletionTimestamp && this.finished(entry)) return { obj: this.remove(entry), changed: true };
    return { obj: next, changed: true };
  }

  /**
   * A delete request: an object with finalizers (or contents, for a namespace or a CRD) is marked
   * with deletionTimestamp and stays; anything else is removed at once, with its dependents.
   */
  delete(entry: Entry, req: Request, policy: Entry['policy'] = 'Background'): Written {
    if (this.uids.get(entry.obj.metadata!.uid!) !== entry) return { obj: entry.obj, changed: false };
    entry.policy = policy;
    const live = entry.obj;
    if (live.metadata?.deletionTimestamp) return { obj: live, changed: false };
    if (this.finished(entry)) return { obj: this.remove(entry), changed: true };
    const marked: KubeObject = live.kind === 'Namespace' && live.apiVersion === 'v1' ? { ...live, status: { ...(live.status ?? {}), phase: 'Terminating' } } : live;
    // Like the API server: deletion is a change of intent, so generation (where there is one) moves too.
    const generation = live.metadata?.generation;
    const res = this.replace(entry, req, marked, { deletionTimestamp: this.now(), deletionGracePeriodSeconds: 0, ...(generation !== undefined ? { generation: generation + 1 } : {}) });
    for (const content of this.contents(live)) this.delete(content, requestFor(content));
    const stillThere = this.uids.get(live.metadata!.uid!) === entry;
    if (stillThere && this.finished(entry)) return { obj: this.remove(entry), changed: true };
    return { obj: stillThere ? entry.obj : res.obj, changed: true };
  }

  /** Takes the object out for good: delete events, then its dependents (collected at once). */
  private remove(entry: Entry): KubeObject {
    const live = entry.obj;
    const uid = live.metadata!.uid!;
    if (this.uids.get(uid) !== entry) return live;
    if (entry.policy === 'Foreground') this.collect(uid, entry);
    entry.table.items.delete(objectKey(live));
    this.uids.delete(uid);
    this.unindexOwners(live);
    const ns = live.metadata?.namespace;
    if (ns) this.inNamespace.set(ns, (this.inNamespace.get(ns) ?? 1) - 1);
    const final = deepFreeze({ ...live, metadata: { ...live.metadata, resourceVersion: String(++this.revision) } });
    this.notify(entry.table, final, true);
    if (isCrd(live)) this.registry.dropCrd(live.metadata?.name ?? '');
    if (entry.policy !== 'Foreground') this.collect(uid, entry);
    for (const container of this.containersOf(entry)) if (this.finished(container)) this.remove(container);
    return final;
  }

  /** Garbage collection of `uid`'s dependents: orphaned, unlinked (another owner lives) or deleted. */
  private collect(uid: string, owner: Entry): void {
    const deps = this.dependents.get(uid);
    if (!deps) return;
    for (const depUid of [...deps]) {
      const dep = this.uids.get(depUid);
      if (!dep) continue;
      const refs = dep.obj.metadata?.ownerReferences ?? [];
      const req = requestFor(dep);
      const othersLive = refs.some((r) => r.uid !== uid && this.uids.has(r.uid));
      if (owner.policy === 'Orphan' || othersLive) {
        const kept = refs.filter((r) => r.uid !== uid);
        const meta: ObjectMeta = { ...dep.obj.metadata };
        if (kept.length) meta.ownerReferences = kept;
        else delete meta.ownerReferences;
        this.replace(dep, req, { ...dep.obj, metadata: meta });
      } else this.delete(dep, req, 'Background');
    }
  }

  /** Done with finalization: no finalizers left and, for a namespace or a CRD, nothing inside. */
  private finished(entry: Entry): boolean {
    return (entry.obj.metadata?.finalizers ?? []).length === 0 && !this.hasContents(entry.obj);
  }

  private hasContents(o: KubeObject): boolean {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') return (this.inNamespace.get(o.metadata?.name ?? '') ?? 0) > 0;
    if (isCrd(o)) return this.crdTable(o).items.size > 0;
    return false;
  }

  /** What deleting a namespace or a CRD deletes first. */
  private contents(o: KubeObject): Entry[] {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') {
      const name = o.metadata?.name;
      const out: Entry[] = [];
      for (const t of this.tables.values()) for (const e of t.items.values()) if (e.obj.metadata?.namespace === name) out.push(e);
      return out;
    }
    return isCrd(o) ? [...this.crdTable(o).items.values()] : [];
  }

  /** The terminating namespace or CRD that waits for `entry` to go. */
  private containersOf(entry: Entry): Entry[] {
    const out: Entry[] = [];
    const name = entry.obj.metadata?.namespace;
    const ns = name ? this.tables.get('namespaces.')?.items.get(name) : undefined;
    if (ns?.obj.metadata?.deletionTimestamp) out.push(ns);
    const crd = entry.table.crd ? this.uids.get(entry.table.crd) : undefined;
    if (crd?.obj.metadata?.deletionTimestamp) out.push(crd);
    return out;
  }

  /** The CRD now serves what it declares; its resource's table remembers which CRD that is. */
  private served(crd: KubeObject): void {
    this.registry.syncCrd(crd);
    this.crdTable(crd).crd = crd.metadata!.uid!;
  }

  private crdTable(crd: KubeObject): Table {
    const spec = isObj(crd.spec) ? crd.spec : {};
    const names = isObj(spec.names) ? spec.names : {};
    const key = storageKey({ group: String(spec.group ?? ''), resource: String(names.plural ?? '') });
    let t = this.tables.get(key);
    if (!t) {
      const info = crdResources(crd)[0] ?? { group: String(spec.group ?? ''), version: '', resource: String(names.plural ?? ''), kind: String(names.kind ?? ''), namespaced: spec.scope !== 'Cluster', verbs: [], subresources: [] };
      this.tables.set(key, (t = { key, info, items: new Map(), views: new Set() }));
    }
    return t;
  }

  private indexOwners(obj: KubeObject): void {
    for (const r of obj.metadata?.ownerReferences ?? []) {
      let set = this.dependents.get(r.uid);
      if (!set) this.dependents.set(r.uid, (set = new Set()));
      set.add(obj.metadata!.uid!);
    }
  }

  private unindexOwners(obj: KubeObject): void {
    for (const r of obj.metadata?.ownerReferences ?? []) {
      const set = this.dependents.get(r.uid);
      set?.delete(obj.metadata!.uid!);
      if (set?.size === 0) this.dependents.delete(r.uid);
    }
  }

  /** Delivers a change to the views; a change made by a handler waits until this one is delivered everywhere. */
  private notify(table: Table, obj: KubeObject, gone: boolean): void {
    if (table.views.size === 0) return;
    this.pending.push({ table, obj, gone });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let i = 0; i < this.pending.length; i++) {
        const { table: t, obj: o, gone: g } = this.pending[i]!;
        for (const v of [...t.views]) v.deliver(present(o, v.resource), g);
      }
    } finally {
      this.pending.length = 0;
      this.delivering = false;
    }
  }
}
