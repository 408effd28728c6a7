// Stage "data": the map every template and condition of one reconcile reads (reference §15.3):
// the CR itself (apiVersion, kind, metadata, spec, status as cached), `.children`, `.cross`,
// `.external`, `.metrics`, `.health`, `.inputs` and `.ork`.
import type { KubeObject } from '../../kube/index.ts';
import type { BoxContext } from '../box-context.ts';

/**
 * What `normalize`, `mutation` and `validation` templates see: the object and `.ork`, `.metrics`,
 * `.health` — not `.children` or `.cross`, which an admission webhook (the other caller of the
 * same rules) cannot see either: a rule must give the same answer at both points.
 */
export function rulesData(box: BoxContext, object: KubeObject): Record<string, unknown> {
  const { children: _c, cross: _x, external: _e, inputs: _i, ...data } = buildData(box, object, {}, {});
  return data;
}

export function buildData(box: BoxContext, cr: KubeObject, children: Record<string, unknown>, cross: Record<string, unknown>): Record<string, unknown> {
  return {
    ...cr,
    status: cr.status ?? {},
    children,
    cross,
    external: {},
    inputs: {},
    metrics: box.metrics(),
    health: box.health(),
    ork: { namespace: cr.metadata?.namespace ?? '', crd: box.crdName, katalog: box.katalog.metadata.name },
  };
}
