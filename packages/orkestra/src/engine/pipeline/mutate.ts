// Stage "mutate": `mutation` rules (`default` / `override`) on the CR the templates see
// (pipeline/subject.ts) — a CR without `replicas` renders its Deployment with the default. The
// stored CR is not changed (the admission webhook will do that).
import { mutate } from '../../rules/index.ts';
import type { KubeObject } from '../../kube/index.ts';
import type { ReconcileScope } from '../scope.ts';
import { rulesData } from './data.ts';
import { haltOn, rulesRender, subjectOf } from './subject.ts';

export function applyMutation(scope: ReconcileScope): void {
  const spec = scope.box.entry.mutation;
  if (!spec || scope.haltAt !== undefined) return;
  const r = mutate(subjectOf(scope), spec, (o: KubeObject) => rulesData(scope.box, o), rulesRender(scope), { at: 'reconcile', now: () => scope.now });
  if (r.changes.length > 0) scope.subject = r.object;
  haltOn(scope, r.problems);
}

/** `mutation.mutateFirst` (default false, §12.2): does validation see the mutated CR? */
export function mutatesFirst(scope: ReconcileScope): boolean {
  return scope.box.entry.mutation?.mutateFirst === true;
}
