// Stage "data": the map every template and condition of one reconcile reads (reference §15.3):
// the CR itself (apiVersion, kind, metadata, spec, status as cached), `.children`, `.cross`,
// `.external`, `.metrics`, `.health`, `.inputs` and `.ork`.
import type { KubeObject } from '../../kube/index.ts';
import type { BoxContext } from '../box-context.ts';

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
