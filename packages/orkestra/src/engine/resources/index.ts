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
import { RESOURCE_KINDS, canonicalKind, kindOrder } from '../../katalog/kinds.ts';

export type {
  BuildContext, BuildResult, FieldError, GroupVersionKind, Json, Manifest, OwnerReference, ResourceBuilder,
} from './types.ts';
export {
  LABEL_APP_INSTANCE, LABEL_APP_NAME, LABEL_CRD, LABEL_MANAGED_BY, LABEL_OWNER, LABEL_OWNER_NAMESPACE,
  MANAGED_BY_VALUE, crdChildrenSelector, labelValue, ownerSelector, podSelectorLabels, selectorString,
  standardLabels,
} from './labels.ts';
export { defaultServiceTarget } from './services.ts';

const BUILDERS: readonly ResourceBuilder[] = [
  namespaces, secrets, configMaps, networkPolicies, resourceQuotas, limitRanges, clusterRoles,
  clusterRoleBindings, serviceAccounts, roles, roleBindings, custom, replicaSets, deployments,
  services, jobs, cronJobs, statefulSets, persistentVolumes, persistentVolumeClaims, ingresses,
  horizontalPodAutoscalers, podDisruptionBudgets, pods,
];

/** Katalog key → builder (keys, aliases and apply order come from the one table, `katalog/kinds.ts`). */
export const RESOURCE_BUILDERS: ReadonlyMap<string, ResourceBuilder> = new Map(BUILDERS.map((b) => [b.key, b]));

/** Katalog keys in apply order. */
export const RESOURCE_KEYS: readonly string[] = RESOURCE_KINDS;

export { kindOrder };

export function resourceBuilder(key: string): ResourceBuilder | undefined {
  const k = canonicalKind(key);
  return k === undefined ? undefined : RESOURCE_BUILDERS.get(k);
}
