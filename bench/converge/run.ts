// Converge benchmark (issue 5): N Website CRs → 2N children (Deployment + Service), time until
// the operator has converged, the requests it sent by verb, its RSS — and "the limit": the same
// writes sent by a plain concurrent client, which is what the operator is compared against.
// See bench/converge/README.md for what is measured and how to read it.
//
//   node bench/converge/run.ts --crs 1000 --workers 16                 # operator in-process, then the limit
//   node bench/converge/run.ts --crs 1000 --workers 16 --operator process --mode operator
//   node bench/converge/run.ts --crs 1000 --mode limit --finalizer-patches 1000 --status-patches 2000
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { KubeClient, RequestCounter, isNotFound, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { loadKatalog } from '../../packages/orkestra/src/katalog/index.ts';
import { Runtime } from '../../packages/orkestra/src/engine/runtime.ts';
import { installCrds } from '../../packages/orkestra/src/engine/crds.ts';
import { FINALIZER } from '../../packages/orkestra/src/engine/operator-box.ts';
import { resourceBuilder, standardLabels, type BuildContext, type Manifest } from '../../packages/orkestra/src/engine/resources/index.ts';
import { Observer, WEBSITE, type Progress } from './observe.ts';

const repoDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const kubeconfig = process.env.KUBECONFIG_BENCH ?? join(repoDir, '.testenv/kubeconfig');
const NS_TYPE = { apiVersion: 'v1', kind: 'Namespace' };
const CRD_NAME = 'websites.demo.orkestra.io';
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'apply', 'delete', 'deletecollection']);

const { values: args } = parseArgs({
  options: {
    crs: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '16' },
    replicas: { type: 'string', default: '1' },
    mode: { type: 'string', default: 'both' }, // operator | limit | both
    operator: { type: 'string', default: 'inprocess' }, // inprocess | process
    concurrency: { type: 'string', default: '32' }, // the limit client's (and CR pre-creation's) concurrency
    'finalizer-patches': { type: 'string' },
    'status-patches': { type: 'string' },
    timeout: { type: 'string', default: '900' },
    'ready-timeout': { type: 'string', default: '420' },
    json: { type: 'string' },
    'node-flags': { type: 'string', default: '' }, // extra flags for the `ork run` child (--operator process)
  },
});
const N = Number(args.crs);
const WORKERS = Number(args.workers);
const REPLICAS = Number(args.replicas);
const CONCURRENCY = Number(args.concurrency);
const TIMEOUT_MS = Number(args.timeout) * 1000;
const READY_TIMEOUT_MS = Number(args['ready-timeout']) * 1000;

const client = KubeClient.fromKubeConfig({ path: kubeconfig });
const quiet = pino({ level: process.env.ORK_BENCH_LOG ?? 'silent' });

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimit<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

async function poll(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    // The shared test control plane may be restarted by other suites: an unreachable server is "not yet".
    const done = await check().catch((e: unknown) => { last = e; return false; });
    if (done) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const names = Array.from({ length: N }, (_, i) => `site-${String(i).padStart(5, '0')}`);

async function freshNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.create({ ...NS_TYPE, metadata: { name } });
  return name;
}

/** Deletes the namespace and waits until it is gone (an operator must still run to drop its finalizers). */
async function deleteNamespaceAndWait(ns: string): Promise<number> {
  const t0 = Date.now();
  await poll(`deletion of namespace ${ns}`, () => client.delete(NS_TYPE, ns).then(() => true, (e) => { if (isNotFound(e)) return true; throw e; }), 120_000, 1000);
  await poll(`namespace ${ns} to be gone`, async () => client.get(NS_TYPE, ns).then(() => false, (e) => { if (isNotFound(e)) return true; throw e; }), 600_000, 500);
  return Date.now() - t0;
}

async function createCrs(ns: string): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  await eachLimit(names, CONCURRENCY, async (name, i) => {
    out[i] = await client.create({ ...WEBSITE, metadata: { name, namespace: ns }, spec: { image: 'nginx:1.27', replicas: REPLICAS, port: 8080 } });
  });
  return out;
}

async function ensureCrd(): Promise<void> {
  const ok = await client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }, CRD_NAME).then(() => true, () => false);
  if (ok) return;
  const loaded = await loadKatalog(join(repoDir, 'examples/website/katalog.yaml'));
  if (!loaded.ok) throw new Error('examples/website/katalog.yaml does not load');
  const rt = new Runtime(loaded.katalog, { client, log: quiet });
  await installCrds(client, rt.cluster.writer, loaded.katalog.crds);
}

