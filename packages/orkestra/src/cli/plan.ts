// `ork plan -k katalog.yaml [--cr cr.yaml | -n NS]` and `ork diff …`: the real engine against a
// live cluster, read-only. Caches are filled by list+watch as `ork run` fills them; every write the
// engine decides on goes to a recording writer and is reported, none is sent. Exit code 0 when
// nothing would change, 2 when changes are pending (like `terraform plan -detailed-exitcode`),
// 1 on error — usable as a CI gate before a Katalog change rolls out.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { formatDiagnostic } from '../katalog/diagnostics.ts';
import type { CrdEntry, Katalog } from '../katalog/model.ts';
import { findDifferences, KubeClient, TerminatingNamespaces, type Difference, type KubeObject } from '../kube/index.ts';
import type { CrResult } from '../engine/dry-run.ts';
import type { RecordedWrite } from '../engine/cluster/recording.ts';
import { intentTarget, type ChildIntent } from '../engine/intents.ts';
import type { Cluster } from '../engine/ports.ts';
import { createLogger } from '../log.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface PlanOptions {
  katalog: string;
  cr?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  output?: 'text' | 'json';
  fieldManager?: string;
  /** Tests pass their own client (to count its requests); it is left open. */
  client?: KubeClient;
}

export interface PlannedChange {
  action: 'create' | 'update' | 'delete';
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The Katalog declaration (`spec.crds.website.operatorBox.onCreate.deployments[0]`). */
  source: string;
  reason: string;
  /** update: each field that would change. */
  fields?: { path: string; live: unknown; desired: unknown }[];
  desired?: KubeObject;
  live?: KubeObject;
}

export interface PlannedCr {
  crd: string;
  kind: string;
  namespace?: string;
  name: string;
  /** False for a CR given with --cr that the cluster does not have yet. */
  exists: boolean;
  changes: PlannedChange[];
  finalizer?: 'add';
  status?: { fields: { path: string; live: unknown; desired: unknown }[]; desired: Record<string, unknown>; live: Record<string, unknown> };
  problems: { path?: string; reason: string; message: string }[];
}

export interface PlanReport {
  crs: PlannedCr[];
  /** Every write the engine would send, in order (what the recording writer received). */
  writes: RecordedWrite[];
  pending: boolean;
  errors: boolean;
}

