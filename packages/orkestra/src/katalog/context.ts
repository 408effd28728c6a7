// Shared plumbing for the builders: where we are (document positions), where problems go, and
// small guards for reading raw YAML values that may not have the expected type (the builders run
// even when the schema found errors, so one run reports everything).
import { formatPath } from './diagnostics.ts';
import type { Diagnostic, SourcePos, Value, ValueMap } from './model.ts';
import type { DocPositions, Path } from './source.ts';

export class BuildContext {
  readonly where: DocPositions;
  readonly diagnostics: Diagnostic[];
  /** Top-level provider names, or undefined when the Katalog declares none. */
  readonly declaredProviders: ReadonlySet<string> | undefined;
  /** Paths the builders already reported as a whole (schema issues below them are dropped). */
  readonly claimed: string[] = [];

  constructor(where: DocPositions, diagnostics: Diagnostic[], declaredProviders: ReadonlySet<string> | undefined) {
    this.where = where;
    this.diagnostics = diagnostics;
    this.declaredProviders = declaredProviders;
  }

  at(path: Path): SourcePos {
    return this.where.at(path);
  }

  report(severity: Diagnostic['severity'], path: Path, message: string, code: string, atKey = false): void {
    const p = atKey ? this.where.keyAt(path) : this.where.at(path);
    this.diagnostics.push({ severity, file: p.file, line: p.line, column: p.column, path: formatPath(path), message, code });
  }

  error(path: Path, message: string, code: string, atKey = false): void {
    this.report('error', path, message, code, atKey);
  }

  warn(path: Path, message: string, code: string, atKey = false): void {
    this.report('warning', path, message, code, atKey);
  }

  claim(path: Path): void {
    this.claimed.push(formatPath(path));
  }
}

export type Raw = Record<string, unknown>;

export const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
export const asObj = (v: unknown): Raw => (isObj(v) ? v : {});
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
export const asBool = (v: unknown, dflt: boolean): boolean => (typeof v === 'boolean' ? v : dflt);

/** Plain-data copy of a YAML value (drops undefined, keeps templates as strings). */
export function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') {
    const out: ValueMap = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toValue(x);
    return out;
  }
  return String(v);
}

export function toValueMap(v: unknown, omit: readonly string[] = []): ValueMap {
  const out: ValueMap = {};
  for (const [k, x] of Object.entries(asObj(v))) if (!omit.includes(k) && x !== undefined) out[k] = toValue(x);
  return out;
}

export function toStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(asObj(v))) {
    const s = asStr(x);
    if (s !== undefined) out[k] = s;
  }
  return out;
}
