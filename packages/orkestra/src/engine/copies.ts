// The caches a box's copy declarations (`fromSecret` / `fromConfigMap`) read and write, and the
// index that lets a source's change wake the CRs copying it.
//
// Sources: one shared view of every Secret (ConfigMap) of a source namespace — sources carry no
// Orkestra label, so the managed-children informers do not see them. A literal `fromNamespace`
// gets its view when the box prepares; a templated one when a reconcile first renders it (then
// kept for the life of the process: namespaces copied from are few, and closing a view a CR may
// need on its next resync would only turn into a relist).
//
// Targets: copies carry the standard labels, so the managed-children informer of the kind holds
// them — unless the runtime watches one namespace (`--namespace`) and a copy lands elsewhere;
// then a label-selected view of that target namespace is opened the same lazy way, and its
// events wake the owning CR like any child's.
import { objectKey, type EventHandler, type KubeObject } from '../kube/index.ts';
import { LABEL_CRD, LABEL_MANAGED_BY, LABEL_OWNER, LABEL_OWNER_NAMESPACE, MANAGED_BY_VALUE } from './resources/index.ts';
import type { CrdEntry, ResourceDecl } from '../katalog/model.ts';
import type { ChildKind } from './children.ts';
import type { CacheView, ClusterReader } from './ports.ts';

export type CopyKind = 'secrets' | 'configMaps';

export const COPY_GVK: Record<CopyKind, { apiVersion: string; kind: string }> = {
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  configMaps: { apiVersion: 'v1', kind: 'ConfigMap' },
};

/** The declaration copies an existing object (`fromSecret` / `fromConfigMap`). */
export function copyKindOf(d: ResourceDecl): CopyKind | undefined {
  if (d.kind === 'secrets' && d.spec.fromSecret !== undefined) return 'secrets';
  if (d.kind === 'configMaps' && d.spec.fromConfigMap !== undefined) return 'configMaps';
  return undefined;
}

/** How long a reconcile waits for a newly opened view's first list. */
const SYNC_TIMEOUT_MS = 15_000;

export interface CopyCachesDeps {
  reader: ClusterReader;
  /** The runtime's namespace restriction (undefined: all namespaces). */
  namespace?: string;
  /** The box's LABEL_CRD value: a shared target view also holds other boxes' children. */
  crdLabel: string;
  /** The box's child kind (`secrets`, `configMaps`), once it is known. */
  childKind(kind: CopyKind): ChildKind | undefined;
  enqueue(crKey: string): void;
  enqueueOwnerOf(child: KubeObject, ownerName: string, ownerNamespace: string | undefined): void;
}

export class CopyCaches {
  private readonly deps: CopyCachesDeps;
  /** `kind/namespace` → the view, once opened (a promise until its first list is in). */
  private readonly sources = new Map<string, Promise<CacheView>>();
  private readonly sourceViews = new Map<string, CacheView>();
  private readonly targets = new Map<string, Promise<ChildKind>>();
  private readonly targetViews = new Map<string, ChildKind>();
  /** `kind:namespace/name` of a source → keys of the CRs whose last plan copies it. */
  private readonly readers = new Map<string, Set<string>>();
  /** CR key → the sources it copies (to replace the CR's entries on its next plan). */
  private readonly readersOf = new Map<string, string[]>();

  constructor(deps: CopyCachesDeps) {
    this.deps = deps;
  }

  /** Opens the view of `kind` in the source namespace; resolves when it is synced. */
  openSource(kind: CopyKind, namespace: string): Promise<CacheView> {
    const id = `${kind}/${namespace}`;
    let p = this.sources.get(id);
    if (!p) {
      p = (async () => {
        const view = await this.deps.reader.cache(COPY_GVK[kind], { namespace });
        view.addEventHandler(this.sourceHandler(kind));
        view.start();
        await view.waitForSync(SYNC_TIMEOUT_MS);
        this.sourceViews.set(id, view);
        return view;
      })();
      this.sources.set(id, p);
      // A view that failed to open is tried afresh by the next reconcile that needs it.
      p.catch(() => this.sources.delete(id));
    }
    return p;
  }

  /** The synced source view, or undefined when no reconcile opened it yet. */
  source(kind: CopyKind, namespace: string): CacheView | undefined {
    return this.sourceViews.get(`${kind}/${namespace}`);
  }

  /** Every source view opened so far (the box waits for them before its first reconcile). */
  openedSources(): Promise<CacheView>[] {
    return [...this.sources.values()];
  }

