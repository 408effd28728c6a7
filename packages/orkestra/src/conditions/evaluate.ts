// Evaluates `when:` / `or:` condition blocks (reference §14). Pure: the template engine, the
// clock and the uniqueness lookup are injected, so the same code runs in reconcile, simulate
// and tests. Evaluation never throws for a bad condition; a condition that cannot be evaluated
// is false and says why in its result.

import { CONDITION_OPERATORS, CONDITION_SHORTHANDS, type ConditionOperator } from './operators.ts';
import { evaluateCron, evaluateDayOfWeek, evaluateTime } from './time.ts';
import {
  NO_VALUE, formatValue, lookupPath, normalizeTypeName, parseNumber, typeOfValue,
} from './values.ts';

/** One condition as written in the Katalog (already structurally validated by the loader). */
export interface Condition {
  field?: string;
  operator?: string;
  value?: unknown;
  negate?: boolean;
  // Time forms are typed loosely so the Katalog model's maps pass straight in; time.ts
  // checks their shape and reports a readable error instead of throwing.
  time?: { after?: unknown; before?: unknown };
  dayOfWeek?: { in?: unknown; notIn?: unknown; weekday?: unknown; weekend?: unknown };
  cron?: string;
  duration?: string;
  message?: string;
  // Shorthands (`equals: production`, `exists: true`, …). No index signature, so the Katalog
  // model's normalized Condition (operator + value) is assignable as it is.
  exists?: unknown; notExists?: unknown; equals?: unknown; notEquals?: unknown;
  prefix?: unknown; notPrefix?: unknown; suffix?: unknown; notSuffix?: unknown;
  hasPrefix?: unknown; hasSuffix?: unknown; contains?: unknown; notContains?: unknown;
  regex?: unknown; greaterThan?: unknown; lessThan?: unknown; greaterThanOrEqual?: unknown;
  lessThanOrEqual?: unknown; min?: unknown; max?: unknown; between?: unknown; notBetween?: unknown;
  in?: unknown; notIn?: unknown;
}

/** Renders a Go-style template against data; throws on parse/execution errors. */
export type RenderFn = (template: string, data: Record<string, unknown>) => string;

/** Answers `unique`: is `value` unused by other objects for `field`? */
export type UniqueChecker = (field: string, value: string) => boolean;

export interface EvaluateOptions {
  /** Clock for time/dayOfWeek/cron conditions (defaults to the system clock). */
  now?: () => Date;
  /** Checker for the `unique` operator; without one, `unique` passes (simulate, tests). */
  unique?: UniqueChecker;
}

export type ConditionKind = 'field' | 'time' | 'dayOfWeek' | 'cron';

export interface ConditionResult {
  block: 'when' | 'or';
  index: number;
  kind: ConditionKind;
  pass: boolean;
  /** Resolved operator (`equals`, …) or the time form's name. */
  operator: string;
  /** The field as written (path or template). */
  field: string;
  /** The resolved field value as compared (string form). */
  actual: string;
  /** The resolved expected value (string form), "" when the operator takes none. */
  expected: string;
  negate: boolean;
  /** Why the condition could not be evaluated (render error, bad regex, unknown operator…). */
  error?: string;
  /** The condition's own `message:` when set. */
  message?: string;
}

export interface Evaluation {
  pass: boolean;
  /** Results of the conditions actually evaluated (blocks short-circuit like the original). */
  results: ConditionResult[];
}

const OPERATOR_SET: ReadonlySet<string> = new Set(CONDITION_OPERATORS);

function isTemplate(s: string): boolean {
  return s.includes('{{');
}

function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