export interface CommandOutcome {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

const fieldsOf = (ds: Difference[]) => ds.map((d) => ({ path: d.path, live: d.live, desired: d.desired }));

function changeOf(i: ChildIntent): PlannedChange | undefined {
  if (i.verb === 'keep') return undefined;
  const t = intentTarget(i);
  const base = { apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace, name: t.name, source: i.source, reason: i.reason };
  if (i.verb === 'delete') return { action: 'delete', ...base, live: i.live };
  if (i.verb === 'create') return { action: 'create', ...base, desired: i.desired };
  const { apiVersion: _a, kind: _k, status: _s, ...body } = i.desired as KubeObject;
  const fields = i.verb === 'rotate' ? [{ path: '(rotation: new values)', live: undefined, desired: undefined }] : fieldsOf(findDifferences(body, i.live));
  return { action: 'update', ...base, fields, desired: i.desired, live: i.live };
}

function planOf(r: CrResult, exists: boolean, writes: RecordedWrite[], kind: string): PlannedCr {
  const m = r.cr.metadata ?? {};
  const scope = r.scope;
  const mine = (w: RecordedWrite) => w.kind === kind && w.name === m.name && (w.namespace ?? '') === (m.namespace ?? '');
  const out: PlannedCr = { crd: r.crd, kind, namespace: m.namespace, name: m.name ?? '', exists, changes: [], problems: [] };
  for (const i of scope?.intents ?? []) {
    const c = changeOf(i);
    if (c && writes.some((w) => w.kind === c.kind && w.name === c.name && (w.namespace ?? '') === (c.namespace ?? ''))) out.changes.push(c);
  }
  if (writes.some((w) => mine(w) && w.verb === 'patch')) out.finalizer = 'add';
  if (scope?.status && writes.some((w) => mine(w) && w.verb === 'patchStatus')) {
    const live = (r.cr.status ?? {}) as Record<string, unknown>;
    out.status = { fields: fieldsOf(findDifferences(scope.status.desired, live)), desired: scope.status.desired, live };
  }
  for (const i of scope?.issues ?? []) out.problems.push({ ...(i.path ? { path: i.path } : {}), reason: i.reason, message: i.message });
  if (r.error && out.problems.length === 0) out.problems.push({ reason: 'ReconcileError', message: r.error });
  return out;
}

/** Which CRD of the Katalog a CR belongs to (by group, any declared version, and kind). */
export function crdOf(katalog: Katalog, cr: KubeObject): CrdEntry | undefined {
  const [group, version] = (cr.apiVersion ?? '').includes('/') ? cr.apiVersion!.split('/') : ['', cr.apiVersion ?? ''];
  return katalog.crds.find((c) => c.enabled && c.apiTypes.kind === cr.kind && c.apiTypes.group === group && (c.apiTypes.version === version || c.apiTypes.versions.includes(version!)));
}

/** Runs the plan; never sends a write to the cluster. Throws on load, file or connection errors. */
export async function runPlan(opts: PlanOptions): Promise<PlanReport> {
  const { loadKatalog } = await import('../katalog/loader.ts');
  const loaded = await loadKatalog(opts.katalog);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => formatDiagnostic(e)).join('\n'));
  const katalog = loaded.katalog;
  const given: { crd: string; cr: KubeObject }[] = [];
  if (opts.cr) {
    const { readObjectsFile } = await import('../katalog/objects.ts');
    const f = await readObjectsFile(opts.cr);
    const problems = f.errors.map((e) => formatDiagnostic(e));
    for (const { object, pos } of f.objects) {
      const entry = crdOf(katalog, object);
      if (!entry) problems.push(`${pos.file}:${pos.line}:${pos.column}: error: ${object.apiVersion} ${object.kind} is not a CRD of this Katalog`);
      else given.push({ crd: entry.name, cr: object.metadata.namespace || entry.apiTypes.scope === 'Cluster' ? object : { ...object, metadata: { ...object.metadata, namespace: opts.namespace ?? 'default' } } });
    }
    if (problems.length > 0) throw new Error(problems.join('\n'));
  }

  // The engine loads only when a plan runs (not with every `ork` command).
  const [{ DryRun }, { KubeCluster }, { RecordingApi, RecordingEvents }, { ApiWriter }] = await Promise.all([
    import('../engine/dry-run.ts'), import('../engine/cluster/kube-cluster.ts'), import('../engine/cluster/recording.ts'), import('../engine/cluster/writer.ts'),
  ]);
  const client = opts.client ?? KubeClient.fromKubeConfig({ path: opts.kubeconfig, context: opts.context });
  const manager = opts.fieldManager ?? 'orkestra';
  const kube = new KubeCluster(client, { fieldManager: manager, identity: 'ork-plan', terminating: new TerminatingNamespaces() });
  const api = new RecordingApi(client);
  const events = new RecordingEvents();
  const cluster: Cluster = { reader: kube.reader, writer: new ApiWriter(api, { fieldManager: manager }), events, stop: () => kube.stop() };
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'error', format: 'json' });
  const run = new DryRun(katalog, cluster, { log, namespace: opts.namespace });
  try {
    await run.start();
    const select = opts.cr ? () => false : () => true;
    const results = await run.cycle(select, given);
    const crs: PlannedCr[] = [];
    let at = 0;
    for (const r of results) {
      // The writes of this CR's reconcile are those recorded since the previous one finished.
      const writes = api.writes.slice(at);
      at = api.writes.length;
      const kind = katalog.crds.find((c) => c.name === r.crd)!.apiTypes.kind;
      const exists = run.runtime.boxes.get(r.crd)?.crInformer?.getByKey(r.key) !== undefined;
      crs.push(planOf(r, exists, writes, kind));
    }
    const errors = crs.some((c) => c.problems.length > 0);
    return { crs, writes: api.writes, pending: api.writes.length > 0, errors };
  } finally {
    await run.stop();
    if (!opts.client) client.close();
  }
}

const show = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));
const where = (c: { namespace?: string; name: string }) => `${c.namespace ? `${c.namespace}/` : ''}${c.name}`;

export function formatPlan(report: PlanReport): string {
  const lines: string[] = [];
  let create = 0, update = 0, del = 0, status = 0, unchanged = 0;
  for (const cr of report.crs) {
    const nothing = cr.changes.length === 0 && !cr.status && !cr.finalizer && cr.problems.length === 0;
    if (nothing) { unchanged++; continue; }
    lines.push(`${cr.kind} ${where(cr)}${cr.exists ? '' : ' (not in the cluster yet)'}`);
    if (cr.finalizer) lines.push(`  ~ add finalizer`);
    for (const c of cr.changes) {
      const sign = c.action === 'create' ? '+' : c.action === 'delete' ? '-' : '~';
      lines.push(`  ${sign} ${c.action} ${c.kind} ${where(c)}  (${c.source}; ${c.reason})`);
      for (const f of c.fields ?? []) lines.push(`      ${f.path}: ${show(f.live)} → ${show(f.desired)}`);
      if (c.action === 'create') create++; else if (c.action === 'delete') del++; else update++;
    }
    if (cr.status) {
      status++;
      lines.push(`  ~ status`);
      for (const f of cr.status.fields) lines.push(`      ${f.path}: ${show(f.live)} → ${show(f.desired)}`);
    }
    for (const p of cr.problems) lines.push(`  ! ${p.reason}: ${p.message}`);
  }
  const n = report.crs.length;
  lines.push(report.pending || report.errors
    ? `Plan: ${create} to create, ${update} to update, ${del} to delete, ${status} status to write (${n} CR${n === 1 ? '' : 's'}, ${unchanged} unchanged).`
    : `No changes: ${n} CR${n === 1 ? '' : 's'} match the Katalog.`);
  return lines.join('\n') + '\n';
}

