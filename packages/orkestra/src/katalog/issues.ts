// zod issues → Diagnostics in the Katalog's own words: position from the YAML node, field path,
// what was expected and, for unknown keys or values, the closest valid one.
import type { z } from 'zod';
import { CONDITION_SHORTHANDS, OPERATOR_ALIASES } from '../conditions/operators.ts';
import { didYouMean, formatPath } from './diagnostics.ts';
import type { Diagnostic } from './model.ts';
import type { DocPositions, Path } from './source.ts';

type Issue = z.core.$ZodIssue;

export interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}
export const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas that may describe the value at `path` (several below unions). */
function schemasAt(root: z.ZodType, path: Path): z.ZodType[] {
  let current = [root];
  for (const seg of path) {
    const next: z.ZodType[] = [];
    const visit = (s: z.ZodType): void => {
      const d = defOf(s);
      switch (d.type) {
        case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional':
          visit(d.innerType!); break;
        case 'pipe': visit(d.in!); break;
        case 'lazy': visit(d.getter!()); break;
        case 'union': d.options!.forEach(visit); break;
        case 'object':
          if (typeof seg === 'string' && d.shape !== undefined && Object.hasOwn(d.shape, seg)) next.push(d.shape[seg]!);
          else if (d.catchall !== undefined && defOf(d.catchall).type !== 'never') next.push(d.catchall);
          break;
        case 'array': if (typeof seg === 'number') next.push(d.element!); break;
        case 'record': next.push(d.valueType!); break;
      }
    };
    current.forEach(visit);
    current = next;
  }
  return current;
}

/** Keys the object schemas at `path` accept (for "did you mean"). */
export function knownKeysAt(root: z.ZodType, path: Path): string[] {
  const keys = new Set<string>();
  const visit = (s: z.ZodType): void => {
    const d = defOf(s);
    if (d.type === 'object' && d.shape) Object.keys(d.shape).forEach((k) => keys.add(k));
    else if (d.innerType) visit(d.innerType);
    else if (d.type === 'union') d.options!.forEach(visit);
    else if (d.type === 'pipe') visit(d.in!);
  };
  schemasAt(root, path).forEach(visit);
  return [...keys];
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
  return `${typeof v} ${String(v)}`;
}

const EXPECTED_WORDS: Record<string, string> = {
  object: 'a map', record: 'a map', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false',
  int: 'an integer',
};

/** A condition key from another tool (`eq:`) mapped to our shorthand key (`equals:`). */
function conditionKeyAlias(key: string): string | undefined {
  const op = OPERATOR_ALIASES[key];
  if (op === undefined) return undefined;
  return CONDITION_SHORTHANDS.find(([, o]) => o === op)?.[0] ?? op;
}

/** Resolves union issues to the branch that matched the value's shape. */
function flatten(issues: readonly Issue[], prefix: Path = []): { issue: Issue; path: Path }[] {
  const out: { issue: Issue; path: Path }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A branch "matched" when the value's own shape fit it and only nested values failed.
      const matched = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0));
      if (matched.length > 0) {
        const best = matched.reduce((a, b) => (b.length < a.length ? b : a));
        out.push(...flatten(best, path));
        continue;
      }
    }
    out.push({ issue, path });
  }
  return out;
}

export function issuesToDiagnostics(
  issues: readonly Issue[], root: z.ZodType, value: unknown, where: DocPositions, basePath: Path = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const emit = (path: Path, message: string, code: string, atKey = false) => {
    const full = [...basePath, ...path];
    const p = atKey ? where.keyAt(full) : where.at(full);
    out.push({ severity: 'error', file: p.file, line: p.line, column: p.column, path: formatPath(full), message, code });
  };
  for (const { issue, path } of flatten(issues)) {
    const custom = !issue.message.startsWith('Invalid') && !issue.message.startsWith('Unrecognized');
    const actual = valueAt(value, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const known = knownKeysAt(root, path);
          const alias = conditionKeyAlias(key);
          const hint = alias !== undefined && known.includes(alias) ? `; did you mean \`${alias}\`?` : didYouMean(key, known);
          emit([...path, key], `unknown key \`${key}\`${hint}`, 'unknown-key', true);
        }
        break;
      case 'invalid_type': {
        const last = path[path.length - 1];
        if (actual === undefined && typeof last === 'string') {
          emit(path.slice(0, -1), `missing required field \`${last}\``, 'missing-field');
        } else {
          const expected = custom ? issue.message : `expected ${EXPECTED_WORDS[issue.expected] ?? issue.expected}`;
          emit(path, `${expected}, got ${describe(actual)}`, 'invalid-type');
        }
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(String);
        const last = path[path.length - 1];
        let hint = didYouMean(String(actual), values);
        if (last === 'operator' && typeof actual === 'string' && OPERATOR_ALIASES[actual] !== undefined) {
          hint = `; did you mean \`${OPERATOR_ALIASES[actual]}\`?`;
        }
        const what = last === 'operator' ? 'unknown operator' : 'invalid value';
        const list = values.length <= 12 ? `expected one of ${values.map((v) => `\`${v}\``).join(', ')}` : `expected a known value`;
        emit(path, `${what} ${JSON.stringify(actual)}: ${list}${hint}`, last === 'operator' ? 'unknown-operator' : 'invalid-value');
        break;
      }
      case 'invalid_union':
        emit(path, `${custom ? issue.message : 'invalid value'}, got ${describe(actual)}`, 'invalid-type');
        break;
      case 'invalid_format':
        emit(path, `${custom ? issue.message : 'invalid format'}, got ${describe(actual)}`, 'invalid-format');
        break;
      case 'invalid_key': {
        const inner = issue.issues[0]?.message ?? 'invalid key';
        emit(path, `invalid key ${JSON.stringify(path[path.length - 1])}: ${inner}`, 'invalid-key', true);
        break;
      }
      default:
        emit(path, issue.message, 'invalid');
    }
  }
  return out;
}