/** The Website example with `workers:` set; nothing else changes. */
async function katalogWithWorkers(dir: string): Promise<string> {
  const text = await readFile(join(repoDir, 'examples/website/katalog.yaml'), 'utf8');
  const patched = text.replace(/^(\s+)operatorBox:.*$/m, (line, indent: string) => `${line}\n${indent}  workers: ${WORKERS}`);
  if (!patched.includes(`workers: ${WORKERS}`)) throw new Error('the Website Katalog changed shape: no operatorBox: line');
  const file = join(dir, 'katalog.yaml');
  await writeFile(file, patched);
  return file;
}

class RssSampler {
  peak = 0;
  /** Milliseconds from the sampler's start to the peak. */
  peakAtMs = 0;
  /** The highest sample of every 5 s window, in MiB: where in the run memory grows. */
  readonly profile: number[] = [];
  private readonly t0 = Date.now();
  private timer: NodeJS.Timeout;
  constructor(read: () => number) {
    this.timer = setInterval(() => {
      const v = read();
      const t = Date.now() - this.t0;
      if (v > this.peak) {
        this.peak = v;
        this.peakAtMs = t;
      }
      const slot = Math.floor(t / 5000);
      this.profile[slot] = Math.max(this.profile[slot] ?? 0, MiB(v));
    }, 100);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

const MiB = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** "verb resource" → count, plus non-2xx answers separately. */
function byVerb(counter: RequestCounter): { writes: Record<string, number>; reads: Record<string, number>; failed: Record<string, number> } {
  const writes: Record<string, number> = {}, reads: Record<string, number> = {}, failed: Record<string, number> = {};
  for (const s of counter.samples) {
    const k = `${s.verb} ${s.resource}`;
    const into = WRITE_VERBS.has(s.verb) ? writes : reads;
    into[k] = (into[k] ?? 0) + 1;
    if (s.code < 200 || s.code > 299) failed[`${k} ${s.code}`] = (failed[`${k} ${s.code}`] ?? 0) + 1;
  }
  return { writes, reads, failed };
}

interface OperatorResult {
  how: string;
  workers: number;
  startMs?: number;
  appliedMs: number;
  readyMs: number | null;
  rssPeakMiB: number;
  rssPeakAtMs?: number;
  rssProfileMiB?: number[];
  rssBaselineMiB?: number;
  requests?: ReturnType<typeof byVerb>;
  finalizerPatches?: number;
  statusPatches?: number;
  progress: Progress;
  cleanupMs: number;
}

async function operatorRun(dir: string): Promise<OperatorResult> {
  const ns = await freshNamespace('bench-op');
  await createCrs(ns);
  const observer = await Observer.start(KubeClient.fromKubeConfig({ path: kubeconfig }), ns);
  const katalogFile = await katalogWithWorkers(dir);
  const applied = (p: Progress) => p.crs === N && p.readyTrue === N && p.deployments === N && p.services === N;
  const ready = (p: Progress) => applied(p) && p.crsReplicasReady === N;
  // readyReplicas depends on kube-controller-manager and kwok (shared with other suites): a stall
  // there is reported (null + progress), not a crash that leaves a namespace behind.
  const untilOrNull = (what: string, done: (p: Progress) => boolean, t0: number) =>
    observer.until(what, done, t0, READY_TIMEOUT_MS).catch((e: unknown) => { console.error(String(e)); return null; });

  if (args.operator === 'process') {
    const t0 = Date.now();
    const nodeFlags = (args['node-flags'] ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...nodeFlags, join(repoDir, 'packages/orkestra/bin/ork.js'), 'run', '-k', katalogFile, '--kubeconfig', kubeconfig, '--namespace', ns, '--log-format', 'json', '--log-level', 'info'], { stdio: ['ignore', 'inherit', 'pipe'] });
    let startMs: number | undefined;
    // `ork run` logs to stderr (stdout stays free for command output).
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (startMs === undefined && line.includes('"orkestra running"')) startMs = Date.now() - t0;
        else if (line.includes('"level":50') || line.includes('"level":40')) console.error(`[ork] ${line.slice(0, 300)}`);
      }
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const rss = new RssSampler(() => procStatusKb(child.pid!, 'VmRSS'));
    try {
      const appliedMs = await observer.until('applied', applied, t0, TIMEOUT_MS);
      const readyMs = await untilOrNull('ready', ready, t0);
      const progress = observer.progress();
      const hwm = procStatusKb(child.pid!, 'VmHWM');
      rss.stop();
      await observer.stop();
      console.error(`[converge] measured (before cleanup): applied ${appliedMs} ms, ready ${readyMs} ms, RSS peak ${MiB(Math.max(hwm, rss.peak))} MiB (sampled peak at ${rss.peakAtMs} ms); RSS per 5 s: ${rss.profile.join(' ')}`);
      const cleanupMs = await deleteNamespaceAndWait(ns);
      return { how: `child process (ork run${nodeFlags.length ? ` with ${nodeFlags.join(' ')}` : ''})`, workers: WORKERS, startMs, appliedMs, readyMs, rssPeakMiB: MiB(Math.max(hwm, rss.peak)), rssPeakAtMs: rss.peakAtMs, rssProfileMiB: rss.profile, progress, cleanupMs };
    } finally {
      rss.stop();
      child.kill('SIGTERM');
      await exited;
    }
  }

