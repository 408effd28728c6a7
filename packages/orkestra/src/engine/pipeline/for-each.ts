// `forEach:` (reference §9): one declaration, one child per item of a list (or map) of the CR data.
// Each item is planned like a declaration of its own, with `.item`, `.index` (`.value` for maps)
// and the `as:` alias added to the data its templates and `when:` read.
//
//   items       a dot path (`spec.databases`), or a template: `{{ .spec.x }}` is read as the path
//               `.spec.x` (the list itself, not its text); any other template must render a list
//               or map as JSON or YAML (`{{ toJson … }}`), or Go's `[a b c]` for plain words.
//               A missing field or an empty rendering is no item; a scalar is an error
//   list        `.item` = `.<as>` = the element, `.index` = its position
//   map         `.item` = `.<as>` = the key, `.value` = its value, `.index` = the key's position
//               (keys sorted)
//   names       must differ per item: two items rendering one name are an error naming the field
//   ownership   each child carries the annotation `orkestra.orkspace.io/declaration: <path>`.
//               A drift-corrected declaration (onReconcile, reconcile: true) removes this CR's
//               children carrying its path that no intent of this reconcile targets: the
//               children of items that left the list. A child another declaration still
//               declares (the Katalog was reordered and paths moved) is never removed.
import { parse as parseYaml } from 'yaml';
import { lookupPath } from '../../conditions/values.ts';
import type { HookName, ResourceDecl } from '../../katalog/model.ts';
import { kindOrder } from '../resources/index.ts';
import { childrenOfKind, type ChildKind } from '../children.ts';
import { DeclarationError, issuesOf } from '../errors.ts';
import { intentTarget, type ChildIntent } from '../intents.ts';
import { Renderer, RenderError } from '../render.ts';
import type { ReconcileScope } from '../scope.ts';

export const ANNOTATION_DECLARATION = 'orkestra.orkspace.io/declaration';

export interface ForEachItem {
  index: number;
  /** The data the item's templates and conditions read on top of the reconcile's. */
  data: Record<string, unknown>;
  /** Stable per item (not its position), so random values do not move when the list changes. */
  seed: string;
}

const SIMPLE_FIELD = /^\{\{-?\s*(\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*-?\}\}$/;

/** The list or map `forEach.field` names, as a list of items. Throws RenderError / DeclarationError. */
export function forEachItems(scope: ReconcileScope, d: ResourceDecl): ForEachItem[] {
  const fe = d.forEach!;
  const r = scope.renderer;
  const field = fe.field.trim();
  const simple = SIMPLE_FIELD.exec(field);
  const value = !field.includes('{{') ? lookupPath(r.data, field) : simple ? lookupPath(r.data, simple[1]!) : parseRendered(r.string(field, `${d.path}.forEach.field`));
  const uid = scope.cr.metadata?.uid ?? scope.key;
  const item = (index: number, it: unknown, more: Record<string, unknown>): ForEachItem => ({
    index,
    data: { ...r.data, ...(fe.as === undefined ? {} : { [fe.as]: it }), item: it, index, ...more },
    seed: `${uid}:${d.path}:${JSON.stringify(it)}`,
  });
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v, i) => item(i, v, {}));
  if (typeof value === 'object') {
    const map = value as Record<string, unknown>;
    return Object.keys(map).sort().map((k, i) => item(i, k, { value: map[k] }));
  }
  throw new DeclarationError(d.path, [{ path: 'forEach.field', message: `\`${fe.field}\` is ${typeof value === 'string' ? `the string "${value}"` : `the ${typeof value} ${String(value)}`}, not a list or a map` }]);
}

