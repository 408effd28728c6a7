// Shared shapes of the built-in resource builders. A builder turns one rendered Katalog
// declaration into one Kubernetes manifest for server-side apply; it never talks to a cluster.
import type { OwnerReference } from '../../kube/index.ts';

export type { OwnerReference };

/** A JSON-compatible value as it comes out of YAML and template rendering. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface BuildContext {
  /** The CR's namespace: default namespace of namespaced children. */
  namespace: string;
  crName: string;
  crKind: string;
  /** `<plural>.<group>` of the CRD (label value identifying the operator). */
  crdName: string;
  /** Standard labels to put on every child (see labels.ts `standardLabels`). */
  labels: Record<string, string>;
  /** Set on namespaced children in the CR's own namespace (owner refs cannot cross namespaces). */
  ownerReference?: OwnerReference;
  /**
   * Rendered names of the workloads (deployments, statefulSets, replicaSets) declared in the
   * same operatorBox: lets a Service without `selector` find the pods it should front.
   */
  workloads?: readonly string[];
}

export interface FieldError {
  /** Path inside the declaration, e.g. `replicas`, `env.PASSWORD.secretKeyRef.key`. */
  path: string;
  message: string;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  [field: string]: unknown;
}

export type BuildResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; errors: FieldError[] };

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface ResourceBuilder {
  /** Katalog key (`deployments`, `configMaps`, …). */
  readonly key: string;
  /** Undefined for `custom`, whose GVK comes from the declaration. */
  readonly gvk?: GroupVersionKind;
  /** REST plural (for watches and simulate output); undefined for `custom`. */
  readonly plural?: string;
  /**
   * Namespaced kinds get a namespace and (in the CR's namespace) an owner reference;
   * cluster-scoped ones are cleaned up through labels. Undefined for `custom` (ask discovery).
   */
  readonly namespaced?: boolean;
  /** Default name suffix after the CR name when `name` is omitted (`-svc`, `-config`, …). */
  readonly defaultNameSuffix: string;
  build(spec: Readonly<Record<string, unknown>>, ctx: BuildContext): BuildResult;
}
