import { isObject, type Fields } from './coerce.ts';
import { defineKind } from './meta.ts';

const RBAC = 'rbac.authorization.k8s.io';

/**
 * `roleRef: {kind, name}` or the shorthand `role:` / `clusterRole:`; `subjects` in the Kubernetes
 * form or the shorthand `serviceAccounts: [names]` (in the binding's namespace by default).
 */
function buildBinding(f: Fields, namespace: string, defaultRoleKind: 'Role' | 'ClusterRole'): Record<string, unknown> {
  let roleRef: Record<string, unknown> | undefined;
  const ref = f.object('roleRef');
  if (ref) {
    const kind = f.stringAt(ref.kind, 'roleRef.kind') ?? defaultRoleKind;
    if (kind !== 'Role' && kind !== 'ClusterRole') f.error('roleRef.kind', `expected Role or ClusterRole, got ${JSON.stringify(kind)}`);
    const name = f.stringAt(ref.name, 'roleRef.name');
    if (name === undefined) f.error('roleRef.name', 'required');
    roleRef = { apiGroup: RBAC, kind, name };
  } else if (f.has('clusterRole')) {
    roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: f.string('clusterRole') };
  } else if (f.has('role')) {
    roleRef = { apiGroup: RBAC, kind: defaultRoleKind, name: f.string('role') };
  } else {
    f.error('roleRef', 'required (roleRef, role or clusterRole)');
  }
  const subjects: Record<string, unknown>[] = [];
  (f.list('subjects') ?? []).forEach((s, i) => {
    const path = `subjects[${i}]`;
    if (!isObject(s)) { f.error(path, 'expected {kind, name, namespace}'); return; }
    const kind = f.stringAt(s.kind, `${path}.kind`) ?? 'ServiceAccount';
    const name = f.stringAt(s.name, `${path}.name`);
    if (name === undefined) f.error(`${path}.name`, 'required');
    subjects.push({
      kind,
      name,
      namespace: kind === 'ServiceAccount' ? (f.stringAt(s.namespace, `${path}.namespace`) ?? namespace) : undefined,
      apiGroup: kind === 'ServiceAccount' ? undefined : RBAC,
    });
  });
  for (const name of f.stringList('serviceAccounts') ?? []) subjects.push({ kind: 'ServiceAccount', name, namespace });
  if (subjects.length === 0) f.error('subjects', 'at least one subject (subjects or serviceAccounts) is required');
  return { roleRef, subjects };
}

export const roleBindings = defineKind({
  key: 'roleBindings',
  gvk: { group: RBAC, version: 'v1', kind: 'RoleBinding' },
  plural: 'rolebindings',
  namespaced: true,
  defaultNameSuffix: '-rolebinding',
  body: (f, meta) => buildBinding(f, meta.namespace ?? '', 'Role'),
});

/** Cluster-scoped; ServiceAccount subjects default to the CR's namespace. */
export const clusterRoleBindings = defineKind({
  key: 'clusterRoleBindings',
  gvk: { group: RBAC, version: 'v1', kind: 'ClusterRoleBinding' },
  plural: 'clusterrolebindings',
  namespaced: false,
  defaultNameSuffix: '-clusterrolebinding',
  body: (f, _meta, ctx) => buildBinding(f, ctx.namespace, 'ClusterRole'),
});
