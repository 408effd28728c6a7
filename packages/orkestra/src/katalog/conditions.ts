// `when:` / `or:` lists → Conditions with the operator resolved once, at load (reference §14.3 for
// conditions, §12.1 for validation rules, which differ in precedence and in what a bare value means).
import { CONDITION_OPERATORS, CONDITION_SHORTHANDS } from '../conditions/operators.ts';
import type { ConditionOperator } from '../conditions/operators.ts';
import type { Condition } from './model.ts';
import { asBool, asList, asStr, isObj, toValueMap } from './context.ts';
import type { BuildContext, Raw } from './context.ts';
import type { Path } from './source.ts';

export type ConditionMode = 'when' | 'validation';

const SHORTHAND_OP = new Map<string, ConditionOperator>(CONDITION_SHORTHANDS);
const WHEN_ORDER = CONDITION_SHORTHANDS.map(([k]) => k as string);
// Validation rules: no exists/notExists shorthands first, and min/max before greaterThan (§12.1).
const VALIDATION_ORDER = [
  'equals', 'notEquals', 'prefix', 'notPrefix', 'suffix', 'notSuffix', 'hasPrefix', 'hasSuffix', 'contains',
  'notContains', 'regex', 'min', 'max', 'greaterThan', 'lessThan', 'greaterThanOrEqual', 'lessThanOrEqual',
  'between', 'notBetween', 'in', 'notIn', 'exists', 'notExists',
];
const NO_VALUE_OPS = new Set<ConditionOperator>([
  'exists', 'notExists', 'unique', 'typeMap', 'typeList', 'typeString', 'typeNumber', 'typeBool', 'typeNull',
]);

function stringify(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.map((x) => asStr(x) ?? '').join(',');
  if (v === null) return '';
  return asStr(v);
}

export function buildCondition(raw: Raw, path: Path, ctx: BuildContext, mode: ConditionMode): Condition {
  const present = (mode === 'when' ? WHEN_ORDER : VALIDATION_ORDER).filter((k) => {
    const v = raw[k];
    if (v === undefined) return false;
    // `exists: false` is "not set" in the original (a Go bool's zero value).
    return !((k === 'exists' || k === 'notExists') && v === false);
  });
  let operator: ConditionOperator;
  let value: string | undefined;
  let chosen: string | undefined;
  if (present.length > 0) {
    chosen = present[0]!;
    operator = SHORTHAND_OP.get(chosen)!;
    value = NO_VALUE_OPS.has(operator) ? undefined : stringify(raw[chosen]);
    if (present.length > 1 || raw.operator !== undefined) {
      const others = [...present.slice(1), ...(raw.operator !== undefined ? ['operator'] : [])];
      ctx.warn([...path, chosen], `several operators in one condition; \`${chosen}\` wins over ${others.map((o) => `\`${o}\``).join(', ')}`, 'condition-operators', true);
    }
  } else if (typeof raw.operator === 'string') {
    operator = raw.operator as ConditionOperator;
    value = stringify(raw.value);
    const known = (CONDITION_OPERATORS as readonly string[]).includes(operator);
    if (value === undefined && known && !NO_VALUE_OPS.has(operator)) {
      ctx.error([...path, 'operator'], `operator \`${operator}\` needs a \`value:\``, 'missing-field');
    }
  } else if (raw.value !== undefined && mode === 'when') {
    operator = 'equals';
    value = stringify(raw.value);
  } else {
    operator = 'exists';
  }
  const timeBased = raw.time !== undefined || raw.dayOfWeek !== undefined || raw.cron !== undefined;
  if (raw.field === undefined && !timeBased) {
    ctx.error(path, 'missing required field `field` (or a time-based `time`/`dayOfWeek`/`cron`)', 'missing-field');
  }
  const c: Condition = {
    operator,
    negate: asBool(raw.negate, false),
    source: ctx.at(path),
  };
  const field = asStr(raw.field);
  if (field !== undefined) c.field = field;
  if (value !== undefined) c.value = value;
  const message = asStr(raw.message);
  if (message !== undefined) c.message = message;
  if (isObj(raw.time)) c.time = toValueMap(raw.time);
  if (isObj(raw.dayOfWeek)) c.dayOfWeek = toValueMap(raw.dayOfWeek);
  const cron = asStr(raw.cron);
  if (cron !== undefined) c.cron = cron;
  const duration = asStr(raw.duration);
  if (duration !== undefined) c.duration = duration;
  if (isObj(raw.notify)) c.notify = toValueMap(raw.notify);
  return c;
}

export function buildConditions(list: unknown, path: Path, ctx: BuildContext): Condition[] {
  return asList(list).flatMap((item, i) => (isObj(item) ? [buildCondition(item, [...path, i], ctx, 'when')] : []));
}

/** `when` and `or` of a declaration; `anyOf` (renamed `or` in v0.7.16) is accepted with a warning. */
export function buildGate(raw: Raw, path: Path, ctx: BuildContext): { when: Condition[]; or: Condition[] } {
  const when = buildConditions(raw.when, [...path, 'when'], ctx);
  let or = buildConditions(raw.or, [...path, 'or'], ctx);
  if (raw.anyOf !== undefined) {
    if (raw.or !== undefined) ctx.error([...path, 'anyOf'], '`anyOf` and `or` both declared; `anyOf` is the old name of `or`, keep one', 'duplicate', true);
    else {
      ctx.warn([...path, 'anyOf'], '`anyOf` is the old name of `or`; write `or:`', 'deprecated', true);
      or = buildConditions(raw.anyOf, [...path, 'anyOf'], ctx);
    }
  }
  return { when, or };
}