  // In-process: the same steps as startOperator, with a RequestCounter on the client before the first request.
  const loaded = await loadKatalog(katalogFile);
  if (!loaded.ok) throw new Error(`${katalogFile} does not load`);
  const baseline = process.memoryUsage().rss;
  const rss = new RssSampler(() => process.memoryUsage().rss);
  const t0 = Date.now();
  const opClient = KubeClient.fromKubeConfig({ path: kubeconfig });
  const counter = new RequestCounter().attach(opClient.transport);
  const runtime = new Runtime(loaded.katalog, { client: opClient, log: quiet, namespace: ns });
  try {
    await runtime.startInformers();
    runtime.startWorkers();
    const startMs = Date.now() - t0;
    const appliedMs = await observer.until('applied', applied, t0, TIMEOUT_MS);
    const readyMs = await untilOrNull('ready', ready, t0);
    const progress = observer.progress();
    const requests = byVerb(counter);
    counter.stop();
    rss.stop();
    await observer.stop();
    const ok = (resource: string) => counter.samples.filter((s) => s.verb === 'patch' && s.resource === resource && s.code >= 200 && s.code < 300).length;
    const result: OperatorResult = {
      how: 'in-process', workers: WORKERS, startMs, appliedMs, readyMs, rssPeakMiB: MiB(rss.peak), rssBaselineMiB: MiB(baseline), requests,
      finalizerPatches: ok(CRD_NAME), statusPatches: ok(`${CRD_NAME}/status`), progress, cleanupMs: 0,
    };
    result.cleanupMs = await deleteNamespaceAndWait(ns);
    return result;
  } finally {
    rss.stop();
    await runtime.stop();
    opClient.close();
  }
}

interface LimitResult {
  concurrency: number;
  writes: Record<string, number>;
  writesMs: number;
  deploymentsReadyMs: number | null;
  failed: number;
  cleanupMs: number;
}

/** The children the Website Katalog declares, built by the engine's own builders (same bytes, built before the clock starts). */
function children(cr: KubeObject): Manifest[] {
  const crName = cr.metadata!.name!;
  const namespace = cr.metadata!.namespace!;
  const ctx: BuildContext = {
    namespace, crName, crKind: 'Website', crdName: CRD_NAME,
    labels: standardLabels({ crName, namespace, crdName: CRD_NAME }),
    ownerReference: { apiVersion: WEBSITE.apiVersion, kind: 'Website', name: crName, uid: cr.metadata!.uid!, controller: true, blockOwnerDeletion: true },
    workloads: [crName],
  };
  const out: Manifest[] = [];
  for (const [key, spec] of [['deployments', { name: crName, image: 'nginx:1.27', replicas: REPLICAS }], ['services', { name: crName, port: 80, targetPort: 8080 }]] as const) {
    const built = resourceBuilder(key)!.build(spec as unknown as Record<string, unknown>, ctx);
    if (!built.ok) throw new Error(`${key}: ${JSON.stringify(built.errors)}`);
    out.push(built.manifest);
  }
  return out;
}

