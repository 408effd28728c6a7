// Discovery for the memory cluster: the built-in kinds the engine renders, plus kinds that
// CustomResourceDefinitions (or `registerKind`) add while it runs. Lookups answer exactly what
// the kube layer's RestMapper answers, including its UnknownResourceError for a miss.
import { UnknownResourceError, apiVersionOf, type KubeObject, type ResourceInfo, type TypeRef } from '../../kube/index.ts';
import { isObj } from './merge.ts';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** [apiVersion, kind, plural, namespaced, subresources, has metadata.generation] */
type Row = [string, string, string, boolean, string[], boolean];

// Which built-ins carry metadata.generation was read from the test control plane's API server: the
// ones with a spec a controller acts on; ConfigMaps, Secrets, Services, RBAC, HPAs, Leases have none.
const BUILT_IN: Row[] = [
  ['v1', 'Namespace', 'namespaces', false, ['status'], false],
  ['v1', 'Secret', 'secrets', true, [], false],
  ['v1', 'ConfigMap', 'configmaps', true, [], false],
  ['v1', 'Service', 'services', true, ['status'], false],
  ['v1', 'ServiceAccount', 'serviceaccounts', true, [], false],
  ['v1', 'Pod', 'pods', true, ['status'], true],
  ['v1', 'PersistentVolume', 'persistentvolumes', false, ['status'], false],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, ['status'], false],
  ['v1', 'ResourceQuota', 'resourcequotas', true, ['status'], false],
  ['v1', 'LimitRange', 'limitranges', true, [], false],
  ['v1', 'Event', 'events', true, [], false],
  ['events.k8s.io/v1', 'Event', 'events', true, [], false],
  ['apps/v1', 'Deployment', 'deployments', true, ['status', 'scale'], true],
  ['apps/v1', 'StatefulSet', 'statefulsets', true, ['status', 'scale'], true],
  ['apps/v1', 'ReplicaSet', 'replicasets', true, ['status', 'scale'], true],
  ['apps/v1', 'DaemonSet', 'daemonsets', true, ['status'], true],
  ['batch/v1', 'Job', 'jobs', true, ['status'], true],
  ['batch/v1', 'CronJob', 'cronjobs', true, ['status'], true],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', true, ['status'], true],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true, [], true],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles', true, [], false],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true, [], false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false, [], false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false, [], false],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, ['status'], false],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['status'], true],
  ['coordination.k8s.io/v1', 'Lease', 'leases', true, [], false],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['status'], true],
];

export const CRD_API_VERSION = 'apiextensions.k8s.io/v1';
export const isCrd = (o: KubeObject): boolean => o.kind === 'CustomResourceDefinition' && o.apiVersion === CRD_API_VERSION;

function info(apiVersion: string, kind: string, resource: string, namespaced: boolean, subresources: string[]): ResourceInfo {
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
  return Object.freeze({ group, version, resource, kind, namespaced, verbs: VERBS, subresources: Object.freeze(subresources) as string[] });
}

/** The resources a CRD serves: one per served version, with its scope and subresources. */
export function crdResources(crd: KubeObject): ResourceInfo[] {
  const spec = isObj(crd.spec) ? crd.spec : {};
  const names = isObj(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : '';
  const plural = typeof names.plural === 'string' ? names.plural : '';
  const kind = typeof names.kind === 'string' ? names.kind : '';
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObj) : [];
  return versions
    .filter((v) => v.served === true && typeof v.name === 'string')
    .map((v) => {
      const subs = isObj(v.subresources) ? v.subresources : {};
      return info(`${group}/${String(v.name)}`, kind, plural, spec.scope !== 'Cluster', ['status', 'scale'].filter((s) => isObj(subs[s])));
    });
}

/** Why a CRD cannot be served, in the API server's words; undefined when it can. */
export function crdProblem(crd: KubeObject): string | undefined {
  const spec = isObj(crd.spec) ? crd.spec : {};
  const names = isObj(spec.names) ? spec.names : {};
  if (typeof spec.group !== 'string' || !spec.group) return 'spec.group: Required value';
  if (typeof names.plural !== 'string' || !names.plural) return 'spec.names.plural: Required value';
  if (typeof names.kind !== 'string' || !names.kind) return 'spec.names.kind: Required value';
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') return `spec.scope: Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`;
  if (crd.metadata?.name !== `${names.plural}.${spec.group}`) return `metadata.name: Invalid value: ${JSON.stringify(crd.metadata?.name)}: must be spec.names.plural+"."+spec.group`;
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) return 'spec.versions: Invalid value: must have exactly one version marked as storage version';
  return undefined;
}

/** Where a resource's objects live: versions of one group and resource share them. */
export const storageKey = (r: { group: string; resource: string }): string => `${r.resource}.${r.group}`;

export class KindRegistry {
  private readonly byKind = new Map<string, ResourceInfo>();
  private readonly byResource = new Map<string, ResourceInfo>();
  /** Resources each CRD (by name) registered, to take them back when it goes. */
  private readonly fromCrd = new Map<string, ResourceInfo[]>();

  /** Storage keys of built-in resources without metadata.generation; custom kinds always have it. */
  private readonly generationless = new Set<string>();

  constructor() {
    for (const [apiVersion, kind, plural, namespaced, subresources, generation] of BUILT_IN) {
      const r = info(apiVersion, kind, plural, namespaced, subresources);
      this.register(r);
      if (!generation) this.generationless.add(storageKey(r));
    }
  }

  hasGeneration(r: ResourceInfo): boolean {
    return !this.generationless.has(storageKey(r));
  }

  register(r: ResourceInfo): void {
    const gv = apiVersionOf(r);
    const frozen = Object.isFrozen(r) ? r : Object.freeze({ ...r, verbs: [...r.verbs], subresources: [...r.subresources] });
    this.byKind.set(`${gv}/${r.kind}`, frozen);
    this.byResource.set(`${gv}/${r.resource}`, frozen);
  }

  unregister(r: ResourceInfo): void {
    const gv = apiVersionOf(r);
    this.byKind.delete(`${gv}/${r.kind}`);
    this.byResource.delete(`${gv}/${r.resource}`);
  }

  /** Serves what the CRD now declares (replacing what an earlier version of it declared). */
  syncCrd(crd: KubeObject): void {
    const name = crd.metadata?.name ?? '';
    for (const r of this.fromCrd.get(name) ?? []) this.unregister(r);
    const served = crdResources(crd);
    for (const r of served) this.register(r);
    this.fromCrd.set(name, served);
  }

  dropCrd(name: string): void {
    for (const r of this.fromCrd.get(name) ?? []) this.unregister(r);
    this.fromCrd.delete(name);
  }

  resolve(ref: TypeRef): ResourceInfo {
    // A ResourceInfo carries both a kind and a resource: look it up by its resource.
    const hit = 'resource' in ref ? this.byResource.get(`${apiVersionOf(ref)}/${ref.resource}`) : this.byKind.get(`${ref.apiVersion}/${ref.kind}`);
    if (!hit) throw new UnknownResourceError(ref);
    return hit;
  }
}