/** What `live` holds of the fields `desired` sets: the two sides `ork diff` compares. */
function projectOnto(live: unknown, desired: unknown): unknown {
  if (desired && live && typeof desired === 'object' && typeof live === 'object' && !Array.isArray(desired) && !Array.isArray(live)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(desired)) if ((live as Record<string, unknown>)[k] !== undefined) out[k] = projectOnto((live as Record<string, unknown>)[k], (desired as Record<string, unknown>)[k]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(live) && desired.length === live.length) return live.map((l, i) => projectOnto(l, desired[i]));
  return live;
}

const yamlOf = (v: unknown) => (v === undefined ? '' : stringify(v, { lineWidth: 0 }));
const dropNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

export function formatDiff(report: PlanReport): string {
  const parts: string[] = [];
  for (const cr of report.crs) {
    for (const c of cr.changes) {
      const id = `${c.kind}/${where(c)}`;
      const { status: _s, ...desired } = (c.desired ?? {}) as KubeObject;
      if (c.action === 'create') parts.push(unifiedDiff('', yamlOf(desired), '/dev/null', `desired/${id}`));
      else if (c.action === 'delete') parts.push(unifiedDiff(yamlOf(stripServerFields(c.live)), '', `live/${id}`, '/dev/null'));
      else parts.push(unifiedDiff(yamlOf(projectOnto(c.live, desired)), yamlOf(desired), `live/${id}`, `desired/${id}`));
    }
    if (cr.status) {
      const desired = dropNulls(cr.status.desired);
      parts.push(unifiedDiff(yamlOf(projectOnto(cr.status.live, desired)), yamlOf(desired), `live/${cr.kind}/${where(cr)}/status`, `desired/${cr.kind}/${where(cr)}/status`));
    }
    for (const p of cr.problems) parts.push(`# ${cr.kind} ${where(cr)}: ${p.reason}: ${p.message}\n`);
  }
  return parts.join('');
}

function stripServerFields(o: KubeObject | undefined): unknown {
  if (!o) return undefined;
  const { status: _s, ...rest } = o;
  const { managedFields: _m, resourceVersion: _r, uid: _u, creationTimestamp: _c, generation: _g, ...meta } = o.metadata ?? {};
  return { ...rest, metadata: meta };
}

async function execute(opts: PlanOptions, as: 'plan' | 'diff'): Promise<CommandOutcome> {
  let report: PlanReport;
  try {
    report = await runPlan(opts);
  } catch (err) {
    return { exitCode: 1, stdout: '', stderr: `ork ${as}: ${err instanceof Error ? err.message : String(err)}\n` };
  }
  const stdout = opts.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : as === 'plan' ? formatPlan(report) : formatDiff(report);
  return { exitCode: report.errors ? 1 : report.pending ? 2 : 0, stdout, stderr: '' };
}

function register(program: Command, as: 'plan' | 'diff', description: string): void {
  program
    .command(as)
    .description(description)
    .option('-k, --katalog <file>', 'Katalog file', 'katalog.yaml')
    .option('--cr <file>', 'plan only the CRs in this file (they need not exist in the cluster yet)')
    .option('-n, --namespace <ns>', 'only CRs in this namespace')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (o: { katalog: string; cr?: string; namespace?: string; kubeconfig?: string; context?: string; output: string }) => {
      if (o.output !== 'text' && o.output !== 'json') {
        console.error(`ork ${as}: --output must be text or json, got ${o.output}`);
        process.exitCode = 1;
        return;
      }
      const outcome = await execute({ ...o, output: o.output }, as);
      if (outcome.stdout) process.stdout.write(outcome.stdout);
      if (outcome.stderr) process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}

export function registerPlan(program: Command): void {
  register(program, 'plan', 'What a reconcile would change in a live cluster, without writing (exit 0: nothing, 2: changes pending, 1: error)');
  register(program, 'diff', 'The changes `ork plan` reports, as unified diffs of live vs desired (same exit codes)');
}

export { execute as planCommand };