async function limitRun(finalizerPatches: number, statusPatches: number): Promise<LimitResult> {
  const ns = await freshNamespace('bench-limit');
  const crs = await createCrs(ns);
  const observer = await Observer.start(KubeClient.fromKubeConfig({ path: kubeconfig }), ns);
  const lc = KubeClient.fromKubeConfig({ path: kubeconfig });
  type Write = () => Promise<unknown>;
  const writes: Write[] = [];
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = (cr: KubeObject, readyReplicas: number) => ({
    readyReplicas, endpoint: `${cr.metadata!.name}.${ns}.svc.cluster.local`, observedGeneration: cr.metadata!.generation,
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconcileSucceeded', message: '', lastTransitionTime: now, observedGeneration: cr.metadata!.generation }],
  });
  // Finalizers first, then children, then status — one flat pool, as the operator's order per CR.
  for (let i = 0; i < finalizerPatches; i++) {
    const cr = crs[i % N];
    writes.push(() => lc.patch(cr, cr.metadata!.name!, { metadata: { finalizers: [FINALIZER], resourceVersion: i < N ? cr.metadata!.resourceVersion : undefined } }, { type: 'merge', namespace: ns }));
  }
  for (const cr of crs) for (const m of children(cr)) writes.push(() => lc.apply(m, { fieldManager: 'bench-limit', force: true }));
  for (let i = 0; i < statusPatches; i++) {
    const cr = crs[i % N];
    writes.push(() => lc.patchStatus(cr, status(cr, i < N ? 0 : REPLICAS), { fieldManager: 'bench-limit' }));
  }
  const counter = new RequestCounter().attach(lc.transport);
  await lc.resource(WEBSITE); // discovery before the clock, as the operator's informers did it at start
  await lc.resource({ apiVersion: 'apps/v1', kind: 'Deployment' });
  await lc.resource({ apiVersion: 'v1', kind: 'Service' });
  counter.reset();
  let failed = 0;
  const t0 = Date.now();
  await eachLimit(writes, CONCURRENCY, (w) => w().catch(() => { failed++; }));
  const writesMs = Date.now() - t0;
  const deploymentsReadyMs = await observer.until('deployments ready', (p) => p.deploymentsReady === N, t0, READY_TIMEOUT_MS).catch((e: unknown) => { console.error(String(e)); return null; });
  const counted = byVerb(counter);
  counter.stop();
  await observer.stop();
  // Untimed cleanup: nothing else removes the finalizers.
  await eachLimit(crs, CONCURRENCY, (cr) => lc.patch(cr, cr.metadata!.name!, { metadata: { finalizers: null } }, { type: 'merge', namespace: ns }).catch(() => undefined));
  lc.close();
  const cleanupMs = await deleteNamespaceAndWait(ns);
  return { concurrency: CONCURRENCY, writes: counted.writes, writesMs, deploymentsReadyMs, failed, cleanupMs };
}

async function main(): Promise<void> {
  await ensureCrd();
  const dir = await mkdtemp(join(tmpdir(), 'ork-converge-'));
  const out: { crs: number; replicas: number; operator?: OperatorResult; limit?: LimitResult; ratioApplied?: number; ratioReady?: number } = { crs: N, replicas: REPLICAS };
  try {
    if (args.mode !== 'limit') {
      out.operator = await operatorRun(dir);
      console.log(`operator (${out.operator.how}, workers ${WORKERS}): applied+Ready=True ${out.operator.appliedMs} ms, readyReplicas ${out.operator.readyMs} ms, RSS peak ${out.operator.rssPeakMiB} MiB`);
      console.log(JSON.stringify(out.operator));
    }
    if (args.mode !== 'operator') {
      const f = Number(args['finalizer-patches'] ?? out.operator?.finalizerPatches ?? N);
      const s = Number(args['status-patches'] ?? out.operator?.statusPatches ?? 2 * N);
      out.limit = await limitRun(f, s);
      console.log(`limit (concurrency ${CONCURRENCY}): writes ${out.limit.writesMs} ms, deployments ready ${out.limit.deploymentsReadyMs} ms, ${JSON.stringify(out.limit.writes)}, failed ${out.limit.failed}`);
    }
    if (out.operator && out.limit) {
      out.ratioApplied = Math.round((out.operator.appliedMs / out.limit.writesMs) * 100) / 100;
      if (out.operator.readyMs !== null && out.limit.deploymentsReadyMs !== null) out.ratioReady = Math.round((out.operator.readyMs / out.limit.deploymentsReadyMs) * 100) / 100;
      console.log(`ratio applied/writes ${out.ratioApplied}, ready/deployments-ready ${out.ratioReady}`);
    }
    const text = JSON.stringify(out, null, 2);
    if (args.json) await writeFile(args.json, text);
    else console.log(text);
  } finally {
    await rm(dir, { recursive: true, force: true });
    client.close();
  }
}

await main();
