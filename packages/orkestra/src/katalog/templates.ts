// Every template string in the Katalog is compiled at load, so a syntax error is reported at the
// Katalog's own file:line:column instead of at the first reconcile.
import { formatPath } from './diagnostics.ts';
import type { Diagnostic } from './model.ts';
import type { DocPositions, Path } from './source.ts';
import type { Template } from '../template/index.ts';

/** The part of src/template the loader needs: `compile(source, {name})`, throwing on bad syntax. */
export interface TemplateCompiler {
  compile(source: string, options: { name: string }): Template;
}

interface PositionedError {
  line: number;
  column: number;
  offset: number;
  detail?: string;
  message: string;
}

function isPositioned(e: unknown): e is PositionedError {
  const x = e as Partial<PositionedError> | null;
  return x !== null && typeof x === 'object' && typeof x.offset === 'number' && typeof x.line === 'number' && typeof x.column === 'number';
}

/** 0-based offset of a 1-based line/column in `source`. */
function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return offset + column - 1;
}

/** Lint warnings of a compiled template (`"L:C: message"`, e.g. the seed's bare `children.job`). */
function warningsOf(compiled: Template): PositionedError[] {
  return compiled.warnings.map((w) => {
    const m = /^(\d+):(\d+): (.*)$/s.exec(w);
    if (m === null) return { line: 1, column: 1, offset: 0, message: w };
    const line = Number(m[1]);
    const column = Number(m[2]);
    return { line, column, offset: offsetOf(compiled.source, line, column), message: m[3]! };
  });
}

/** Paths whose strings are not templates: provider auth holds `$ENV` references. */
const NOT_TEMPLATES = (path: Path): boolean => path[0] === 'providers' && path[2] === 'auth';

export class TemplateIndex {
  readonly compiled = new Map<string, Template>();
  private readonly failures = new Map<string, unknown>();
  private readonly compiler: TemplateCompiler;

  constructor(compiler: TemplateCompiler) {
    this.compiler = compiler;
  }

  /** Compiles every `{{`-string under `value` (a document's JS value) and reports problems. */
  compileAll(value: unknown, where: DocPositions, out: Diagnostic[], path: (string | number)[] = []): void {
    if (typeof value === 'string') {
      if (value.includes('{{') && !NOT_TEMPLATES(path)) this.compileOne(value, path, where, out);
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => this.compileAll(v, where, out, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) this.compileAll(v, where, out, [...path, k]);
    }
  }

  private compileOne(source: string, path: Path, where: DocPositions, out: Diagnostic[]): void {
    const name = formatPath(path);
    if (!this.compiled.has(source) && !this.failures.has(source)) {
      try {
        this.compiled.set(source, this.compiler.compile(source, { name }));
      } catch (err) {
        this.failures.set(source, err);
      }
    }
    const report = (severity: Diagnostic['severity'], e: PositionedError | undefined, message: string, code: string) => {
      const p = e === undefined ? where.at(path) : where.templatePos(path, e.offset, e.line, e.column);
      out.push({ severity, file: p.file, line: p.line, column: p.column, path: name, message, code });
    };
    if (this.failures.has(source)) {
      const err = this.failures.get(source);
      if (isPositioned(err)) report('error', err, `template syntax error: ${err.detail ?? err.message}`, 'template-syntax');
      else report('error', undefined, `template error: ${err instanceof Error ? err.message : String(err)}`, 'template-syntax');
      return;
    }
    for (const w of warningsOf(this.compiled.get(source)!)) report('warning', w, `template: ${w.detail ?? w.message}`, 'template-warning');
  }
}
