export { normalize } from './normalize.ts';
export { mutate } from './mutate.ts';
export { validate, denials, warnings, type Violation } from './validate.ts';
export type { Change, RenderFn, Rewrite, RuleOptions, RulePoint, RuleProblem } from './types.ts';
