// Rendering Katalog values against one CR's data. Every string containing `{{` is a template,
// compiled once (the template module caches by source) and rendered with Katalog semantics.
// Random functions are seeded from the CR's UID and the field path, so a reconcile renders the
// same "random" value every time and never churns a child.
import { compile, hasActions, seededRandom, type ExecOptions } from '../template/index.ts';
import type { RenderFn } from '../conditions/evaluate.ts';

/** A render failure with the Katalog field it came from. */
export class RenderError extends Error {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    super(`${path}: ${msg}`, { cause });
    this.name = 'RenderError';
    this.path = path;
  }
}

export class Renderer {
  /** What templates see. A reconcile's stages widen it as they learn more (children, cross, …). */
  data: Record<string, unknown>;
  private readonly opts: ExecOptions;

  /** `seed` makes random functions stable (the CR's UID); `context` names the CR in errors. */
  constructor(data: Record<string, unknown>, opts: { seed: string; context: string }) {
    this.data = data;
    this.opts = { random: seededRandom(opts.seed), context: opts.context };
  }

  /** Renders one string (templates only; plain strings are returned as they are). */
  string(source: string, path: string, data: Record<string, unknown> = this.data): string {
    if (!hasActions(source)) return source;
    try {
      return compile(source, { name: path }).render(data, this.opts);
    } catch (err) {
      throw new RenderError(path, err);
    }
  }

  /** Renders every string in a nested value; the result shares no structure with the input. */
  tree<T>(value: T, path: string): T {
    return this.walk(value, path) as T;
  }

  /** The render function the condition evaluator takes. */
  readonly conditionRender: RenderFn = (template, data) => {
    if (!hasActions(template)) return template;
    return compile(template, { name: 'condition' }).render(data, this.opts);
  };

  private walk(v: unknown, path: string): unknown {
    if (typeof v === 'string') return this.string(v, path);
    if (Array.isArray(v)) return v.map((x, i) => this.walk(x, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.walk(x, path ? `${path}.${k}` : k);
      return out;
    }
    return v;
  }
}
