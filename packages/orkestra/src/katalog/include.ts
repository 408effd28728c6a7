// `include:` (reference §19.3): a block's content written in another local file, expanded at load
// so the rest of the loader sees one document. Positions stay true: each included node is mounted
// from its own file (source.ts `Mount`), so an error in it points at that file's line and column.
//
//   status (any era's spelling)   a file with a status block (`fields:`, `conditions:`); its
//                                 fields come first, the block's own after them (later entries
//                                 for the same path win, so the block's own win)
//   reconcile / reconciler        a file with `reconciler:` holding a reconcile block; a key
//                                 written in the block itself wins over the file's
//
// Paths are relative to the file that writes the `include:`. An included file may include others;
// a file included while it is being included is a cycle. URLs are not supported.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { Diagnostic, SourcePos } from './model.ts';
import { reconcileBlockSchema, statusSchema } from './schema.ts';
import { DocPositions, parseYamlFile } from './source.ts';
import type { Path } from './source.ts';
import { isObj } from './context.ts';
import type { Raw } from './context.ts';
import { defOf } from './issues.ts';
import { catchallOf, leaves } from './unsupported.ts';
import { formatPath } from './diagnostics.ts';

interface Site {
  /** The keys an included file may hold at its top. */
  fileKeys: readonly string[];
  /** The schema of the included file's top (its own includes are expanded with it). */
  fileSchema: z.ZodType;
  merge(block: Raw, file: Raw, at: Path, where: DocPositions, included: DocPositions): void;
}

const statusSite: Site = {
  fileKeys: ['fields', 'conditions', 'include'],
  fileSchema: statusSchema,
  merge(block, file, at, where, included) {
    const mine = Array.isArray(block.fields) ? block.fields : [];
    const theirs = Array.isArray(file.fields) ? file.fields : [];
    if (file.fields !== undefined && !Array.isArray(file.fields)) {
      block.fields = file.fields;
      where.mount({ from: [...at, 'fields'], where: included, path: ['fields'] });
    } else if (theirs.length > 0) {
      block.fields = [...theirs, ...mine];
      theirs.forEach((_, i) => where.mount({ from: [...at, 'fields', i], where: included, path: ['fields', i] }));
      mine.forEach((_, i) => where.mount({ from: [...at, 'fields', theirs.length + i], where: where.raw, path: [...at, 'fields', i] }));
    }
    if (block.conditions === undefined && file.conditions !== undefined) {
      block.conditions = file.conditions;
      where.mount({ from: [...at, 'conditions'], where: included, path: ['conditions'] });
    }
  },
};

const reconcilerFileSchema = z.strictObject({ reconciler: reconcileBlockSchema });
const reconcileSite: Site = {
  fileKeys: ['reconciler'],
  fileSchema: reconcilerFileSchema,
  merge(block, file, at, where, included) {
    if (!isObj(file.reconciler)) return;
    for (const [k, v] of Object.entries(file.reconciler)) {
      if (k === 'include' || block[k] !== undefined) continue;
      block[k] = v;
      where.mount({ from: [...at, k], where: included, path: ['reconciler', k] });
    }
  },
};

const SITES = new Map<z.ZodType, Site>([[statusSchema, statusSite], [reconcileBlockSchema, reconcileSite]]);

/** A file being included, and where the include that pulled it in is written. */
interface Link { file: string; at?: SourcePos }

/**
 * Expands every `include:` in `value` (a document's JS value, changed in place; each `include`
 * key is removed) and mounts the included nodes on `where`. Problems go to `out`.
 */
export function expandIncludes(value: unknown, schema: z.ZodType, where: DocPositions, out: Diagnostic[], chain: readonly Link[] = [{ file: where.file }]): void {
  walk(value, [schema], [], where, out, chain);
}

function walk(value: unknown, schemas: z.ZodType[], path: Path, where: DocPositions, out: Diagnostic[], chain: readonly Link[]): void {
  const all = schemas.flatMap(leaves);
  if (Array.isArray(value)) {
    const elements = all.flatMap((s) => (defOf(s).type === 'array' ? [defOf(s).element!] : []));
    if (elements.length > 0) value.forEach((v, i) => walk(v, elements, [...path, i], where, out, chain));
    return;
  }
  if (!isObj(value)) return;
  const objects = all.filter((s) => defOf(s).type === 'object');
  for (const obj of objects) {
    const site = SITES.get(obj);
    if (site !== undefined && typeof value.include === 'string') include(value, site, path, where, out, chain);
  }
  if (objects.length === 0) {
    const values = all.flatMap((s) => (defOf(s).type === 'record' ? [defOf(s).valueType!] : []));
    if (values.length > 0) for (const [k, v] of Object.entries(value)) walk(v, values, [...path, k], where, out, chain);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const children = objects.flatMap((obj) => {
      const shape = defOf(obj).shape ?? {};
      const child = Object.hasOwn(shape, key) ? shape[key] : catchallOf(obj);
      return child === undefined ? [] : [child];
    });
    if (children.length > 0) walk(v, children, [...path, key], where, out, chain);
  }
}

function include(block: Raw, site: Site, at: Path, where: DocPositions, out: Diagnostic[], chain: readonly Link[]): void {
  const name = block.include as string;
  delete block.include;
  const includeAt = [...at, 'include'];
  const pos = where.at(includeAt);
  const error = (message: string, code: string, p: SourcePos = pos): void => {
    out.push({ severity: 'error', file: p.file, line: p.line, column: p.column, path: formatPath(includeAt), message, code });
  };
  const show = (p: SourcePos): string => `${relative(dirname(chain[0]!.file), p.file)}:${p.line}:${p.column}`;
  if (/^[a-z]+:\/\//.test(name)) return error(`include \`${name}\`: URLs are not supported yet; include a local file`, 'include');
  const file = resolve(dirname(where.file), name);
  const loop = chain.find((l) => l.file === file);
  if (loop !== undefined) {
    const first = loop.at === undefined ? 'it is the Katalog itself' : `it is already being included at ${show(loop.at)}`;
    return error(`include cycle: ${show(pos)} includes ${name}, but ${first}`, 'include-cycle');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return error(code === 'ENOENT' ? `include file not found: ${name} (${file})` : `cannot read include file ${file}: ${code ?? String(err)}`, 'include');
  }
  const parsed = parseYamlFile(file, text);
  out.push(...parsed.diagnostics);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return;
  const docs = parsed.docs.filter((d) => d.contents !== null);
  const doc = docs[0];
  if (docs.length !== 1 || doc === undefined) return error(`include file ${name} must hold one YAML document, found ${docs.length}`, 'include');
  const included = new DocPositions(parsed, doc);
  const content: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (!isObj(content)) {
    const p = included.at([]);
    return error(`include file ${name} must be a map with ${site.fileKeys.filter((k) => k !== 'include').map((k) => `\`${k}:\``).join(' or ')}`, 'include', p);
  }
  for (const k of Object.keys(content)) {
    if (site.fileKeys.includes(k)) continue;
    const p = included.keyAt([k]);
    out.push({ severity: 'error', file: p.file, line: p.line, column: p.column, path: k, code: 'unknown-key',
      message: `unknown key \`${k}\` in included file ${name} (expected ${site.fileKeys.map((x) => `\`${x}\``).join(', ')})` });
  }
  expandIncludes(content, site.fileSchema, included, out, [...chain, { file, at: pos }]);
  site.merge(block, content, at, where, included);
}
