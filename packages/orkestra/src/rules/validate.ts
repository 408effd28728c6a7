// Validation rules (reference §12.1). Every rule is evaluated and every violation returned, so
// one edit can fix them all. The operator was resolved at load with the validation precedence
// (katalog/conditions.ts: the shorthands, min/max before greaterThan, then operator + value,
// else exists). Semantics differ from `when:` where a rule must not pass by accident: a missing
// field fails every operator but notEquals and notExists.
//
// A rule that cannot be evaluated — a template in its field, value, message or `when:` fails,
// its regex or number does not parse, its value does not have its `valueType` — is a `deny`
// violation carrying the error, whatever its action. The original let such rules pass, so a
// typo in a policy silently allowed everything; here the Katalog author sees the error at
// once (Ready=False, the event, the webhook's answer), and a broken rule never lets a CR through.
import { evaluateConditions } from '../conditions/evaluate.ts';
import { compileRegex } from '../conditions/evaluate.ts';
import { NO_VALUE, formatValue, lookupPath, normalizeTypeName, parseNumber, typeOfValue } from '../conditions/values.ts';
import type { ValidationRule, ValidationSpec } from '../katalog/model.ts';
import { coerce, typeName } from './coerce.ts';
import { gateProblem } from './gate.ts';
import { errorText } from './render-tree.ts';
import type { RenderFn, RuleOptions } from './types.ts';

export interface Violation {
  /** Field path of the rule (`spec.crds.website.validation.rules[0]`). */
  rule: string;
  /** The CR field reported: the rule's `link` when set, else its `field` as written. */
  field: string;
  action: 'deny' | 'warn';
  message: string;
  /** Set when the rule could not be evaluated (it then denies). */
  error?: string;
}

export function validate(spec: ValidationSpec | undefined, data: Record<string, unknown>, render: RenderFn, opts: RuleOptions): Violation[] {
  const out: Violation[] = [];
  for (const rule of spec?.rules ?? []) {
    if (opts.at === 'reconcile' && !rule.atReconcile) continue;
    const v = evaluateRule(rule, data, render, opts);
    if (v) out.push(v);
  }
  return out;
}

export const denials = (vs: readonly Violation[]): Violation[] => vs.filter((v) => v.action === 'deny');
export const warnings = (vs: readonly Violation[]): Violation[] => vs.filter((v) => v.action === 'warn');

class RuleError extends Error {}

function evaluateRule(rule: ValidationRule, data: Record<string, unknown>, render: RenderFn, opts: RuleOptions): Violation | undefined {
  const field = rule.link ?? rule.field;
  // The error names the rule's field already (the renderer's contract, RuleError's text).
  const broken = (error: string): Violation => ({ rule: rule.path, field, action: 'deny', error, message: error });
  const tmpl = (source: string, key: string): string => {
    if (!source.includes('{{')) return source;
    try {
      return render(source, data, `${rule.path}.${key}`);
    } catch (err) {
      throw new RuleError(errorText(err));
    }
  };
  try {
    const gate = evaluateConditions(rule.when, rule.or, data, (t, d) => render(t, d, `${rule.path}.when`), opts.now ? { now: opts.now } : {});
    if (!gate.pass) {
      const p = gateProblem(rule.path, gate);
      return p ? broken(p.message) : undefined;
    }
    const subject = read(rule, data, tmpl);
    const op = rule.condition.operator;
    let expected = tmpl(rule.condition.value ?? '', 'value');
    if (rule.valueType && rule.valueType !== 'string') {
      if (subject.found) {
        const c = coerce(subject.raw, rule.valueType);
        if (!c.ok) return violation(rule, field, tmpl, `${rule.field} must be ${typeName(rule.valueType)}: got ${JSON.stringify(subject.actual)}`);
        subject.actual = formatValue(c.value);
        subject.raw = c.value;
      }
      expected = canonical(op, expected, rule);
    }
    const pass = check(op, subject, expected, rule);
    if ((rule.condition.negate ? !pass : pass)) return undefined;
    return violation(rule, field, tmpl, generated(rule, op, expected, subject));
  } catch (err) {
    if (err instanceof RuleError) return broken(err.message);
    throw err;
  }
}

function violation(rule: ValidationRule, field: string, tmpl: (s: string, key: string) => string, fallback: string): Violation {
  const message = rule.message === undefined ? fallback : tmpl(rule.message, 'message');
  return { rule: rule.path, field, action: rule.action, message };
}

interface Subject { raw: unknown; actual: string; found: boolean }

/** A template in `field` is the value itself ("found" when not empty); else a dot path. */
function read(rule: ValidationRule, data: Record<string, unknown>, tmpl: (s: string, key: string) => string): Subject {
  if (rule.field.includes('{{')) {
    const actual = tmpl(rule.field, 'field');
    return { raw: actual, actual, found: actual !== '' && actual !== NO_VALUE };
  }
  const raw = lookupPath(data, rule.field);
  const actual = formatValue(raw);
  return { raw, actual, found: actual !== '' };
}

