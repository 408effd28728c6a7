// Errors carry their position so the Katalog loader can point at file:line:column.

/** 1-based line and column of a 0-based offset in `source`. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export class TemplateSyntaxError extends Error {
  readonly templateName: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the "template NAME:LINE:COL:" prefix. */
  readonly detail: string;
  constructor(templateName: string, source: string, offset: number, detail: string) {
    const { line, column } = positionOf(source, offset);
    super(`template ${templateName}:${line}:${column}: ${detail}`);
    this.name = 'TemplateSyntaxError';
    this.templateName = templateName;
    this.line = line;
    this.column = column;
    this.offset = offset;
    this.detail = detail;
  }
}

export interface ExecErrorInit {
  templateName: string;
  source: string;
  offset: number;
  /** The field (".spec.x") or function ("get") being evaluated, as written. */
  target: string;
  detail: string;
  /** Who was being rendered, e.g. "Website default/my-site". */
  context?: string;
}

export class TemplateExecError extends Error {
  readonly templateName: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly target: string;
  readonly detail: string;
  readonly context: string | undefined;
  constructor(init: ExecErrorInit) {
    const { line, column } = positionOf(init.source, init.offset);
    const where = init.context ? ` (${init.context})` : '';
    super(`template ${init.templateName}:${line}:${column}: executing at <${init.target}>: ${init.detail}${where}`);
    this.name = 'TemplateExecError';
    this.templateName = init.templateName;
    this.line = line;
    this.column = column;
    this.offset = init.offset;
    this.target = init.target;
    this.detail = init.detail;
    this.context = init.context;
  }
}

/** Thrown by functions and the executor internals; converted to TemplateExecError with position. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}
