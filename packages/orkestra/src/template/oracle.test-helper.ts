// Test helper: builds and runs the Go text/template oracle (testenv/go/tmploracle) in one process
// for a whole batch of cases.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type ExecOptions } from './index.ts';

export type Mode = 'default' | 'zero' | 'error' | 'katalog';
export interface Case {
  id: string;
  template: string;
  data: unknown;
  mode: Mode;
}
export interface Result {
  output?: string;
  error?: string;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

let oraclePath: string | undefined;
export function oracleBinary(): string {
  oraclePath ??= execFileSync('bash', [join(repoRoot, 'testenv/go/tmploracle/build.sh')], { encoding: 'utf8' }).trim();
  return oraclePath;
}

export function runGo(cases: Case[]): Map<string, Result> {
  const input = cases.map((c) => JSON.stringify({ id: c.id, template: c.template, data: c.data, mode: c.mode, funcs: 'sprig' })).join('\n') + '\n';
  const out = execFileSync(oracleBinary(), { input, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 256 << 20 });
  const results = new Map<string, Result>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as { id: string; output?: string; error?: string };
    results.set(r.id, { output: r.output, error: r.error });
  }
  return results;
}

export function runTs(c: Case): Result {
  try {
    const t = compile(c.template, { name: 't' });
    const opts: ExecOptions = { missingKey: c.mode === 'katalog' ? undefined : c.mode };
    return { output: c.mode === 'katalog' ? t.render(c.data, opts) : t.execute(c.data, opts) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const NIL_ARGUMENT_ERRORS = [
  'invalid value; expected', 'wrong type for value; expected string; got interface {}',
  'reflect: call of reflect.Value.Type on zero Value', 'len of nil pointer',
  'runtime error: invalid memory address or nil pointer dereference',
];

/** Agreement: same output, or both failed (messages differ by design). */
export function agrees(ts: Result, goResult: Result, mode: Mode): boolean {
  // Every integer is one type here: Go's "int64=" in bad-verb output reads "int=".
  const go: Result = goResult.output === undefined ? goResult : { output: goResult.output.replaceAll('int64', 'int') };
  // Intentional: ints and floats compare numerically (Go: "incompatible types for comparison").
  if (go.error && /incompatible types for comparison: (int|int64|float64) and (int|int64|float64)$/.test(go.error) && ts.output !== undefined) return true;
  // Intentional: float verbs format integers as floats (Go prints %!f(int=3)).
  if (go.output !== undefined && /%!(e|E|f|F|g|G)\(int=/.test(go.output) && ts.output !== undefined) return true;
  // Intentional (docs/templates.md): Katalog rendering reads through nil/missing values as empty
  // where Go with missingkey=zero fails with "nil pointer evaluating interface {}.x".
  if (mode === 'katalog' && go.error?.includes('nil pointer evaluating interface {}.') && ts.output !== undefined) return true;
  // Intentional: functions take a missing/nil argument as the empty value (len nil = 0, upper nil =
  // "", first nil = nil) where Go rejects it before the call or sprig panics.
  if (go.error !== undefined && ts.output !== undefined && NIL_ARGUMENT_ERRORS.some((p) => go.error!.includes(p))) return true;
  if (go.error !== undefined || ts.error !== undefined) return go.error !== undefined && ts.error !== undefined;
  return ts.output === go.output;
}
