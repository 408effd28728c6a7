// Stage "validate": every `validation` rule over the CR the templates see. A `deny` that does not
// hold stops the reconcile before any child write — Ready=False with reason ValidationFailed and
// every message, one Warning event, terminal (looked at again when the CR changes); `warn` rules
// only add their messages to the ValidationWarning condition (pipeline/status.ts).
import { denials, validate, warnings } from '../../rules/index.ts';
import type { ReconcileScope } from '../scope.ts';
import { rulesData } from './data.ts';
import { rulesRender, subjectOf } from './subject.ts';

export function applyValidation(scope: ReconcileScope): void {
  const spec = scope.box.entry.validation;
  if (!spec || scope.haltAt !== undefined) return;
  const violations = validate(spec, rulesData(scope.box, subjectOf(scope)), rulesRender(scope), { at: 'reconcile', now: () => scope.now });
  const denied = denials(violations);
  for (const v of denied) {
    // A rule that could not be evaluated is the Katalog's problem: name the rule, not the CR field.
    scope.issues.push({ path: v.error ? v.rule : v.field, message: v.message, reason: 'ValidationFailed', terminal: true });
  }
  scope.warnings.push(...warnings(violations).map((v) => v.message));
  if (denied.length > 0) scope.haltAt = -1;
}
