// `normalize.spec` (reference §12.3): declared paths under `.spec` rewritten on a copy, before
// mutation and validation. Every template sees the raw object — not the other entries' results —
// so the entries do not depend on their order. A rendered string is read as a YAML scalar.
import type { NormalizeSpec } from '../katalog/model.ts';
import { fromScalar } from './coerce.ts';
import { getAt, setAt } from './paths.ts';
import { errorText, renderValue } from './render-tree.ts';
import type { Change, RenderFn, Rewrite, RuleProblem } from './types.ts';

/**
 * `data` is what the templates see (the raw object plus whatever the caller adds, e.g. `.ork`).
 * An entry whose template fails changes nothing and is reported; the others still apply.
 */
export function normalize<T extends object>(object: T, spec: NormalizeSpec | undefined, data: Record<string, unknown>, render: RenderFn): Rewrite<T> {
  const out = structuredClone(object);
  const changes: Change[] = [];
  const problems: RuleProblem[] = [];
  for (const f of spec?.fields ?? []) {
    let value: unknown;
    try {
      const rendered = renderValue(f.template, data, render, f.at);
      value = typeof f.template === 'string' && typeof rendered === 'string' ? fromScalar(rendered) : rendered;
    } catch (err) {
      problems.push({ path: f.at, message: errorText(err), kind: 'template' });
      continue;
    }
    const path = `spec.${f.path}`;
    const old = getAt(out, path);
    if (isSame(old, value)) continue;
    try {
      setAt(out as Record<string, unknown>, path, value);
    } catch (err) {
      problems.push({ path: f.at, message: `${f.at}: ${errorText(err)}`, kind: 'value' });
      continue;
    }
    changes.push(old === undefined ? { path, new: value } : { path, old, new: value });
  }
  return { object: out, changes, problems };
}

export function isSame(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));
}
