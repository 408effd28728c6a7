// A CR's children as the engine sees them: read from the shared child informers' caches (never
// from the API), found by the owner labels every child carries, and shaped into the `.children`
// map that templates and status fields read (reference §10.8).
import type { KubeObject } from '../kube/index.ts';
import type { CacheView } from './ports.ts';
import { LABEL_CRD, LABEL_OWNER, LABEL_OWNER_NAMESPACE, labelValue } from './resources/index.ts';

/** One kind of child an OperatorBox manages, with the informer that caches it. */
export interface ChildKind {
  /** Katalog key (`deployments`) or `custom:<apiVersion>:<kind>` for custom kinds. */
  key: string;
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  informer: CacheView;
}

/** The label values that identify one CR's children. */
export interface OwnerLabels {
  crd: string;
  name: string;
  namespace: string;
}

export function ownerLabels(crdName: string, cr: KubeObject): OwnerLabels {
  return {
    crd: labelValue(crdName),
    name: labelValue(cr.metadata?.name ?? ''),
    namespace: cr.metadata?.namespace ? labelValue(cr.metadata.namespace) : '',
  };
}

export function isChildOf(obj: KubeObject, owner: OwnerLabels): boolean {
  const l = obj.metadata?.labels ?? {};
  return l[LABEL_CRD] === owner.crd && l[LABEL_OWNER] === owner.name && (l[LABEL_OWNER_NAMESPACE] ?? '') === owner.namespace;
}

/** The cached children of one kind that belong to `owner`. */
export function childrenOfKind(k: ChildKind, owner: OwnerLabels): KubeObject[] {
  return k.informer.byIndex('label', `${LABEL_OWNER}=${owner.name}`).filter((o) => isChildOf(o, owner));
}

/** Looks a child up by name in its kind's cache. */
export function cachedChild(k: ChildKind, name: string, namespace: string | undefined): KubeObject | undefined {
  return k.informer.get(name, k.namespaced ? namespace : undefined);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function newest(objs: KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const o of objs) {
    if (!best) { best = o; continue; }
    const a = best.metadata?.creationTimestamp ?? '';
    const b = o.metadata?.creationTimestamp ?? '';
    if (b > a || (b === a && (o.metadata?.name ?? '') > (best.metadata?.name ?? ''))) best = o;
  }
  return best;
}

/**
 * `.children`: per kind, `<katalogKey>` (e.g. `deployments`) maps name → object, and the singular
 * (`deployment`, also all-lower-case `configmap`) is the only object — or, with several, the most
 * recently created one, which is what a state machine advancing through Jobs wants to look at.
 */
export function childrenContext(found: ReadonlyMap<ChildKind, KubeObject[]>): Record<string, unknown> {
  const ctx: Record<string, unknown> = {};
  for (const [k, objs] of found) {
    const byName: Record<string, KubeObject> = {};
    for (const o of objs) byName[o.metadata?.name ?? ''] = o;
    const plural = k.key.startsWith('custom:') ? `${lowerFirst(k.kind)}s` : k.key;
    ctx[plural] = { ...(ctx[plural] as object | undefined), ...byName };
    const one = newest(objs);
    if (one) {
      ctx[lowerFirst(k.kind)] = one;
      ctx[k.kind.toLowerCase()] = one;
    }
  }
  return ctx;
}