/** The rule's own value read as its `valueType` (each item of a list, both bounds of a range). */
function canonical(op: string, expected: string, rule: ValidationRule): string {
  const one = (s: string): string => {
    const c = coerce(s.trim(), rule.valueType!);
    if (!c.ok) throw new RuleError(`${rule.path}: its value ${c.message} (valueType: ${rule.valueType})`);
    return formatValue(c.value);
  };
  if (NO_VALUE_OPS.has(op) || op === 'regex' || op === 'typeOf') return expected;
  if (op === 'in' || op === 'notIn' || op === 'between' || op === 'notBetween') return expected.split(',').map(one).join(',');
  return one(expected);
}

const NO_VALUE_OPS = new Set(['exists', 'notExists', 'unique', 'typeMap', 'typeList', 'typeString', 'typeNumber', 'typeBool', 'typeNull']);
const TYPE_CHECKS: Record<string, string> = { typeMap: 'map', typeList: 'slice', typeString: 'string', typeNumber: 'number', typeBool: 'bool', typeNull: 'null' };

function number(s: string, rule: ValidationRule): number {
  const n = parseNumber(s);
  if (n === undefined) throw new RuleError(`${rule.path}: expected a number to compare with, got ${JSON.stringify(s)}`);
  return n;
}

function range(expected: string, rule: ValidationRule): [number, number] {
  const parts = expected.split(',');
  if (parts.length !== 2) throw new RuleError(`${rule.path}: expected "min,max", got ${JSON.stringify(expected)}`);
  return [number(parts[0]!, rule), number(parts[1]!, rule)];
}

const items = (s: string): string[] => s.split(',').map((x) => x.trim());

/** True when the rule holds. */
function check(op: string, s: Subject, expected: string, rule: ValidationRule): boolean {
  const { actual, found } = s;
  switch (op) {
    case 'exists': return found;
    case 'notExists': return !found;
    case 'notEquals': return !found || actual !== expected;
    case 'typeOf': return typeOfValue(s.raw) === normalizeTypeName(expected);
    case 'unique': throw new RuleError(`${rule.path}: the unique operator needs a lookup of the other objects`);
    default: break;
  }
  if (TYPE_CHECKS[op] !== undefined) return typeOfValue(s.raw) === TYPE_CHECKS[op];
  // Everything below needs the field: a missing one fails the rule.
  if (!found) {
    if (op === 'regex') compile(expected, rule);
    if (op === 'gt' || op === 'lt' || op === 'gte' || op === 'lte') number(expected, rule);
    if (op === 'between' || op === 'notBetween') range(expected, rule);
    return false;
  }
  switch (op) {
    case 'equals': return actual === expected;
    case 'prefix': return actual.startsWith(expected);
    case 'notPrefix': return !actual.startsWith(expected);
    case 'suffix': return actual.endsWith(expected);
    case 'notSuffix': return !actual.endsWith(expected);
    case 'contains': return actual.includes(expected);
    case 'notContains': return !actual.includes(expected);
    case 'in': return items(expected).includes(actual);
    case 'notIn': return !items(expected).includes(actual);
    case 'regex': return compile(expected, rule).test(actual);
    case 'gt': case 'lt': case 'gte': case 'lte': {
      const e = number(expected, rule);
      const a = parseNumber(actual);
      if (a === undefined) return false;
      return op === 'gt' ? a > e : op === 'lt' ? a < e : op === 'gte' ? a >= e : a <= e;
    }
    case 'between': case 'notBetween': {
      const [lo, hi] = range(expected, rule);
      const a = parseNumber(actual);
      if (a === undefined) return false;
      return (a >= lo && a <= hi) === (op === 'between');
    }
    default: throw new RuleError(`${rule.path}: unknown operator "${op}"`);
  }
}

function compile(pattern: string, rule: ValidationRule): RegExp {
  try {
    return compileRegex(pattern);
  } catch (err) {
    throw new RuleError(`${rule.path}: invalid regex ${JSON.stringify(pattern)}: ${errorText(err)}`);
  }
}

const PHRASES: Record<string, string> = {
  exists: 'must be set', notExists: 'must not be set', equals: 'must equal', notEquals: 'must not equal',
  prefix: 'must start with', notPrefix: 'must not start with', suffix: 'must end with', notSuffix: 'must not end with',
  contains: 'must contain', notContains: 'must not contain', regex: 'must match', in: 'must be one of', notIn: 'must not be one of',
  gt: 'must be greater than', lt: 'must be less than', gte: 'must be at least', lte: 'must be at most',
  between: 'must be between', notBetween: 'must not be between', typeOf: 'must be of type',
  typeMap: 'must be a map', typeList: 'must be a list', typeString: 'must be a string', typeNumber: 'must be a number',
  typeBool: 'must be a boolean', typeNull: 'must be null',
};

/** The message of a rule without `message:`: the field, what the rule wants, what it got, the rule. */
function generated(rule: ValidationRule, op: string, expected: string, s: Subject): string {
  const want = `${rule.condition.negate ? 'not: ' : ''}${PHRASES[op] ?? op}${NO_VALUE_OPS.has(op) || TYPE_CHECKS[op] ? '' : ` ${JSON.stringify(expected)}`}`;
  const got = s.found ? `got ${JSON.stringify(s.actual)}` : 'not set';
  return `${rule.link ?? rule.field} ${want} (${got}; rule ${rule.path})`;
}
