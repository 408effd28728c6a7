// Public API of the template engine: compile once (cached by source), execute with Go semantics
// or render with Katalog semantics.
import { createHash } from 'node:crypto';
import { TemplateExecError, TemplateSyntaxError, positionOf } from './errors.ts';
import { execute as run, setFunctionTable, type MissingKey, type Program } from './exec.ts';
import { buildFunctionTable } from './functions/index.ts';
import { parse, ParseError } from './parse.ts';
import { closestName } from './suggest.ts';
import { cryptoRandom, seededRandom, type RandomSource } from './random.ts';

export { TemplateExecError, TemplateSyntaxError, seededRandom, cryptoRandom };
export type { RandomSource };

const FUNCTIONS = buildFunctionTable();
setFunctionTable(FUNCTIONS);

export interface ExecOptions {
  /** Go's missingkey option for execute(); render() always treats missing keys as empty. */
  missingKey?: MissingKey;
  /** Source of randomness for random functions; default: crypto random. */
  random?: RandomSource;
  /** Who is being rendered (e.g. "Website default/my-site"); appears in error messages. */
  context?: string;
  /** Clock for time functions; default: the system clock. */
  now?: () => Date;
}

export interface Template {
  readonly name: string;
  readonly source: string;
  /** True when the source has no actions: execute/render return it unchanged. */
  readonly isStatic: boolean;
  /** Lint findings, e.g. bare identifiers that name no function. */
  readonly warnings: readonly string[];
  /** Raw Go text/template semantics. */
  execute(data: unknown, opts?: ExecOptions): string;
  /** Katalog semantics: missing keys render empty, "<no value>" never appears, output trimmed. */
  render(data: unknown, opts?: ExecOptions): string;
}

/** Fast check: does the string contain template actions? */
export function hasActions(s: string): boolean {
  return s.includes('{{');
}

/** Is `name` a known template function? */
export function isFunction(name: string): boolean {
  return FUNCTIONS.has(name);
}

/** Names of all template functions, sorted. */
export function functionNames(): string[] {
  return [...FUNCTIONS.keys()].sort();
}

/** `; did you mean \`trim\`?` for a misspelt function name (a close, plausible typo), or ''. */
export function suggestFunction(name: string): string {
  const best = closestName(name, FUNCTIONS.keys());
  return best === undefined ? '' : `; did you mean \`${best}\`?`;
}

const systemNow = (): Date => new Date();

class CompiledTemplate implements Template {
  readonly name: string;
  readonly source: string;
  readonly isStatic: boolean;
  readonly warnings: readonly string[];
  private readonly prog: Program | null;

  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.isStatic = !hasActions(source);
    if (this.isStatic) {
      this.prog = null;
      this.warnings = [];
      return;
    }
    let parsed;
    try {
      parsed = parse(source, isFunction, suggestFunction);
    } catch (e) {
      if (e instanceof ParseError) throw new TemplateSyntaxError(name, source, e.offset, e.message);
      throw e;
    }
    this.warnings = parsed.unknownIdentifiers.map(({ name: id, offset }) => {
      const { line, column } = positionOf(source, offset);
      return `${line}:${column}: "${id}" is not a function; the Katalog reads it as the data key .${id} (write .${id})`;
    });
    const sourceId = createHash('sha256').update(source).digest('hex').slice(0, 16);
    this.prog = { name, source, main: parsed.main, defines: parsed.defines, sourceId };
  }

  execute(data: unknown, opts?: ExecOptions): string {
    if (!this.prog) return this.source;
    return run(this.prog, data, {
      missingKey: opts?.missingKey ?? 'default',
      katalog: false,
      random: opts?.random ?? cryptoRandom,
      context: opts?.context,
      now: opts?.now ?? systemNow,
    });
  }

  render(data: unknown, opts?: ExecOptions): string {
    if (!this.prog) return this.source.trim() === this.source ? this.source : trimSpace(this.source);
    const out = run(this.prog, data, {
      missingKey: 'zero',
      katalog: true,
      random: opts?.random ?? cryptoRandom,
      context: opts?.context,
      now: opts?.now ?? systemNow,
    });
    return trimSpace(out.includes('<no value>') ? out.replaceAll('<no value>', '') : out);
  }
}

/** Go's strings.TrimSpace (ASCII and Unicode white space). */
function trimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

const cache = new Map<string, CompiledTemplate>();
const CACHE_LIMIT = 50_000;

/** Parses a template (cached by name and source). Throws TemplateSyntaxError. */
export function compile(source: string, opts?: { name?: string }): Template {
  const name = opts?.name ?? 'template';
  const key = name === 'template' ? source : `${name}\0${source}`;
  let t = cache.get(key);
  if (!t) {
    t = new CompiledTemplate(name, source);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, t);
  }
  return t;
}

/** Renders (Katalog semantics) every string inside a nested plain object/array. */
export function renderDeep<T>(value: T, data: unknown, opts?: ExecOptions): T {
  return deep(value, data, opts) as T;
}

function deep(v: unknown, data: unknown, opts: ExecOptions | undefined): unknown {
  if (typeof v === 'string') return hasActions(v) ? compile(v).render(data, opts) : v;
  if (Array.isArray(v)) return v.map((x) => deep(x, data, opts));
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = deep(x, data, opts);
    return out;
  }
  return v;
}
