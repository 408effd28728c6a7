// Stage "normalize": `normalize.spec` rewrites declared `.spec` paths of the CR the templates see
// (pipeline/subject.ts), each template against the raw CR. First of the rule stages.
import { normalize } from '../../rules/index.ts';
import type { ReconcileScope } from '../scope.ts';
import { rulesData } from './data.ts';
import { haltOn, rulesRender, subjectOf } from './subject.ts';

export function applyNormalize(scope: ReconcileScope): void {
  const spec = scope.box.entry.normalize;
  if (!spec || scope.haltAt !== undefined) return;
  const raw = subjectOf(scope);
  const r = normalize(raw, spec, rulesData(scope.box, raw), rulesRender(scope));
  if (r.changes.length > 0) scope.subject = r.object;
  haltOn(scope, r.problems);
}
