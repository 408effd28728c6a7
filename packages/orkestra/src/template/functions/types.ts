import type { RandomSource } from '../random.ts';

/** What a context-aware function (random, time) sees as `this`. */
export interface CallContext {
  readonly random: RandomSource;
  /** Stable id of the call: template source hash, offset and occurrence in this execution. */
  readonly callSite: string;
  now(): Date;
}

export interface FuncSpec {
  fn: (this: CallContext, ...args: unknown[]) => unknown;
  min: number;
  max: number;
  /** Receives Go-level values unchanged (undefined "no value", boxed floats). Builtins only. */
  raw?: boolean;
  /** Called with a CallContext as `this`. */
  ctx?: boolean;
  /** One line for docs and `ork template functions`. */
  doc?: string;
}

export type FuncTable = Map<string, FuncSpec>;

/** Declares a function; arity defaults to fn.length (fixed). Use max: Infinity for variadic. */
export function fn(
  f: (this: CallContext, ...args: never[]) => unknown,
  opts: { min?: number; max?: number; raw?: boolean; ctx?: boolean; doc?: string } = {},
): FuncSpec {
  const min = opts.min ?? f.length;
  return { fn: f as FuncSpec['fn'], min, max: opts.max ?? Math.max(min, f.length), raw: opts.raw, ctx: opts.ctx, doc: opts.doc };
}