  /**
   * Records the sources (`kind`, namespace, name) a CR's plan copies; its previous list is
   * replaced. Recorded also when a source is missing, so that its creation wakes the CR.
   */
  track(crKey: string, sources: readonly { kind: CopyKind; namespace: string; name: string }[]): void {
    for (const id of this.readersOf.get(crKey) ?? []) {
      const set = this.readers.get(id);
      set?.delete(crKey);
      if (set?.size === 0) this.readers.delete(id);
    }
    const ids = [...new Set(sources.map((s) => `${s.kind}:${s.namespace}/${s.name}`))];
    if (ids.length === 0) {
      this.readersOf.delete(crKey);
      return;
    }
    this.readersOf.set(crKey, ids);
    for (const id of ids) {
      const set = this.readers.get(id) ?? new Set<string>();
      set.add(crKey);
      this.readers.set(id, set);
    }
  }

  /** The CRs that copy this source (for tests and the API). */
  readersOfSource(kind: CopyKind, namespace: string, name: string): string[] {
    return [...(this.readers.get(`${kind}:${namespace}/${name}`) ?? [])];
  }

  forget(crKey: string): void {
    this.track(crKey, []);
  }

  /**
   * Opens what holds the copies in `namespace`: nothing to open when the managed-children
   * informer of the kind already covers it.
   */
  async openTarget(kind: CopyKind, namespace: string): Promise<void> {
    if (this.covers(kind, namespace)) return;
    const id = `${kind}/${namespace}`;
    let p = this.targets.get(id);
    if (!p) {
      p = (async () => {
        const view = await this.deps.reader.cache(COPY_GVK[kind], { namespace, labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}` });
        view.addEventHandler(this.targetHandler());
        view.start();
        await view.waitForSync(SYNC_TIMEOUT_MS);
        const { apiVersion, kind: k } = COPY_GVK[kind];
        const child: ChildKind = { key: kind, apiVersion, kind: k, namespaced: true, informer: view };
        this.targetViews.set(id, child);
        return child;
      })();
      this.targets.set(id, p);
      p.catch(() => this.targets.delete(id));
    }
    await p;
  }

  /** Where the copies of `kind` in `namespace` are cached, or undefined when not opened yet. */
  target(kind: CopyKind, namespace: string): ChildKind | undefined {
    return this.covers(kind, namespace) ? this.deps.childKind(kind) : this.targetViews.get(`${kind}/${namespace}`);
  }

  /** The target views beyond the managed-children informers (finalization deletes copies found there too). */
  extraTargets(): ChildKind[] {
    return [...this.targetViews.values()];
  }

  private covers(kind: CopyKind, namespace: string): boolean {
    const child = this.deps.childKind(kind);
    const scoped = child?.informer.scope.namespace;
    return child !== undefined && (scoped === undefined || scoped === namespace);
  }

  private sourceHandler(kind: CopyKind): EventHandler<KubeObject> {
    const wake = (o: KubeObject): void => {
      for (const key of this.readers.get(`${kind}:${objectKey(o)}`) ?? []) this.deps.enqueue(key);
    };
    return {
      // Objects listed before the handler was added were there when the CRs were planned.
      onAdd: (o, initial) => { if (!initial) wake(o); },
      onUpdate: (_old, o) => wake(o),
      onDelete: (o) => wake(o),
    };
  }

  private targetHandler(): EventHandler<KubeObject> {
    const route = (o: KubeObject): void => {
      const l = o.metadata?.labels ?? {};
      if (l[LABEL_CRD] === this.deps.crdLabel && l[LABEL_OWNER]) this.deps.enqueueOwnerOf(o, l[LABEL_OWNER], l[LABEL_OWNER_NAMESPACE]);
    };
    return {
      onAdd: (o, initial) => { if (!initial) route(o); },
      onUpdate: (_old, o) => route(o),
      onDelete: (o) => route(o),
    };
  }
}

/**
 * Opens the source views of the copy declarations whose `fromNamespace` is literal, so the first
 * reconciles find them warm; templated ones open on first use.
 */
export function openLiteralCopySources(entry: CrdEntry, copies: CopyCaches): void {
  const ob = entry.operatorBox;
  for (const hook of [ob.onCreate, ob.onReconcile]) {
    for (const d of hook.resources) {
      const kind = copyKindOf(d);
      const ns = d.spec.fromNamespace;
      if (kind && typeof ns === 'string' && !ns.includes('{{')) copies.openSource(kind, ns.trim()).catch(() => undefined);
    }
  }
}
