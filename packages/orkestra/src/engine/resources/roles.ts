import { isObject, type Fields } from './coerce.ts';
import { defineKind } from './meta.ts';

/** Policy rules; list fields accept YAML lists or comma strings (`verbs: "get,list,watch"`). */
export function buildRules(f: Fields): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  (f.list('rules') ?? []).forEach((r, i) => {
    const path = `rules[${i}]`;
    if (!isObject(r)) { f.error(path, 'expected {apiGroups, resources, verbs}'); return; }
    const verbs = f.commaListAt(r.verbs, `${path}.verbs`);
    if (!verbs || verbs.length === 0) f.error(`${path}.verbs`, 'required');
    out.push({
      // apiGroups: [""] is the core group; a missing list means core as well.
      apiGroups: r.apiGroups === undefined ? (r.nonResourceURLs === undefined ? [''] : undefined)
        : Array.isArray(r.apiGroups) ? r.apiGroups.map((g) => String(g ?? '')) : f.commaListAt(r.apiGroups, `${path}.apiGroups`),
      resources: f.commaListAt(r.resources, `${path}.resources`),
      resourceNames: f.commaListAt(r.resourceNames, `${path}.resourceNames`),
      nonResourceURLs: f.commaListAt(r.nonResourceURLs, `${path}.nonResourceURLs`),
      verbs,
    });
  });
  return out;
}

const RBAC = 'rbac.authorization.k8s.io';

export const roles = defineKind({
  key: 'roles',
  gvk: { group: RBAC, version: 'v1', kind: 'Role' },
  plural: 'roles',
  namespaced: true,
  defaultNameSuffix: '-role',
  body: (f) => ({ rules: buildRules(f) }),
});

/** Cluster-scoped: no owner reference; removed at CR deletion through the owner labels. */
export const clusterRoles = defineKind({
  key: 'clusterRoles',
  gvk: { group: RBAC, version: 'v1', kind: 'ClusterRole' },
  plural: 'clusterroles',
  namespaced: false,
  defaultNameSuffix: '-clusterrole',
  body: (f) => ({ rules: buildRules(f) }),
});
