// Issue 5, steady state: once 200 Websites have converged, a full resync of the operator (every CR
// reconciled again) must send no write at all — children and status already match, so every
// compare ends in "unchanged" — and must read from the informer caches, never GET per CR.
//
// The resync is the real one: a copy of the Website Katalog with `resync: 5s` under operatorBox,
// so the CR informer re-emits every cached object every 5 s. After convergence the test opens a
// window, waits until every CR was reconciled again (OperatorBox reconciler.last timestamps) and
// the queue is idle, and counts the operator's requests in that window with RequestCounter.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestCounter, objectKey, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import type { OperatorBox } from '../../packages/orkestra/src/engine/operator-box.ts';
import { repoDir } from '../../testenv/cluster.ts';
import { createNamespace, deleteNamespace, runKatalog, testClient, waitFor } from './operator-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const CRS = 200;
const RESYNC = '5s';
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'apply', 'delete', 'deletecollection']);

let client: KubeClient;
let ns: string;
let dir: string;
let op: RunningOperator;
let box: OperatorBox;

/** The Website example with a short informer resync (and nothing else changed). */
async function katalogWithResync(): Promise<string> {
  const text = await readFile(join(repoDir, 'examples/website/katalog.yaml'), 'utf8');
  const patched = text.replace(/^(\s+)operatorBox:.*$/m, (line, indent: string) => `${line}\n${indent}  resync: ${RESYNC}`);
  assert.notEqual(patched, text, 'the Website Katalog has an operatorBox: line');
  dir = await mkdtemp(join(tmpdir(), 'ork-steady-'));
  const file = join(dir, 'katalog.yaml');
  await writeFile(file, patched);
  return file;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

type Cond = { type: string; status: string };
function converged(w: KubeObject): boolean {
  const st = (w.status ?? {}) as { readyReplicas?: number; observedGeneration?: number; conditions?: Cond[] };
  const replicas = (w.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  return st.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && st.readyReplicas === replicas && st.observedGeneration === w.metadata?.generation;
}

function queueIdle(): boolean {
  const s = box.queue.stats();
  return s.depth === 0 && s.processing === 0 && s.waitingDelayed === 0 && box.pool.busy === 0;
}

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'steady');
  op = await runKatalog(await katalogWithResync(), ns);
  box = op.runtime.boxes.get('website')!;
  assert.ok(box, 'the Katalog has a website box');
  const names = Array.from({ length: CRS }, (_, i) => `site-${String(i).padStart(3, '0')}`);
  await eachLimit(names, 16, (name) => client.create({ ...WEBSITE, metadata: { name, namespace: ns }, spec: { image: 'nginx:1.27', replicas: 1, port: 8080 } }));
});

after(async () => {
  // Delete while the operator still runs, so it removes its finalizers and the namespace goes.
  if (ns) await deleteNamespace(client, ns);
  if (op && box?.crInformer) {
    await waitFor('the Websites to be finalized', () => box.crInformer!.list().length === 0, 120_000, 250).catch(() => undefined);
  }
  await op?.stop();
  client?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`${CRS} Websites converge: Ready=True, readyReplicas = replicas, queue empty`, async () => {
  await waitFor(`${CRS} converged Websites and an idle queue`, () => {
    const crs = box.crInformer!.list();
    return crs.length === CRS && crs.every(converged) && queueIdle();
  }, 240_000, 250);
  // The server agrees with the operator's cache.
  const live = (await client.list(WEBSITE, { namespace: ns })).items;
  assert.equal(live.filter(converged).length, CRS);
});

test('a full resync of the converged Websites sends zero writes and reads only from the caches', async () => {
  const counter = new RequestCounter().attach(op.client.transport);
  const start = Date.now();
  const { totalReconciles: reconcilesBefore, failedReconciles: failedBefore } = box.healthSnapshot();
  const keys = box.crInformer!.list().map((o) => objectKey(o));
  try {
    await waitFor('every Website reconciled again by the resync', () => {
      const last = box.reconciler!.last;
      return keys.every((k) => Date.parse(last.get(k)?.at ?? '') >= start) && queueIdle();
    }, 60_000, 50);
  } finally {
    counter.stop();
  }
  const reconciled = box.healthSnapshot().totalReconciles - reconcilesBefore;
  assert.ok(reconciled >= CRS, `the resync reconciled every Website (${reconciled} reconciles)`);
  const h = box.healthSnapshot();
  assert.equal(h.failedReconciles - failedBefore, 0, `no reconcile failed in the window (last error: ${h.lastError})`);

  const byKey = (s: { verb: string; resource: string; code: number }) => `${s.verb} ${s.resource} ${s.code}`;
  const tally = (pick: (v: string) => boolean): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const s of counter.samples) if (pick(s.verb)) out[byKey(s)] = (out[byKey(s)] ?? 0) + 1;
    return out;
  };
  const writes = tally((v) => WRITE_VERBS.has(v));
  assert.deepEqual(writes, {}, `writes during the resync of ${CRS} converged Websites (${reconciled} reconciles)`);
  // Reads: the reconciles read the caches. No GET and no LIST (no relist); a watch may end and be
  // reopened by chance in the window, at most once per informer (CR kind + Deployments + Services).
  const reads = tally((v) => !WRITE_VERBS.has(v));
  assert.equal(counter.count({ verb: 'get' }), 0, `GETs during the resync: ${JSON.stringify(reads)}`);
  assert.equal(counter.count({ verb: 'list' }), 0, `LISTs during the resync: ${JSON.stringify(reads)}`);
  assert.ok(counter.count({ verb: 'watch' }) <= 3, `watches during the resync: ${JSON.stringify(reads)}`);
});
