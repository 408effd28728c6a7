// The one vocabulary of built-in resource kinds: the Katalog key of each (canonical spelling),
// the other spellings older Katalogs and the original's docs use, and the order kinds are applied
// in. The schema, the model and the engine all read this table, so they cannot disagree.

/** Canonical Katalog keys in the reference's apply order (§9): namespaces first, pods last. */
export const RESOURCE_KINDS = [
  'namespaces', 'secrets', 'configMaps', 'networkPolicies', 'resourceQuotas', 'limitRanges',
  'clusterRoles', 'clusterRoleBindings', 'serviceAccounts', 'roles', 'roleBindings', 'custom',
  'replicaSets', 'deployments', 'services', 'jobs', 'cronJobs', 'statefulSets',
  'persistentVolumes', 'persistentVolumeClaims', 'ingresses', 'horizontalPodAutoscalers',
  'podDisruptionBudgets', 'pods',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Other spellings, mapped to the canonical key. */
export const RESOURCE_KIND_ALIASES: Readonly<Record<string, ResourceKind>> = {
  configmaps: 'configMaps', cronjobs: 'cronJobs', statefulsets: 'statefulSets', serviceaccounts: 'serviceAccounts',
  rolebindings: 'roleBindings', clusterroles: 'clusterRoles', clusterrolebindings: 'clusterRoleBindings',
  replicasets: 'replicaSets', networkpolicies: 'networkPolicies', resourcequotas: 'resourceQuotas',
  limitranges: 'limitRanges', persistentvolumes: 'persistentVolumes', pvs: 'persistentVolumes',
  persistentvolumeclaims: 'persistentVolumeClaims', pvcs: 'persistentVolumeClaims', pvc: 'persistentVolumeClaims',
  hpa: 'horizontalPodAutoscalers', hpas: 'horizontalPodAutoscalers', horizontalpodautoscalers: 'horizontalPodAutoscalers',
  pdb: 'podDisruptionBudgets', pdbs: 'podDisruptionBudgets', poddisruptionbudgets: 'podDisruptionBudgets',
};

const RANK: ReadonlyMap<string, number> = new Map(RESOURCE_KINDS.map((k, i) => [k, i]));

/** The canonical key for a key or alias; undefined when it names no built-in kind. */
export function canonicalKind(key: string): ResourceKind | undefined {
  if (RANK.has(key)) return key as ResourceKind;
  return Object.hasOwn(RESOURCE_KIND_ALIASES, key) ? RESOURCE_KIND_ALIASES[key] : undefined;
}

/** Apply-order rank of a key or alias (unknown keys last). */
export function kindOrder(key: string): number {
  const k = canonicalKind(key);
  return k === undefined ? RESOURCE_KINDS.length : RANK.get(k)!;
}
