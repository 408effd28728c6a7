// Mutation rules (reference §12.2): `default` writes a field that is absent (not set, null or
// ""), `override` writes it always; the value is templated and read as `valueType` when one is
// declared. Rules apply in order and each sees the object as the earlier rules left it, so a
// default may build on another. The result is a copy plus the list of changes — what an
// admission webhook turns into a JSONPatch, and what the reconcile stage shows the templates.
import { evaluateConditions } from '../conditions/evaluate.ts';
import type { MutationRule, MutationSpec, Value } from '../katalog/model.ts';
import { coerce } from './coerce.ts';
import { gateProblem } from './gate.ts';
import { getAt, isAbsent, setAt } from './paths.ts';
import { isSame } from './normalize.ts';
import { errorText, renderValue } from './render-tree.ts';
import type { Change, RenderFn, Rewrite, RuleOptions, RuleProblem } from './types.ts';

/**
 * `context(object)` is the data the templates and `when:` see for the object as mutated so far
 * (the caller adds `.ork` and the like). A rule that cannot be applied changes nothing and is
 * reported; the others still apply.
 */
export function mutate<T extends object>(
  object: T, spec: MutationSpec | undefined, context: (object: T) => Record<string, unknown>, render: RenderFn, opts: RuleOptions,
): Rewrite<T> {
  const out = structuredClone(object);
  const changes: Change[] = [];
  const problems: RuleProblem[] = [];
  for (const rule of spec?.rules ?? []) {
    if (opts.at === 'reconcile' && !rule.atReconcile) continue;
    const data = context(out);
    const gate = evaluateConditions(rule.when, rule.or, data, (t, d) => render(t, d, `${rule.path}.when`), opts.now ? { now: opts.now } : {});
    if (!gate.pass) {
      // A condition that could not be evaluated must not silently skip the rule.
      const p = gateProblem(rule.path, gate);
      if (p) problems.push({ path: p.path, message: p.message, kind: 'template' });
      continue;
    }
    const old = getAt(out, rule.field);
    const declared = rule.override !== undefined ? rule.override : rule.default;
    if (declared === undefined || (rule.override === undefined && !isAbsent(old))) continue;
    const value = valueOf(rule, declared, data, render, problems);
    if (value === undefined || isSame(old, value.v)) continue;
    try {
      setAt(out as Record<string, unknown>, rule.field, value.v);
    } catch (err) {
      problems.push({ path: `${rule.path}.field`, message: `${rule.path}.field: ${errorText(err)}`, kind: 'value' });
      continue;
    }
    changes.push(old === undefined ? { path: rule.field, new: value.v } : { path: rule.field, old, new: value.v });
  }
  return { object: out, changes, problems };
}

function valueOf(rule: MutationRule, declared: Value, data: Record<string, unknown>, render: RenderFn, problems: RuleProblem[]): { v: unknown } | undefined {
  const key = rule.override !== undefined ? 'override' : 'default';
  let rendered: unknown;
  try {
    rendered = renderValue(declared, data, render, `${rule.path}.${key}`);
  } catch (err) {
    problems.push({ path: `${rule.path}.${key}`, message: errorText(err), kind: 'template' });
    return undefined;
  }
  if (rule.valueType === undefined) return { v: rendered };
  const c = coerce(rendered, rule.valueType);
  if (!c.ok) {
    problems.push({ path: `${rule.path}.${key}`, message: `${rule.path}.${key}: ${c.message} (valueType: ${rule.valueType})`, kind: 'value' });
    return undefined;
  }
  return { v: c.value };
}
