// YAML text → documents with positions. Owns the one narrow recovery the seed README needs and
// the mapping from a JS path (or an offset inside a scalar) back to file:line:column.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Diagnostic, SourcePos } from './model.ts';

export type Path = readonly (string | number)[];

export interface ParsedFile {
  file: string;
  text: string;
  lineCounter: LineCounter;
  docs: Document.Parsed[];
  /** YAML syntax errors (fatal) and recovery warnings. */
  diagnostics: Diagnostic[];
}

// A line `key: "{{ … "x" … }}"` whose template action holds unescaped double quotes, as the seed
// README writes `value: "{{ get .children.deployment "status" "readyReplicas" }}"`. Invalid YAML,
// but the intent is unambiguous: the scalar is everything between the first and the last quote.
const QUOTED_TEMPLATE_LINE = /^(\s*(?:-\s+)?[A-Za-z0-9_.$/-]+:\s+)"(\{\{.*\}\})"(\s*(?:#.*)?)$/;

/**
 * Rewrites such lines to single-quoted scalars (same length when the template has no `'`, so every
 * position stays exact) and returns one warning per rewritten line.
 */
export function recoverQuotedTemplates(text: string, file: string): { text: string; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const m = QUOTED_TEMPLATE_LINE.exec(line);
    if (m === null) continue;
    const inner = m[2]!;
    // Only unescaped inner quotes; `\"` is valid YAML and needs no help.
    if (!/(^|[^\\])"/.test(inner) || inner.includes('\\')) continue;
    const prefix = m[1]!;
    const single = `'${inner.replaceAll("'", "''")}'`;
    lines[i] = prefix + single + m[3]! + (lines[i]!.endsWith('\r') ? '\r' : '');
    warnings.push({
      severity: 'warning',
      file,
      line: i + 1,
      column: prefix.length + 1,
      path: '',
      code: 'yaml-quoted-template',
      message: `double quotes inside a double-quoted template are invalid YAML; read as ${single}. ` +
        `Write it with single quotes outside (${single}) or escape the inner quotes (\\")`,
    });
  }
  return { text: lines.join('\n'), warnings };
}

export function parseYamlFile(file: string, text: string): ParsedFile {
  let lineCounter = new LineCounter();
  let docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const hasErrors = (ds: typeof docs) => !Array.isArray(ds) || ds.some((d) => d.errors.length > 0);
  if (hasErrors(docs)) {
    const recovered = recoverQuotedTemplates(text, file);
    if (recovered.warnings.length > 0) {
      text = recovered.text;
      lineCounter = new LineCounter();
      docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
      diagnostics.push(...recovered.warnings);
    }
  }
  // parseAllDocuments returns an EmptyStream (not an array) for an empty file.
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    for (const err of [...doc.errors, ...doc.warnings]) {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      const duplicate = err.code === 'DUPLICATE_KEY' ? duplicateKey(doc, err.pos[0], lineCounter) : undefined;
      if (duplicate !== undefined) {
        diagnostics.push({ severity: 'error', file, line, column: col, path: '', code: 'duplicate', message: duplicate });
        continue;
      }
      diagnostics.push({
        severity: doc.errors.includes(err) ? 'error' : 'warning',
        file,
        line,
        column: col,
        path: '',
        code: 'yaml-syntax',
        message: `invalid YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      });
    }
  }
  return { file, text, lineCounter, docs: list, diagnostics };
}

/**
 * The YAML library only says "Map keys must be unique"; which key, and where it was first
 * written, is what the author needs (the later one silently replacing the first is the bug).
 */
function duplicateKey(doc: Document.Parsed, offset: number, lineCounter: LineCounter): string | undefined {
  let message: string | undefined;
  visit(doc, {
    Map(_, map) {
      const keyOf = (i: number) => map.items[i]?.key;
      const at = map.items.findIndex((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (at < 0) return undefined;
      const dup = keyOf(at) as Scalar;
      const first = map.items.findIndex((p) => isScalar(p.key) && p.key.value === dup.value);
      const firstKey = keyOf(first) as Scalar;
      const pos = lineCounter.linePos(firstKey.range?.[0] ?? 0);
      message = `duplicate key \`${String(dup.value)}\`: first written at line ${pos.line}, column ${pos.col}; YAML keeps only one, so merge them or rename one`;
      return visit.BREAK;
    },
  });
  return message;
}

/**
 * A part of the document that was written elsewhere (`include:`): paths under `from` are found at
 * `path` of `where`, another file's document or this document before the expansion moved it.
 */
export interface Mount {
  from: Path;
  where: DocPositions;
  path: Path;
}

/** Positions inside one parsed document (and, through its mounts, inside the files it includes). */
export class DocPositions {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly text: string;
  readonly lineCounter: LineCounter;
  private readonly mounts: Mount[] = [];
  private unmounted?: DocPositions;
  private readonly parsed: ParsedFile;

  constructor(parsed: ParsedFile, doc: Document.Parsed) {
    this.parsed = parsed;
    this.file = parsed.file;
    this.doc = doc;
    this.text = parsed.text;
    this.lineCounter = parsed.lineCounter;
  }

  /** This document as written, without the mounts (where an expansion moved its own nodes from). */
  get raw(): DocPositions {
    this.unmounted ??= new DocPositions(this.parsed, this.doc);
    return this.unmounted;
  }

  mount(m: Mount): void {
    this.mounts.push(m);
  }

  /** The mount a path lies under (the deepest one), with the path inside it. */
  private route(path: Path): { where: DocPositions; path: Path } | undefined {
    let best: Mount | undefined;
    for (const m of this.mounts) {
      if (m.from.length > path.length || (best !== undefined && m.from.length <= best.from.length)) continue;
      if (m.from.every((seg, i) => String(seg) === String(path[i]))) best = m;
    }
    return best === undefined ? undefined : { where: best.where, path: [...best.path, ...path.slice(best.from.length)] };
  }

  pos(offset: number): SourcePos {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The node at `path`, or the deepest existing ancestor (for a missing key: its parent map). */
  nodeAt(path: Path): { node: Node | undefined; exact: boolean } {
    const r = this.route(path);
    if (r !== undefined) return r.where.nodeAt(r.path);
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      const next = childNode(node, path[i]!);
      if (next === undefined) return { node: node as Node | undefined, exact: false };
      node = next;
    }
    return { node: node as Node | undefined, exact: true };
  }

  /** Position of the value at `path` (map/seq: their first entry; missing: the parent). */
  at(path: Path): SourcePos {
    const r = this.route(path);
    if (r !== undefined) return r.where.at(r.path);
    const { node } = this.nodeAt(path);
    const start = node?.range?.[0];
    return start === undefined ? this.pos(0) : this.pos(start);
  }

  /** Position of the *key* of the last path segment (for unknown keys). */
  keyAt(path: Path): SourcePos {
    const r = this.route(path);
    if (r !== undefined) return r.where.keyAt(r.path);
    const parent = this.nodeAt(path.slice(0, -1));
    const last = path[path.length - 1];
    if (parent.exact && isMap(parent.node)) {
      for (const pair of parent.node.items) {
        if (isScalar(pair.key) && String(pair.key.value) === String(last) && pair.key.range) return this.pos(pair.key.range[0]);
      }
    }
    return this.at(path);
  }

  /** The scalar node at `path`, if the value there is a scalar. */
  scalarAt(path: Path): Scalar | undefined {
    const r = this.route(path);
    if (r !== undefined) return r.where.scalarAt(r.path);
    const { node, exact } = this.nodeAt(path);
    return exact && isScalar(node) ? node : undefined;
  }

  /**
   * Maps a position inside a template (0-based offset, 1-based line/column within the template
   * source) to the file: exact for plain and single-line quoted scalars, line-based for block
   * scalars, the scalar's start otherwise.
   */
  templatePos(path: Path, offset: number, tLine: number, tColumn: number): SourcePos {
    const r = this.route(path);
    if (r !== undefined) return r.where.templatePos(r.path, offset, tLine, tColumn);
    const scalar = this.scalarAt(path);
    if (scalar?.range === undefined || scalar.range === null) return this.at(path);
    const [start, end] = scalar.range;
    const raw = this.text.slice(start, end);
    const type = scalar.type;
    if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
      const headerLine = this.lineCounter.linePos(start).line;
      const firstContentLine = this.lineCounter.lineStarts[headerLine] ?? start;
      const indent = /^ */.exec(this.text.slice(firstContentLine))![0].length;
      // An error at the template's end (after its final newline) points just past the last character.
      let last = end - 1;
      while (last > start && /\s/.test(this.text[last]!)) last--;
      const lastPos = this.pos(last);
      if (headerLine + tLine > lastPos.line) return { ...lastPos, column: lastPos.column + 1 };
      return { file: this.file, line: headerLine + tLine, column: indent + tColumn };
    }
    if (raw.includes('\n')) return this.pos(start);
    if (type === Scalar.PLAIN) return this.pos(start + offset);
    let i = start + 1;
    for (let k = 0; k < offset && i < end; k++) {
      if (type === Scalar.QUOTE_SINGLE) i += this.text[i] === "'" && this.text[i + 1] === "'" ? 2 : 1;
      else if (this.text[i] === '\\') {
        const e = this.text[i + 1];
        i += e === 'x' ? 4 : e === 'u' ? 6 : e === 'U' ? 10 : 2;
      } else i += 1;
    }
    return this.pos(i);
  }
}

function childNode(node: unknown, seg: string | number): unknown {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(seg)) return pair.value ?? undefined;
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}