function falsy(v: unknown): boolean {
  return v === false || (typeof v === 'string' && v.trim().toLowerCase() === 'false');
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * Which operator a condition uses and its expected value, in the original's precedence order:
 * exists → notExists → the shorthands in CONDITION_SHORTHANDS order → `operator` + `value` →
 * a bare `value` means equals → otherwise exists.
 */
export function resolveOperator(c: Condition): { operator: string; expected: unknown } {
  // `exists: false` / `notExists: false` read naturally as the inverse; the original ignored
  // them and fell through to "exists", which surprised users (deviation, documented).
  if (truthy(c.exists)) return { operator: 'exists', expected: undefined };
  if (truthy(c.notExists)) return { operator: 'notExists', expected: undefined };
  if (falsy(c.exists)) return { operator: 'notExists', expected: undefined };
  if (falsy(c.notExists)) return { operator: 'exists', expected: undefined };
  for (const [key, op] of CONDITION_SHORTHANDS) {
    if (key === 'exists' || key === 'notExists') continue;
    const v = (c as Record<string, unknown>)[key];
    if (present(v)) return { operator: op, expected: v };
  }
  if (typeof c.operator === 'string' && c.operator !== '') {
    return { operator: c.operator, expected: c.value };
  }
  if (present(c.value)) return { operator: 'equals', expected: c.value };
  return { operator: 'exists', expected: undefined };
}

/** Expected values may be YAML scalars or (for in/notIn) lists; compare them as strings. */
function expectedText(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(',');
  return formatValue(v);
}

function isAbsent(s: string): boolean {
  return s === '' || s === NO_VALUE;
}

function splitList(s: string): string[] {
  return s.split(',').map((x) => x.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/** Go RE2 inline flags at the start (`(?i)`) become JS flags; `(?P<n>` becomes `(?<n>`. */
export function compileRegex(pattern: string): RegExp {
  let flags = '';
  let body = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    for (const f of m[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
    body = body.slice(m[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  return new RegExp(body, flags);
}

function compareNumbers(op: string, actual: string, expected: string): boolean {
  const a = isAbsent(actual) ? 0 : parseNumber(actual);
  const e = parseNumber(expected);
  if (a === undefined || e === undefined) return false;
  switch (op) {
    case 'gt': return a > e;
    case 'lt': return a < e;
    case 'gte': return a >= e;
    default: return a <= e;
  }
}

function inRange(actual: string, expected: string): boolean | undefined {
  const a = parseNumber(actual);
  const parts = expected.split(',');
  if (a === undefined || parts.length !== 2) return undefined;
  const lo = parseNumber(parts[0]);
  const hi = parseNumber(parts[1]);
  if (lo === undefined || hi === undefined) return undefined;
  return a >= lo && a <= hi;
}

const TYPE_CHECKS: Readonly<Record<string, string>> = {
  typeMap: 'map', typeList: 'slice', typeString: 'string', typeNumber: 'number',
  typeBool: 'bool', typeNull: 'null',
};

interface Operands {
  actual: string;
  raw: unknown;
  expected: string;
  field: string;
}

/** Applies one operator. Returns an error string instead of throwing for invalid input. */
function applyOperator(
  op: string, o: Operands, options: EvaluateOptions,
): { pass: boolean; error?: string } {
  const { actual, expected } = o;
  switch (op) {
    case 'exists': return { pass: !isAbsent(actual) };
    case 'notExists': return { pass: isAbsent(actual) };
    case 'equals': return { pass: actual === expected };
    case 'notEquals': return { pass: actual !== expected };
    case 'contains': return { pass: actual.includes(expected) };
    case 'notContains': return { pass: !actual.includes(expected) };
    case 'prefix': return { pass: actual.startsWith(expected) };
    case 'notPrefix': return { pass: !actual.startsWith(expected) };
    case 'suffix': return { pass: actual.endsWith(expected) };
    case 'notSuffix': return { pass: !actual.endsWith(expected) };
    case 'regex': {
      try {
        return { pass: compileRegex(expected).test(actual) };
      } catch (err) {
        return { pass: false, error: `invalid regex ${JSON.stringify(expected)}: ${(err as Error).message}` };
      }
    }
    case 'gt': case 'lt': case 'gte': case 'lte': {
      if (parseNumber(expected) === undefined) {
        return { pass: false, error: `expected a number, got ${JSON.stringify(expected)}` };
      }
      return { pass: compareNumbers(op, actual, expected) };
    }
    case 'in': return { pass: splitList(expected).includes(actual) };
    case 'notIn': return { pass: !splitList(expected).includes(actual) };
    case 'between': case 'notBetween': {
      const r = inRange(actual, expected);
      if (r === undefined) return { pass: false };
      return { pass: op === 'between' ? r : !r };
    }
    case 'unique': return { pass: options.unique ? options.unique(o.field, actual) : true };
    case 'typeOf': return { pass: typeOfValue(o.raw) === normalizeTypeName(expected) };
    default: {
      const want = TYPE_CHECKS[op];
      if (want !== undefined) return { pass: typeOfValue(o.raw) === want };
      return { pass: false, error: `unknown operator "${op}"` };
    }
  }
}

function tryRender(
  render: RenderFn, text: string, data: Record<string, unknown>,
): { ok: true; value: string } | { ok: false; error: string } {
  try {
    return { ok: true, value: render(text, data) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Evaluates a single condition. `block`/`index` only label the result. */
export function evaluateCondition(
  c: Condition,
  data: Record<string, unknown>,
  render: RenderFn,
  options: EvaluateOptions = {},
  block: 'when' | 'or' = 'when',
  index = 0,
): ConditionResult {
  const negate = c.negate === true;
  const base = { block, index, negate, ...(typeof c.message === 'string' ? { message: c.message } : {}) };
  const finish = (r: Omit<ConditionResult, 'block' | 'index' | 'negate' | 'message'>): ConditionResult => {
    // A condition that could not be evaluated stays false even when negated: `negate` inverts
    // an answer, it does not turn a broken template into a pass.
    const pass = r.error !== undefined ? false : negate ? !r.pass : r.pass;
    return { ...base, ...r, pass };
  };

  // Time-based forms ignore the data. Several on one condition must all hold.
  if (c.time !== undefined || c.dayOfWeek !== undefined || c.cron !== undefined) {
    const now = (options.now ?? (() => new Date()))();
    const parts: { kind: ConditionKind; pass: boolean; actual: string; expected: string; error?: string }[] = [];
    if (c.time !== undefined) parts.push({ kind: 'time', ...evaluateTime(c.time, now) });
    if (c.dayOfWeek !== undefined) parts.push({ kind: 'dayOfWeek', ...evaluateDayOfWeek(c.dayOfWeek, now) });
    if (c.cron !== undefined) {
      parts.push({ kind: 'cron', ...evaluateCron(c.cron, c.duration, now) });
    }
    const failed = parts.find((p) => p.error !== undefined || !p.pass) ?? parts[parts.length - 1];
    return finish({
      kind: failed.kind, operator: failed.kind, field: failed.kind, actual: failed.actual,
      expected: failed.expected, pass: parts.every((p) => p.pass),
      ...(failed.error !== undefined ? { error: failed.error } : {}),
    });
  }

  const field = typeof c.field === 'string' ? c.field : '';
  const { operator, expected: rawExpected } = resolveOperator(c);
  const resultBase = { kind: 'field' as const, operator, field };

  let expected = expectedText(rawExpected);
  if (isTemplate(expected)) {
    const r = tryRender(render, expected, data);
    if (!r.ok) return finish({ ...resultBase, actual: '', expected, pass: false, error: `value: ${r.error}` });
    expected = r.value;
  }

  let actual: string;
  let raw: unknown;
  if (isTemplate(field)) {
    const r = tryRender(render, field, data);
    if (!r.ok) return finish({ ...resultBase, actual: '', expected, pass: false, error: `field: ${r.error}` });
    actual = r.value;
    raw = r.value;
  } else {
    raw = lookupPath(data, field);
    actual = formatValue(raw);
  }

  if (!OPERATOR_SET.has(operator)) {
    return finish({ ...resultBase, actual, expected, pass: false, error: `unknown operator "${operator}"` });
  }
  const outcome = applyOperator(operator as ConditionOperator, { actual, raw, expected, field }, options);
  return finish({ ...resultBase, actual, expected, ...outcome });
}

/**
 * Evaluates a `when` block (all must pass) and an `or` block (at least one must pass when
 * non-empty). Empty or missing blocks pass. Both short-circuit, so `results` lists only the
 * conditions that were evaluated; the last failing one explains a false result.
 */
export function evaluateConditions(
  when: readonly Condition[] | undefined,
  or: readonly Condition[] | undefined,
  data: Record<string, unknown>,
  render: RenderFn,
  options: EvaluateOptions = {},
): Evaluation {
  const results: ConditionResult[] = [];
  for (const [i, c] of (when ?? []).entries()) {
    const r = evaluateCondition(c, data, render, options, 'when', i);
    results.push(r);
    if (!r.pass) return { pass: false, results };
  }
  if (or && or.length > 0) {
    for (const [i, c] of or.entries()) {
      const r = evaluateCondition(c, data, render, options, 'or', i);
      results.push(r);
      if (r.pass) return { pass: true, results };
    }
    return { pass: false, results };
  }
  return { pass: true, results };
}

const NO_EXPECTED: ReadonlySet<string> = new Set([
  'exists', 'notExists', 'unique', 'typeMap', 'typeList', 'typeString', 'typeNumber', 'typeBool', 'typeNull',
]);

/**
 * One line explaining a condition's result for events and status, e.g.
 * `spec.environment equals production: got "staging"`. Never includes more than the compared
 * strings; callers must not put secret-bearing fields into conditions they surface.
 */
export function explainCondition(r: ConditionResult): string {
  const not = r.negate ? 'not ' : '';
  if (r.kind !== 'field') {
    const head = `${not}${r.kind} ${r.expected}`;
    return r.error !== undefined ? `${head}: ${r.error}` : `${head}: now ${r.actual}`;
  }
  const field = r.field === '' ? '(no field)' : r.field;
  const head = NO_EXPECTED.has(r.operator)
    ? `${field} ${not}${r.operator}`
    : `${field} ${not}${r.operator} ${r.expected}`;
  if (r.error !== undefined) return `${head}: ${r.error}`;
  return `${head}: got ${JSON.stringify(r.actual)}`;
}

/** Explains why an evaluation failed ("" when it passed). */
export function explainEvaluation(e: Evaluation): string {
  if (e.pass) return '';
  const failedWhen = e.results.find((r) => r.block === 'when' && !r.pass);
  if (failedWhen) return explainCondition(failedWhen);
  const ors = e.results.filter((r) => r.block === 'or');
  return `none of ${ors.length} or-conditions passed: ${ors.map(explainCondition).join('; ')}`;
}
