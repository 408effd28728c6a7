// Stage "inputs": what the templates of this reconcile read — the CR, `.children` from the caches,
// `.cross` from other boxes' caches — and the rendered names of the box's workloads (a Service
// without a selector fronts one of them). No request is sent.
import { resourceBuilder } from '../resources/index.ts';
import { issuesOf } from '../errors.ts';
import { readChildren, type ReconcileScope } from '../scope.ts';
import { buildData } from './data.ts';
import { readCross } from './cross.ts';
import { forEachItems } from './for-each.ts';

export function gatherInputs(scope: ReconcileScope): void {
  const r = scope.renderer;
  // The CR as normalize and mutation left it (pipeline/subject.ts): what templates see.
  r.data = buildData(scope.box, scope.subject ?? scope.cr, readChildren(scope), {});
  scope.build.workloads = workloadNames(scope);
  try {
    r.data = { ...r.data, cross: readCross(scope.box, scope.cr, r) };
  } catch (err) {
    scope.issues.push(...issuesOf(err));
    scope.haltAt = -1;
  }
}

/** Rendered names of the workloads the box declares. */
function workloadNames(scope: ReconcileScope): string[] {
  const names: string[] = [];
  const ob = scope.box.entry.operatorBox;
  for (const hook of [ob.onCreate, ob.onReconcile]) {
    for (const d of hook.resources) {
      if (d.kind !== 'deployments' && d.kind !== 'statefulSets' && d.kind !== 'replicaSets') continue;
      try {
        const name = (data: Record<string, unknown>) => (d.name !== undefined ? scope.renderer.string(d.name, `${d.path}.name`, data) : `${scope.build.crName}${resourceBuilder(d.kind)?.defaultNameSuffix ?? ''}`);
        if (d.forEach) names.push(...forEachItems(scope, d).map((it) => name(it.data)));
        else names.push(name(scope.renderer.data));
      } catch {
        // The declaration's own planning reports the render error.
      }
    }
  }
  return names;
}