/** A template's text as a list or map: JSON, YAML, or Go's `[a b c]`. */
function parseRendered(text: string): unknown {
  const s = text.trim();
  if (s === '') return undefined;
  try {
    const v: unknown = JSON.parse(s);
    if (typeof v === 'object') return v;
  } catch {
    // Not JSON: YAML or Go's rendering.
  }
  if (/^\[[^,"'{}[\]]*\]$/.test(s) && !s.includes(', ')) return s.slice(1, -1).split(/\s+/).filter((x) => x !== '');
  try {
    return parseYaml(s) as unknown;
  } catch {
    return s;
  }
}

/**
 * Plans every item of a forEach declaration with `planOne` (the ordinary planning of one
 * declaration, given the item's renderer). Problems of an item name it.
 */
export function planForEach(
  scope: ReconcileScope,
  d: ResourceDecl,
  planOne: (renderer: Renderer) => ChildIntent | undefined,
): ChildIntent[] {
  const box = scope.box;
  const intents: ChildIntent[] = [];
  const names = new Map<string, number>();
  for (const it of forEachItems(scope, d)) {
    let intent: ChildIntent | undefined;
    try {
      intent = planOne(new Renderer(it.data, { seed: it.seed, context: box.describe(scope.cr) }));
    } catch (err) {
      throw atItem(err, d, it.index);
    }
    if (!intent) continue;
    const t = intentTarget(intent);
    const key = `${t.namespace ?? ''}/${t.name}`;
    const first = names.get(key);
    if (first !== undefined) {
      throw new DeclarationError(d.path, [{
        path: 'name',
        message: `items ${first} and ${it.index} of forEach \`${d.forEach!.field}\` both render the name "${t.name}"; use .item or .index in the name`,
      }]);
    }
    names.set(key, it.index);
    intents.push(intent);
  }
  return intents;
}

function atItem(err: unknown, d: ResourceDecl, index: number): unknown {
  const where = `forEach item ${index} of \`${d.forEach!.field}\``;
  if (err instanceof RenderError) return new RenderError(err.path, new Error(`${where}: ${String((err.cause as Error | undefined)?.message ?? err.message)}`));
  if (err instanceof DeclarationError) return new DeclarationError(d.path, err.problems.map((p) => ({ path: p.path, message: `${where}: ${p.message}` })));
  const issue = issuesOf(err)[0];
  return new Error(`${d.path} (${where}): ${issue?.message ?? String(err)}`);
}

/** A drift-corrected forEach declaration whose vanished items' children are to be removed. */
export interface Sweep {
  d: ResourceDecl;
  hook: HookName;
}

/**
 * The delete intents of every sweep: this CR's children that carry a swept declaration's path and
 * that no intent of this reconcile targets (its own items, or any other declaration's).
 */
export function planSweeps(scope: ReconcileScope, sweeps: readonly Sweep[]): ChildIntent[] {
  if (sweeps.length === 0) return [];
  const targeted = new Set(scope.intents.map((i) => {
    const t = intentTarget(i);
    return `${t.apiVersion}/${t.kind}/${t.namespace ?? ''}/${t.name}`;
  }));
  const out: ChildIntent[] = [];
  for (const { d, hook } of sweeps) {
    for (const child of kindsOf(scope, d)) {
      for (const live of childrenOfKind(child, scope.owner)) {
        if (live.metadata?.annotations?.[ANNOTATION_DECLARATION] !== d.path) continue;
        if (targeted.has(`${child.apiVersion}/${child.kind}/${live.metadata?.namespace ?? ''}/${live.metadata?.name ?? ''}`)) continue;
        out.push({ verb: 'delete', reason: 'item-removed', source: d.path, hook, order: kindOrder(d.kind), child, live });
      }
    }
  }
  return out;
}

/** A custom declaration's kind may itself be a template: every custom kind of the box is looked at. */
function kindsOf(scope: ReconcileScope, d: ResourceDecl): ChildKind[] {
  if (d.kind !== 'custom') return [scope.box.kinds.get(d.kind)].filter((k): k is ChildKind => k !== undefined);
  return [...scope.box.kinds.values()].filter((k) => k.key.startsWith('custom:'));
}
