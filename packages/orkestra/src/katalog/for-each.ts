// `forEach:` on a resource declaration (reference §9) → the model, with the checks that need no CR:
// the alias is an identifier that hides none of the data templates read, and the declaration is
// one the engine expands (not an onDelete Job, not a copy).
import type { ForEach, HookName } from './model.ts';
import { asStr, isObj } from './context.ts';
import type { BuildContext, Raw } from './context.ts';
import type { Path } from './source.ts';

/** Keys of the template data (engine/pipeline/data.ts) an alias must not hide, and the item's own. */
export const FOR_EACH_RESERVED = [
  'apiVersion', 'kind', 'metadata', 'spec', 'status', 'children', 'cross', 'external', 'inputs', 'metrics', 'health', 'ork',
  'item', 'index', 'value',
] as const;

const DOT_PATH = /^\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function buildForEach(item: Raw, path: Path, hook: HookName, ctx: BuildContext): ForEach | undefined {
  const raw = item.forEach;
  if (!isObj(raw)) return undefined;
  const at = [...path, 'forEach'];
  const field = asStr(raw.field) ?? '';
  const out: ForEach = { field, source: ctx.at(at) };
  if (hook === 'onDelete') {
    ctx.error(at, 'not supported yet: forEach on an onDelete Job (write one Job per step)', 'unsupported', true);
    return undefined;
  }
  if (item.fromSecret !== undefined || item.fromConfigMap !== undefined) {
    ctx.error(at, 'not supported yet: forEach on a copy (fromSecret / fromConfigMap); list the targets in toNamespaces', 'unsupported', true);
    return undefined;
  }
  if (!field.includes('{{') && !DOT_PATH.test(field)) {
    ctx.error([...at, 'field'], `forEach.field \`${field}\` is neither a dot path into the CR data (\`spec.items\`) nor a template`, 'invalid-value');
  }
  const as = asStr(raw.as);
  if (as !== undefined) {
    if (!IDENTIFIER.test(as)) ctx.error([...at, 'as'], `forEach.as \`${as}\` is not an identifier usable as \`.${as}\``, 'invalid-value');
    else if ((FOR_EACH_RESERVED as readonly string[]).includes(as)) {
      ctx.error([...at, 'as'], `forEach.as \`${as}\` would hide \`.${as}\` from the declaration's templates; choose another name`, 'invalid-value');
    } else out.as = as;
  }
  return out;
}
