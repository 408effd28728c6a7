// `ork simulate -k katalog.yaml --cr cr.yaml [--cycles N] [--objects seed.yaml] [--crd crd.yaml]`
// and `ork simulate -f simulate.yaml`: the real engine over the in-memory cluster, no cluster at
// all. Prints, per cycle, the write requests (verb, resource, namespace/name), the status written
// and the events; `--output json` for tools. With a Simulate file, its expectations are checked
// and an unmet one exits 1 with what was expected and what happened instead.
import type { Command } from 'commander';
import { formatDiagnostic } from '../katalog/diagnostics.ts';
import type { Katalog } from '../katalog/model.ts';
import type { Expectations } from '../katalog/simulate-file.ts';
import type { KubeObject } from '../kube/index.ts';
// The engine, the memory cluster and the plan module load only when `ork simulate` runs: every
// other command (`ork run` above all) would carry them in memory for nothing.
import type { Cycle } from '../engine/simulator.ts';
import type { LabelledOp } from '../engine/expectations.ts';
import { createLogger } from '../log.ts';
import type { CommandOutcome } from './plan.ts';

export interface SimulateOptions {
  katalog?: string;
  cr?: string[];
  crd?: string[];
  objects?: string[];
  cycles?: number;
  file?: string;
  output?: 'text' | 'json';
}

interface CaseResult {
  name: string;
  cycles: Cycle[];
  failures: string[];
  steadyAt?: number;
}

class InputError extends Error {}

