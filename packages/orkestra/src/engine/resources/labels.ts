// Labels Orkestra puts on every child. Two jobs: let the engine watch all children of one CRD
// with a single label selector, and find a CR's children again at deletion (cluster-scoped and
// cross-namespace children cannot carry an owner reference).

import type { BuildContext } from './types.ts';

/** `app.kubernetes.io/managed-by: orkestra` — the Kubernetes convention for "who applies this". */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'orkestra';
/** Name of the owning CR. Same key as the original runtime, so existing tooling keeps working. */
export const LABEL_OWNER = 'orkestra-owner';
/** Namespace of the owning CR (names alone are ambiguous across namespaces). */
export const LABEL_OWNER_NAMESPACE = 'orkestra.orkspace.io/owner-namespace';
/** `<plural>.<group>` of the owning CR's CRD: one selector per CRD finds all its children. */
export const LABEL_CRD = 'orkestra.orkspace.io/crd';

/** Pod labels the workloads select on (Deployment/StatefulSet selector, Service default). */
export const LABEL_APP_NAME = 'app.kubernetes.io/name';
export const LABEL_APP_INSTANCE = 'app.kubernetes.io/instance';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** FNV-1a, enough to keep shortened label values distinct and stable. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Makes any string a valid label value (≤ 63 chars, alphanumeric at both ends). Valid values pass
 * unchanged; others are cleaned and, when shortened, suffixed with a hash of the original so
 * distinct inputs stay distinct. Deterministic.
 */
export function labelValue(s: string): string {
  if (s.length <= 63 && LABEL_VALUE.test(s)) return s;
  const cleaned = s.replace(/[^-A-Za-z0-9_.]/g, '-');
  const base = cleaned.slice(0, 54).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return base === '' ? shortHash(s) : `${base}-${shortHash(s)}`;
}

/** The labels every child of this CR carries. */
export function standardLabels(ctx: Pick<BuildContext, 'crName' | 'namespace' | 'crdName'>): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    [LABEL_CRD]: labelValue(ctx.crdName),
    [LABEL_OWNER]: labelValue(ctx.crName),
  };
  if (ctx.namespace !== '') labels[LABEL_OWNER_NAMESPACE] = labelValue(ctx.namespace);
  return labels;
}

/** Selector for all children of one CRD (the engine's child watches). */
export function crdChildrenSelector(crdName: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY_VALUE, [LABEL_CRD]: labelValue(crdName) };
}

/** Selector for the children of one CR (deletion of cluster-scoped / cross-namespace children). */
export function ownerSelector(ctx: Pick<BuildContext, 'crName' | 'namespace' | 'crdName'>): Record<string, string> {
  return standardLabels(ctx);
}

/** Selector labels of a workload's pods: stable for the workload's lifetime (selectors are immutable). */
export function podSelectorLabels(workloadName: string, crName: string): Record<string, string> {
  return { [LABEL_APP_INSTANCE]: labelValue(crName), [LABEL_APP_NAME]: labelValue(workloadName) };
}

/** Renders a selector map as `k=v,k2=v2` for list/watch calls (sorted). */
export function selectorString(selector: Record<string, string>): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}
