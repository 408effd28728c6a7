// Refuses Katalog keys the runtime has no consumer for (support.ts), at the key's own
// file:line:column: `not supported yet: spec.crds.website.validation`. The value is walked
// together with the schema, so a key is judged by the schema object that accepted it (the same
// `when:` is a condition in a resource and in a status field) and by its section's table.
import type { z } from 'zod';
import { defOf } from './issues.ts';
import { formatPath } from './diagnostics.ts';
import type { BuildContext } from './context.ts';
import { isObj } from './context.ts';
import type { Path } from './source.ts';
import { SUPPORT, sectionOf } from './support.ts';
import type { Support } from './support.ts';

/** Optional/default/… wrappers and union branches → the schemas that may describe a value. */
export function leaves(s: z.ZodType): z.ZodType[] {
  const d = defOf(s);
  switch (d.type) {
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'nonoptional':
      return leaves(d.innerType!);
    case 'pipe': return leaves(d.in!);
    case 'lazy': return leaves(d.getter!());
    case 'union': return d.options!.flatMap(leaves);
    default: return [s];
  }
}

/** A catch-all that accepts keys (not zod's `never` of strict objects). */
export function catchallOf(s: z.ZodType): z.ZodType | undefined {
  const c = defOf(s).catchall;
  return c !== undefined && defOf(c).type !== 'never' ? c : undefined;
}

export const join = (rel: string, key: string): string => (rel === '' ? key : `${rel}.${key}`);

export function supportOf(section: string, key: string): Support | undefined {
  return SUPPORT[section]?.[key];
}

interface Place { section: string; rel: string }

/** Reports every refused key present in `value` (a document's JS value). */
export function refuseUnsupported(value: unknown, root: z.ZodType, ctx: BuildContext): void {
  walk(value, [root], { section: 'katalog', rel: '' }, [], ctx);
}

function walk(value: unknown, schemas: z.ZodType[], at: Place, path: Path, ctx: BuildContext): void {
  const all = schemas.flatMap(leaves);
  if (Array.isArray(value)) {
    const elements = all.flatMap((s) => (defOf(s).type === 'array' ? [defOf(s).element!] : []));
    if (elements.length > 0) value.forEach((v, i) => walk(v, elements, { ...at, rel: `${at.rel}[]` }, [...path, i], ctx));
    return;
  }
  if (!isObj(value)) return;
  const objects = all.filter((s) => defOf(s).type === 'object');
  if (objects.length === 0) {
    const values = all.flatMap((s) => (defOf(s).type === 'record' ? [defOf(s).valueType!] : []));
    if (values.length > 0) for (const [k, v] of Object.entries(value)) walk(v, values, { ...at, rel: join(at.rel, '*') }, [...path, k], ctx);
    return;
  }
  const last = path[path.length - 1];
  for (const [key, v] of Object.entries(value)) {
    for (const obj of objects) {
      const shape = defOf(obj).shape ?? {};
      const child = Object.hasOwn(shape, key) ? shape[key] : catchallOf(obj);
      if (child === undefined) continue; // an unknown key: the schema reports it
      const section = sectionOf(obj, last);
      const here: Place = section === undefined ? at : { section, rel: '' };
      const rel = join(here.rel, Object.hasOwn(shape, key) ? key : '*');
      judge(v, child, { section: here.section, rel }, [...path, key], ctx);
      break;
    }
  }
}

function judge(value: unknown, schema: z.ZodType, at: Place, path: Path, ctx: BuildContext): void {
  // A key the table does not know is refused too: support.test.ts makes that a failing test.
  const s = supportOf(at.section, at.rel) ?? { status: 'refused' };
  const where = formatPath(path);
  if (s.status === 'refused') {
    ctx.error(path, `not supported yet: ${where}${s.note === undefined ? '' : ` (${s.note})`}`, 'unsupported', true);
    return;
  }
  if (s.status === 'supported' && s.accepts !== undefined && !s.accepts.test(value)) {
    ctx.error(path, `not supported yet: ${where}: ${s.accepts.refused}`, 'unsupported', true);
    return;
  }
  if (s.status === 'supported' && s.keys !== undefined && isObj(value)) {
    for (const k of Object.keys(value)) {
      if (!s.keys.includes(k)) ctx.error([...path, k], `not supported yet: ${formatPath([...path, k])} (read here: ${s.keys.join(', ')})`, 'unsupported', true);
    }
    return;
  }
  walk(value, [schema], at, path, ctx);
}

export interface SchemaKey { section: string; key: string; support: Support | undefined }

/**
 * Every key the schema accepts, by section, as far as the table lets a Katalog reach: below a
 * refused key (or a free-form map with a `keys` list) nothing more can be written.
 */
export function schemaKeys(root: z.ZodType): SchemaKey[] {
  const out = new Map<string, SchemaKey>();
  const seen = new Set<string>();
  const visit = (s: z.ZodType, at: Place, last: string): void => {
    for (const leaf of leaves(s)) {
      const d = defOf(leaf);
      if (d.type === 'array') visit(d.element!, { ...at, rel: `${at.rel}[]` }, last);
      else if (d.type === 'record') visit(d.valueType!, { ...at, rel: join(at.rel, '*') }, '*');
      else if (d.type === 'object') {
        const section = sectionOf(leaf, last);
        const here = section === undefined ? at : { section, rel: '' };
        const children: [string, z.ZodType][] = Object.entries(d.shape ?? {});
        const c = catchallOf(leaf);
        if (c !== undefined) children.push(['*', c]);
        for (const [k, child] of children) {
          const key = join(here.rel, k);
          const id = `${here.section}\0${key}`;
          const support = supportOf(here.section, key);
          out.set(id, { section: here.section, key, support });
          if (seen.has(id)) continue;
          seen.add(id);
          if (support?.status === 'supported' && support.keys === undefined) visit(child, { section: here.section, rel: key }, k);
        }
      }
    }
  };
  visit(root, { section: 'katalog', rel: '' }, '');
  return [...out.values()];
}
