// What the rule functions share: the injected renderer, where a rule runs, and results as data.
// Nothing here knows Kubernetes: the reconcile stages and (later) the admission webhooks pass in
// plain objects and turn the results into status, events or an AdmissionReview.

/**
 * Renders one template against `data`. Throws when the template fails; the error's message must
 * name `path` (the Katalog field the template was written at), since it is reported as it is.
 */
export type RenderFn = (source: string, data: Record<string, unknown>, path: string) => string;

/** Where the rules run: `fires.reconcile: false` rules only at admission. */
export type RulePoint = 'reconcile' | 'admission';

export interface RuleOptions {
  at: RulePoint;
  /** Clock for time-based `when:` conditions (defaults to the system clock). */
  now?: () => Date;
}

/** A rule that could not be applied, with the Katalog field it comes from. */
export interface RuleProblem {
  path: string;
  message: string;
  /** `template`: a template failed; `value`: a value does not have the declared `valueType`. */
  kind: 'template' | 'value';
}

/**
 * One field a mutation or a normalize entry changed, as a dot path from the object's root.
 * `old` is absent when the field was not set (a JSONPatch `add`, else `replace`).
 */
export interface Change {
  path: string;
  old?: unknown;
  new: unknown;
}

/** The result of normalize and mutate: a changed copy (the input is never touched). */
export interface Rewrite<T> {
  object: T;
  changes: Change[];
  problems: RuleProblem[];
}
