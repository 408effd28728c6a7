// The CR as the templates of one reconcile see it. `normalize` and `mutation` rewrite a copy
// (`scope.subject`), never the stored CR: at reconcile time they decide what the children are
// built from. Persisting them is the admission webhook's job (it returns the same changes as a
// JSONPatch); writing the CR from the reconciler would raise its generation on every default
// and race the user's own edits.
import type { KubeObject } from '../../kube/index.ts';
import type { RenderFn, RuleProblem } from '../../rules/index.ts';
import type { ReconcileScope } from '../scope.ts';

export function subjectOf(scope: ReconcileScope): KubeObject {
  return scope.subject ?? scope.cr;
}

/** The scope's renderer (seeded by the CR's UID); its errors name the Katalog field. */
export function rulesRender(scope: ReconcileScope): RenderFn {
  return (source, data, path) => scope.renderer.string(source, path, data);
}

/** A rule that could not be applied stops the reconcile before any write: terminal, with its field. */
export function haltOn(scope: ReconcileScope, problems: readonly RuleProblem[]): void {
  if (problems.length === 0) return;
  for (const p of problems) {
    scope.issues.push({ path: p.path, message: p.message, reason: p.kind === 'template' ? 'TemplateError' : 'InvalidDeclaration', terminal: true });
  }
  scope.haltAt = -1;
}
