// The vocabulary of `when:` / `or:` conditions, shared by the Katalog schema (which rejects
// unknown operators at load) and the evaluator. Semantics: docs/conditions.md.

/** Operator names accepted in `operator: NAME` (with `value:`). */
export const CONDITION_OPERATORS = [
  'equals', 'notEquals',
  'contains', 'notContains',
  'prefix', 'notPrefix',
  'suffix', 'notSuffix',
  'exists', 'notExists',
  'gt', 'lt', 'gte', 'lte',
  'in', 'notIn',
  'regex',
  'between', 'notBetween',
  'unique',
  'typeOf', 'typeMap', 'typeList', 'typeString', 'typeNumber', 'typeBool', 'typeNull',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * Shorthand keys (`equals: production`) and the operator each stands for, in the order the
 * original runtime resolves them when several are present (first match wins).
 */
export const CONDITION_SHORTHANDS = [
  ['exists', 'exists'],
  ['notExists', 'notExists'],
  ['equals', 'equals'],
  ['notEquals', 'notEquals'],
  ['prefix', 'prefix'],
  ['notPrefix', 'notPrefix'],
  ['suffix', 'suffix'],
  ['notSuffix', 'notSuffix'],
  // The seed README's state machine writes `hasSuffix:`; accept both spellings.
  ['hasPrefix', 'prefix'],
  ['hasSuffix', 'suffix'],
  ['contains', 'contains'],
  ['notContains', 'notContains'],
  ['regex', 'regex'],
  ['greaterThan', 'gt'],
  ['lessThan', 'lt'],
  ['greaterThanOrEqual', 'gte'],
  ['lessThanOrEqual', 'lte'],
  ['min', 'gte'],
  ['max', 'lte'],
  ['between', 'between'],
  ['notBetween', 'notBetween'],
  ['in', 'in'],
  ['notIn', 'notIn'],
] as const satisfies readonly (readonly [string, ConditionOperator])[];

/** Common spellings from other tools, mapped to ours so errors can say "did you mean". */
export const OPERATOR_ALIASES: Readonly<Record<string, ConditionOperator>> = {
  eq: 'equals', ne: 'notEquals', neq: 'notEquals', startsWith: 'prefix', endsWith: 'suffix', matches: 'regex', greaterThan: 'gt', lessThan: 'lt',
  greaterThanOrEqual: 'gte', lessThanOrEqual: 'lte', ge: 'gte', le: 'lte',
};

/** Keys a condition may carry besides the shorthands. */
export const CONDITION_KEYS = [
  'field', 'operator', 'value', 'negate', 'time', 'dayOfWeek', 'cron', 'duration', 'message',
  ...CONDITION_SHORTHANDS.map(([k]) => k),
] as const;
