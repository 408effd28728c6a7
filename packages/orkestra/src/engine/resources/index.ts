// The registry of built-in kinds: Katalog key → builder. Keys are the Katalog's canonical
// spellings; `resourceBuilder()` also accepts the aliases older Katalogs use.

import { configMaps } from './configMaps.ts';
import { cronJobs } from './cronJobs.ts';
import { custom } from './custom.ts';
import { deployments } from './deployments.ts';
import { horizontalPodAutoscalers } from './horizontalPodAutoscalers.ts';
import { ingresses } from './ingresses.ts';
import { jobs } from './jobs.ts';
import { limitRanges } from './limitRanges.ts';
import { namespaces } from './namespaces.ts';
import { networkPolicies } from './networkPolicies.ts';
import { persistentVolumeClaims } from './persistentVolumeClaims.ts';
import { persistentVolumes } from './persistentVolumes.ts';
import { podDisruptionBudgets } from './podDisruptionBudgets.ts';
import { pods } from './pods.ts';
import { replicaSets } from './replicaSets.ts';
import { resourceQuotas } from './resourceQuotas.ts';
import { roleBindings, clusterRoleBindings } from './roleBindings.ts';
import { roles, clusterRoles } from './roles.ts';
import { secrets } from './secrets.ts';
import { serviceAccounts } from './serviceAccounts.ts';
import { services } from './services.ts';
import { statefulSets } from './statefulSets.ts';
import type { ResourceBuilder } from './types.ts';

export type {
  BuildContext, BuildResult, FieldError, GroupVersionKind, Json, Manifest, OwnerReference, ResourceBuilder,
} from './types.ts';
export {
  LABEL_APP_INSTANCE, LABEL_APP_NAME, LABEL_CRD, LABEL_MANAGED_BY, LABEL_OWNER, LABEL_OWNER_NAMESPACE,
  MANAGED_BY_VALUE, crdChildrenSelector, labelValue, ownerSelector, podSelectorLabels, selectorString,
  standardLabels,
} from './labels.ts';
export { defaultServiceTarget } from './services.ts';

/** In the reference's apply order (§9): namespaces first, pods last. */
const BUILDERS: readonly ResourceBuilder[] = [
  namespaces, secrets, configMaps, networkPolicies, resourceQuotas, limitRanges, clusterRoles,
  clusterRoleBindings, serviceAccounts, roles, roleBindings, custom, replicaSets, deployments,
  services, jobs, cronJobs, statefulSets, persistentVolumes, persistentVolumeClaims, ingresses,
  horizontalPodAutoscalers, podDisruptionBudgets, pods,
];

export const RESOURCE_BUILDERS: ReadonlyMap<string, ResourceBuilder> = new Map(BUILDERS.map((b) => [b.key, b]));

/** Katalog keys in apply order. */
export const RESOURCE_KEYS: readonly string[] = BUILDERS.map((b) => b.key);

/** Spellings seen in older Katalogs and docs. */
export const RESOURCE_KEY_ALIASES: Readonly<Record<string, string>> = {
  configmaps: 'configMaps', cronjobs: 'cronJobs', statefulsets: 'statefulSets', serviceaccounts: 'serviceAccounts',
  rolebindings: 'roleBindings', clusterrolebindings: 'clusterRoleBindings', clusterroles: 'clusterRoles',
  replicasets: 'replicaSets', networkpolicies: 'networkPolicies', resourcequotas: 'resourceQuotas',
  limitranges: 'limitRanges', persistentvolumes: 'persistentVolumes', persistentvolumeclaims: 'persistentVolumeClaims',
  pvcs: 'persistentVolumeClaims', pvc: 'persistentVolumeClaims', pvs: 'persistentVolumes',
  hpa: 'horizontalPodAutoscalers', hpas: 'horizontalPodAutoscalers', pdb: 'podDisruptionBudgets', pdbs: 'podDisruptionBudgets',
};

export function resourceBuilder(key: string): ResourceBuilder | undefined {
  return RESOURCE_BUILDERS.get(key) ?? RESOURCE_BUILDERS.get(RESOURCE_KEY_ALIASES[key] ?? '');
}
