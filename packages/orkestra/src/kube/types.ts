// The plain-data shapes of Kubernetes objects this layer needs. Kinds are arbitrary (GVK/GVR
// resolved at run time), so only metadata is typed; everything else is unknown JSON.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  /** Common top-level fields, typed loosely so callers can read them without casts. */
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** A kind named by apiVersion ("apps/v1", "v1") and kind ("Deployment"). */
export interface GroupVersionKind {
  apiVersion: string;
  kind: string;
}
/** A resource named by group ("" for core), version and plural resource name. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}
export type TypeRef = GroupVersionKind | GroupVersionResource;

/** What discovery says about one resource. */
export interface ResourceInfo extends GroupVersionResource {
  kind: string;
  namespaced: boolean;
  verbs: string[];
  /** e.g. ["status", "scale"] */
  subresources: string[];
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** "deployments.apps", "pods": the name metrics and logs use for a resource. */
export function resourceName(r: GroupVersionResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** The cache key client-go uses: "namespace/name", or "name" for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : String(m.name);
}
