// The writes a request asks for, turned into new object versions: create (the server's fields),
// server-side apply (merge, removal of given-up fields, ownership), merge patch (resourceVersion
// guard, status behind its subresource). ClusterState then stores them.
import { apiVersionOf, type KubeObject, type ObjectMeta, type PatchType } from '../../kube/index.ts';
import { alreadyExists, applyConflict, badRequest, conflict, invalid, namespaceNotFound, notFound, subresourceNotFound, terminating, unsupportedPatch, type Request } from './errors.ts';
import { crdProblem, isCrd } from './kinds.ts';
import { applyMerge, changedAmong, clone, deepEqual, droppedPaths, fieldSet, isObj, mergePatch, showPath, valueAt, withPrefixes, without, type Obj } from './merge.ts';
import { clientMeta, generatedName, metaProblems } from './objects.ts';
import { hasStatus, type ClusterState, type Entry, type Written } from './state.ts';

export class Writes {
  private readonly state: ClusterState;

  constructor(state: ClusterState) {
    this.state = state;
  }

  /** A new object from a client's body: the server's metadata, status dropped behind a subresource. */
  createObject(req: Request, body: KubeObject, managers?: Map<string, Set<string>>): Written {
    const r = req.resource;
    const meta = clientMeta(body.metadata);
    if (!meta.name && meta.generateName) meta.name = generatedName(meta.generateName);
    req.name = meta.name;
    if (r.namespaced) meta.namespace = req.namespace;
    else delete meta.namespace;
    if (this.state.lookup(r, meta.namespace, meta.name ?? '')) throw alreadyExists(req);
    if (meta.namespace) {
      const ns = this.state.namespace(meta.namespace);
      if (!ns) throw namespaceNotFound(req, meta.namespace);
      if (ns.metadata?.deletionTimestamp) throw terminating(req, meta.namespace);
    }
    const obj: KubeObject = { apiVersion: '', kind: '', ...body, metadata: meta };
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    if (hasStatus(r)) delete obj.status;
    this.finishNew(req, obj);
    return { obj: this.state.insert(r, obj, managers).obj, changed: true };
  }

  /** A seeded object, stored as given (status, uid, timestamps and generation kept): no request. */
  seedObject(req: Request, obj: KubeObject): void {
    const r = req.resource;
    const given = obj.metadata ?? {};
    const meta = clientMeta(given);
    if (r.namespaced) meta.namespace = req.namespace;
    else delete meta.namespace;
    if (this.state.lookup(r, meta.namespace, meta.name ?? '')) throw alreadyExists(req);
    const o: KubeObject = { apiVersion: '', kind: '', ...obj, metadata: meta };
    o.apiVersion = apiVersionOf(r);
    o.kind = r.kind;
    this.finishNew(req, o, { uid: given.uid, creationTimestamp: given.creationTimestamp, generation: given.generation });
    this.state.insert(r, o);
  }

  /** The server's part of a new object: uid, timestamps, generation, and what some kinds start with. */
  private finishNew(req: Request, obj: KubeObject, seeded: ObjectMeta = {}): void {
    const meta = obj.metadata!;
    meta.uid = seeded.uid ?? this.state.nextUid();
    meta.creationTimestamp = seeded.creationTimestamp ?? this.state.now();
    if (seeded.generation !== undefined || this.state.registry.hasGeneration(req.resource)) meta.generation = seeded.generation ?? 1;
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      obj.status ??= { phase: 'Active' };
    }
    const problems = metaProblems(obj, req.resource.kind);
    if (isCrd(obj)) {
      const p = crdProblem(obj);
      if (p) problems.push(p);
      else obj.status ??= crdStatus(obj, this.state.now());
    }
    if (problems.length) throw invalid(req, req.resource.kind, problems);
  }

  applyObject(req: Request, obj: KubeObject, manager: string, force: boolean): Written {
    const r = req.resource;
    const config: Obj = { ...obj };
    delete config.apiVersion;
    delete config.kind;
    const precondition = obj.metadata?.resourceVersion;
    const meta = clientMeta(obj.metadata);
    delete meta.name;
    delete meta.namespace;
    delete meta.generateName;
    if (Object.keys(meta).length) config.metadata = meta;
    else delete config.metadata;
    if (hasStatus(r)) delete config.status;
    const owned = fieldSet(config);
    const entry = this.state.lookup(r, req.namespace, req.name!);
    if (!entry) {
      return this.createObject(req, { ...config, metadata: { ...meta, name: req.name } }, new Map([[manager, owned]]));
    }
    const live = entry.obj;
    if (precondition && precondition !== live.metadata?.resourceVersion) throw conflict(req);
    if (!force) {
      const clashes: { manager: string; path: string }[] = [];
      for (const [other, paths] of entry.managers) {
        if (other === manager) continue;
        for (const p of paths) if (owned.has(p) && !deepEqual(valueAt(live, p), valueAt(config, p))) clashes.push({ manager: other, path: showPath(p) });
      }
      if (clashes.length) throw applyConflict(req, clashes);
    }
    let next = applyMerge(live, config) as Obj;
    const keep = withPrefixes(owned);
    for (const p of droppedPaths(entry.managers.get(manager) ?? new Set(), owned)) next = without(next, p, (k) => keep.has(k));
    if (hasStatus(r)) restoreStatus(next, live);
    const res = this.state.replace(entry, req, next);
    this.transferOwnership(entry, live, res.obj, manager);
    entry.managers.set(manager, owned);
    return res;
  }

  patchObject(req: Request, patch: unknown, type: PatchType | string): Written {
    const r = req.resource;
    if (type !== 'merge') throw type === 'json' || type === 'strategic' ? unsupportedPatch(req, type) : badRequest(req, `unknown patch type "${type}"`);
    if (req.subresource && (req.subresource !== 'status' || !r.subresources.includes('status'))) throw subresourceNotFound(req);
    const entry = this.state.lookup(r, req.namespace, req.name!);
    if (!entry) throw notFound(req);
    const p = clone(patch);
    if (!isObj(p)) throw badRequest(req, 'a merge patch must be a JSON object');
    const live = entry.obj;
    if (isObj(p.metadata) && p.metadata.resourceVersion !== undefined) {
      if (p.metadata.resourceVersion !== live.metadata?.resourceVersion) throw conflict(req);
      delete p.metadata.resourceVersion;
    }
    const merged = mergePatch(live, p) as Obj;
    let next: Obj;
    if (req.subresource === 'status') {
      next = { ...live };
      if (merged.status === undefined) delete next.status;
      else next.status = merged.status;
    } else {
      next = merged;
      if (hasStatus(r)) restoreStatus(next, live);
    }
    const res = this.state.replace(entry, req, next);
    this.transferOwnership(entry, live, res.obj);
    return res;
  }

  /** A field whose value another writer changed is no longer its applier's (so re-applying without it keeps it). */
  transferOwnership(entry: Entry, before: KubeObject, after: KubeObject, writer?: string): void {
    if (before === after) return;
    for (const [m, paths] of entry.managers) {
      if (m === writer) continue;
      for (const p of changedAmong(paths, before, after)) paths.delete(p);
    }
  }
}

function restoreStatus(next: Obj, live: KubeObject): void {
  if (live.status === undefined) delete next.status;
  else next.status = live.status;
}

/** What the apiextensions controller reports for a CRD it accepted. */
function crdStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = crd.spec ?? {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObj) : [];
  return {
    acceptedNames: spec.names,
    storedVersions: versions.filter((v) => v.storage === true).map((v) => v.name),
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
    ],
  };
}
