// `kind: Simulate` files (the original's acceptance format for `ork simulate -f`): which Katalog,
// CRD(s) and CR(s) to simulate for how many cycles, and what must be seen — operations per cycle
// (verb, resource plural, name), a steady last cycle, no errors, objects absent at the end — for
// all CRDs or per CRD. An aggregator file lists other Simulate files under `imports`. Every
// problem is a Diagnostic with file:line:column.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Diagnostic } from './model.ts';
import { DocPositions, parseYamlFile } from './source.ts';
import { issuesToDiagnostics } from './issues.ts';

const str = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' });
const files = z.array(str, { error: 'expected a list of file paths' });

const expectedOp = z.strictObject({
  cycle: z.number({ error: 'expected a cycle number' }).int().min(1),
  verb: z.enum(['create', 'update', 'apply', 'patch', 'delete', 'status']),
  resource: str,
  name: str.optional(),
});
const absent = z.strictObject({ resource: str, name: str.optional() });
const expectations = {
  steady: z.boolean().optional(),
  noErrors: z.boolean().optional(),
  ops: z.array(expectedOp).optional(),
  absent: z.array(absent).optional(),
};
const expectSchema = z.strictObject({
  ...expectations,
  crds: z.record(z.string(), z.strictObject(expectations)).optional(),
});

const specSchema = z.strictObject({
  katalog: str,
  crd: str.optional(),
  crdFiles: files.optional(),
  cr: str.optional(),
  crFiles: files.optional(),
  objects: files.optional(),
  cycles: z.number().int().min(1).max(1000).optional(),
  skipExternal: z.boolean().optional(),
  expect: expectSchema.optional(),
});

export const simulateFileSchema = z.strictObject({
  apiVersion: z.literal('orkestra.orkspace.io/v1', { error: 'expected apiVersion orkestra.orkspace.io/v1' }),
  kind: z.literal('Simulate', { error: 'expected kind Simulate' }),
  metadata: z.looseObject({ name: str }).optional(),
  spec: specSchema.optional(),
  imports: files.optional(),
});

export type Expectations = z.infer<typeof expectSchema>;
export type ExpectedOp = z.infer<typeof expectedOp>;

/** One runnable simulation, paths resolved against the file that named them. */
export interface SimulateCase {
  file: string;
  name: string;
  katalog: string;
  crdFiles: string[];
  crFiles: string[];
  objectFiles: string[];
  cycles: number;
  expect: Expectations;
}

export interface SimulateFile {
  cases: SimulateCase[];
  errors: Diagnostic[];
}

const DEFAULT_CYCLES = 10;

/** Reads a Simulate file and the files it imports (an import cycle is an error). */
export async function readSimulateFile(file: string, seen: Set<string> = new Set()): Promise<SimulateFile> {
  const path = resolve(file);
  const err = (message: string, line = 1, column = 1): SimulateFile => ({ cases: [], errors: [{ severity: 'error', file, line, column, path: '', code: 'simulate-file', message }] });
  if (seen.has(path)) return err(`imports itself (through ${[...seen].join(' → ')})`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return err((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(e));
  }
  const parsed = parseYamlFile(file, text);
  const syntax = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (syntax.length > 0) return { cases: [], errors: syntax };
  const doc = parsed.docs[0];
  if (!doc) return err('empty file: expected a kind: Simulate document');
  const where = new DocPositions(parsed, doc);
  const value: unknown = doc.toJS();
  const r = simulateFileSchema.safeParse(value);
  if (!r.success) return { cases: [], errors: issuesToDiagnostics(r.error.issues, simulateFileSchema, value, where) };
  const v = r.data;
  const dir = dirname(path);
  const out: SimulateFile = { cases: [], errors: [] };
  if (!v.spec && !v.imports) {
    const p = where.at([]);
    out.errors.push({ severity: 'error', file, line: p.line, column: p.column, path: '', code: 'simulate-file', message: 'a Simulate file needs `spec` (a simulation) or `imports` (other Simulate files)' });
  }
  if (v.spec) {
    const s = v.spec;
    const crFiles = [...(s.cr ? [s.cr] : []), ...(s.crFiles ?? [])];
    if (crFiles.length === 0) {
      const p = where.keyAt(['spec']);
      out.errors.push({ severity: 'error', file, line: p.line, column: p.column, path: 'spec', code: 'missing-field', message: 'missing required field `cr` (or `crFiles`): the CRs to simulate' });
    }
    out.cases.push({
      file, name: v.metadata?.name ?? file,
      katalog: resolve(dir, s.katalog),
      crdFiles: [...(s.crd ? [s.crd] : []), ...(s.crdFiles ?? [])].map((f) => resolve(dir, f)),
      crFiles: crFiles.map((f) => resolve(dir, f)),
      objectFiles: (s.objects ?? []).map((f) => resolve(dir, f)),
      cycles: s.cycles ?? DEFAULT_CYCLES,
      expect: s.expect ?? {},
    });
  }
  for (const imp of v.imports ?? []) {
    const sub = await readSimulateFile(resolve(dir, imp), new Set([...seen, path]));
    out.cases.push(...sub.cases);
    out.errors.push(...sub.errors);
  }
  return out;
}