async function objectsOf(files: readonly string[]): Promise<KubeObject[]> {
  const { readObjectsFile } = await import('../katalog/objects.ts');
  const out: KubeObject[] = [];
  const problems: string[] = [];
  for (const f of files) {
    const r = await readObjectsFile(f);
    problems.push(...r.errors.map((e) => formatDiagnostic(e)));
    out.push(...r.objects.map((o) => o.object as KubeObject));
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return out;
}

async function katalogOf(file: string): Promise<Katalog> {
  const { loadKatalog } = await import('../katalog/loader.ts');
  const loaded = await loadKatalog(file);
  if (!loaded.ok) throw new InputError(loaded.errors.map((e) => formatDiagnostic(e)).join('\n'));
  return loaded.katalog;
}

/** Filled by `loadEngine()` before any result is formatted. */
let labelled: (cr: Cycle['crs'][number]) => LabelledOp[];

async function loadEngine() {
  const [{ Simulation }, expectations, { RESOURCE_BUILDERS }, { crdOf }] = await Promise.all([
    import('../engine/simulator.ts'), import('../engine/expectations.ts'), import('../engine/resources/index.ts'), import('./plan.ts'),
  ]);
  labelled = expectations.labelled;
  return { Simulation, checkExpectations: expectations.checkExpectations, RESOURCE_BUILDERS, crdOf };
}

async function simulateCase(name: string, katalogFile: string, crFiles: string[], crdFiles: string[], objectFiles: string[], cycles: number, expect: Expectations | undefined): Promise<CaseResult> {
  const { Simulation, checkExpectations, RESOURCE_BUILDERS, crdOf } = await loadEngine();
  const katalog = await katalogOf(katalogFile);
  const crs = await objectsOf(crFiles);
  const { readObjectsFile } = await import('../katalog/objects.ts');
  const misplaced: string[] = [];
  for (const f of crFiles) {
    for (const { object, pos } of (await readObjectsFile(f)).objects) {
      if (!crdOf(katalog, object as KubeObject)) misplaced.push(`${pos.file}:${pos.line}:${pos.column}: error: ${object.apiVersion} ${object.kind} is not a CRD of this Katalog`);
    }
  }
  if (misplaced.length > 0) throw new InputError(misplaced.join('\n'));
  const sim = new Simulation({
    katalog, crs, crds: await objectsOf(crdFiles), objects: await objectsOf(objectFiles), cycles,
    log: createLogger({ level: process.env.LOG_LEVEL ?? 'error', format: 'json' }),
  });
  const all = await sim.all();
  const plurals = new Map<string, { apiVersion: string; kind: string }>();
  for (const b of RESOURCE_BUILDERS.values()) if (b.gvk && b.plural) plurals.set(b.plural, { apiVersion: b.gvk.group ? `${b.gvk.group}/${b.gvk.version}` : b.gvk.version, kind: b.gvk.kind });
  for (const c of katalog.crds) plurals.set(c.apiTypes.plural, { apiVersion: c.apiTypes.group ? `${c.apiTypes.group}/${c.apiTypes.version}` : c.apiTypes.version, kind: c.apiTypes.kind });
  for (const c of all) for (const cr of c.crs) for (const o of cr.operations) plurals.set(o.resource, { apiVersion: o.apiVersion, kind: o.kind });
  const objects = (resource: string) => {
    const ref = plurals.get(resource);
    return ref ? sim.cluster.objects(ref) : [];
  };
  const failures = expect ? checkExpectations(all, expect, objects) : [];
  const steadyAt = all.find((c) => c.quiet)?.n;
  return { name, cycles: all, failures, ...(steadyAt !== undefined ? { steadyAt } : {}) };
}

const where = (o: { namespace?: string; name: string }) => `${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const SIGN: Record<string, string> = { create: '+', update: '~', apply: '=', patch: '~', status: '~', delete: '-' };

export function formatCycles(r: CaseResult): string {
  const lines: string[] = [];
  for (const c of r.cycles) {
    lines.push(`cycle ${c.n}${c.quiet ? ' (no changes)' : ''}`);
    for (const cr of c.crs) {
      for (const o of labelled(cr)) {
        if (o.verb === 'status') continue;
        lines.push(`  ${SIGN[o.verb]} ${o.verb} ${o.resource} ${where(o)}${o.verb === 'patch' ? ' (metadata)' : ''}`);
      }
      if (cr.status) {
        const shown = Object.entries(cr.status).filter(([k, v]) => v !== null && k !== 'conditions').map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        const ready = (cr.status.conditions as { type: string; status: string; reason?: string }[] | undefined)?.find((x) => x.type === 'Ready');
        if (ready) shown.push(`Ready=${ready.status}${ready.status === 'False' && ready.reason ? ` (${ready.reason})` : ''}`);
        lines.push(`  ~ status/${cr.key.split('/').pop()}${shown.length ? `  ${shown.join(' ')}` : ''}`);
      }
      for (const i of cr.issues) lines.push(`  ! ${cr.key}: ${i.reason}: ${i.message}`);
      if (cr.error && cr.issues.length === 0) lines.push(`  ! ${cr.key}: ${cr.error}`);
    }
    for (const e of c.events) lines.push(`  event ${e.type} ${e.reason} ${where({ namespace: e.regarding.namespace, name: e.regarding.name ?? '' })}: ${e.note}`);
  }
  lines.push(r.steadyAt !== undefined ? `steady: cycle ${r.steadyAt} changed nothing` : `not steady: every one of ${r.cycles.length} cycle(s) changed something`);
  return lines.join('\n') + '\n';
}

export async function runSimulate(opts: SimulateOptions): Promise<CommandOutcome> {
  const results: CaseResult[] = [];
  try {
    if (opts.file) {
      const { readSimulateFile } = await import('../katalog/simulate-file.ts');
      const f = await readSimulateFile(opts.file);
      if (f.errors.length > 0) throw new InputError(f.errors.map((e) => formatDiagnostic(e)).join('\n'));
      for (const c of f.cases) results.push(await simulateCase(c.name, c.katalog, c.crFiles, c.crdFiles, c.objectFiles, opts.cycles ?? c.cycles, c.expect));
    } else {
      if (!opts.katalog) throw new InputError('give a Katalog (-k) and CRs (--cr), or a Simulate file (-f)');
      if (!opts.cr || opts.cr.length === 0) throw new InputError('--cr: the CR file(s) to simulate are missing');
      results.push(await simulateCase(opts.katalog, opts.katalog, opts.cr, opts.crd ?? [], opts.objects ?? [], opts.cycles ?? 3, undefined));
    }
  } catch (err) {
    if (err instanceof InputError) return { exitCode: 1, stdout: '', stderr: `${err.message}\n` };
    return { exitCode: 1, stdout: '', stderr: `ork simulate: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n` };
  }
  const failed = results.some((r) => r.failures.length > 0);
  if (opts.output === 'json') return { exitCode: failed ? 1 : 0, stdout: JSON.stringify(results.map(jsonOf), null, 2) + '\n', stderr: '' };
  const out: string[] = [];
  const err: string[] = [];
  for (const r of results) {
    if (results.length > 1 || opts.file) out.push(`== ${r.name}`);
    out.push(formatCycles(r));
    if (opts.file) out.push(r.failures.length === 0 ? `✓ ${r.name}: every expectation met\n` : '');
    for (const f of r.failures) err.push(`✗ ${r.name}: ${f}`);
  }
  return { exitCode: failed ? 1 : 0, stdout: out.join(''), stderr: err.length ? err.join('\n') + '\n' : '' };
}

function jsonOf(r: CaseResult): unknown {
  return {
    name: r.name, steadyAt: r.steadyAt ?? null, failures: r.failures,
    cycles: r.cycles.map((c) => ({
      cycle: c.n, quiet: c.quiet,
      operations: c.crs.flatMap(labelled).map((o) => ({ verb: o.verb, resource: o.resource, namespace: o.namespace, name: o.name, changed: o.changed, crd: o.crd })),
      status: c.crs.filter((cr) => cr.status).map((cr) => ({ cr: cr.key, status: cr.status })),
      problems: c.crs.flatMap((cr) => cr.issues.map((i) => ({ cr: cr.key, ...i }))),
      events: c.events.map((e) => ({ type: e.type, reason: e.reason, regarding: e.regarding, note: e.note })),
    })),
  };
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Run the real engine over an in-memory cluster, cycle by cycle, and print what it would write (no cluster needed)')
    .option('-k, --katalog <file>', 'Katalog file')
    .option('--cr <file>', 'CR file (repeatable; multi-document)', collect)
    .option('--crd <file>', 'CRD file (repeatable; default: generated from apiTypes)', collect)
    .option('--objects <file>', 'objects that exist before the first cycle (repeatable)', collect)
    .option('--cycles <n>', 'how many cycles (default 3, or the Simulate file\'s)')
    .option('-f, --file <file>', 'a kind: Simulate file: run it and check its expectations')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (o: { katalog?: string; cr?: string[]; crd?: string[]; objects?: string[]; cycles?: string; file?: string; output: string }) => {
      const cycles = o.cycles === undefined ? undefined : Number(o.cycles);
      if (cycles !== undefined && (!Number.isInteger(cycles) || cycles < 1 || cycles > 1000)) {
        console.error(`ork simulate: --cycles must be a whole number from 1 to 1000, got ${o.cycles}`);
        process.exitCode = 1;
        return;
      }
      if (o.output !== 'text' && o.output !== 'json') {
        console.error(`ork simulate: --output must be text or json, got ${o.output}`);
        process.exitCode = 1;
        return;
      }
      const outcome = await runSimulate({ ...o, cycles, output: o.output });
      if (outcome.stdout) process.stdout.write(outcome.stdout);
      if (outcome.stderr) process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
