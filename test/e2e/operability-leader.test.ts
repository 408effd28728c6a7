// Two (then three) `ork run` processes on one namespace with leader election on a 4 s Lease:
// only the leader writes; `kill -9` of the leader during a burst of 100 CRs hands over to the
// warm follower, which converges everything; SIGTERM releases the Lease so the follower takes
// over within a second. Failover times are measured and printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { sum } from '../../packages/orkestra/src/api/prom-text.ts';
import { createNamespace, deleteNamespace, testClient, waitFor } from './operator-support.ts';
import { getJson, isLeader, killAll, releaseCrs, reconciles, scrape, spawnOrk, writesExceptLease, type OrkProcess } from './operability-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };
const EVENT = { apiVersion: 'events.k8s.io/v1', kind: 'Event' };
const LEASE_NAME = 'orkestra-konductor';
const BURST = 100;

let client: KubeClient;
let ns: string;
const procs: OrkProcess[] = [];

function ork(identity: string): Promise<OrkProcess> {
  return spawnOrk(identity, [
    '-k', 'examples/website-lite/katalog.yaml',
    '-n', ns,
    '--install-crds',
    '--leader-elect',
    '--lease-namespace', ns,
    '--lease-duration', '4s',
    '--renew-deadline', '3s',
    '--retry-period', '500ms',
    '--identity', identity,
    '--shutdown-timeout', '10s',
  ]).then((p) => {
    procs.push(p);
    return p;
  });
}

type Cond = { type: string; status: string };
const converged = (o: KubeObject) =>
  ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') &&
  (o.status as { observedGeneration?: number }).observedGeneration === o.metadata?.generation;

async function website(name: string): Promise<void> {
  await client.create({ ...WEBSITE, metadata: { name, namespace: ns }, spec: { image: 'nginx:1.27', replicas: 0, port: 8080 } });
}

async function allConverged(n: number, timeoutMs: number): Promise<void> {
  let seen = '';
  try {
    await waitFor(`${n} Websites converged`, async () => {
      const ws = (await client.list(WEBSITE, { namespace: ns })).items;
      const deps = (await client.list(DEPLOYMENT, { namespace: ns })).items;
      const bad = ws.filter((w) => !converged(w));
      seen = `${ws.length} Websites, ${bad.length} not converged (e.g. ${JSON.stringify(bad[0]?.status ?? bad[0]?.metadata?.name ?? null)}), ${deps.length} Deployments`;
      return ws.length === n && bad.length === 0 && deps.length === n;
    }, timeoutMs, 250);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen: ${seen}`);
  }
}

async function holder(): Promise<string | undefined> {
  return ((await client.get(LEASE, LEASE_NAME, { namespace: ns })).spec as { holderIdentity?: string }).holderIdentity;
}

let a: OrkProcess;
let b: OrkProcess;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'ops-leader');
  a = await ork('replica-a');
  await waitFor('replica-a to lead', () => isLeader(a.url), 20_000, 50);
  b = await ork('replica-b');
  await waitFor('replica-b warm (ready) as follower', async () => (await getJson(b.url, '/readyz')).status === 200, 20_000, 50);
});

after(async () => {
  await killAll(procs);
  await releaseCrs(client, WEBSITE, ns);
  await deleteNamespace(client, ns);
  client.close();
});

test('only the leader writes; the follower holds a warm cache and reports pending', async () => {
  for (let i = 0; i < 5; i++) await website(`warm-${i}`);
  await allConverged(5, 30_000);
  assert.equal(await holder(), 'replica-a');
  const [ma, mb] = [await scrape(a.url), await scrape(b.url)];
  assert.ok(writesExceptLease(ma) >= 5 * 2, `leader wrote ${writesExceptLease(ma)}`);
  assert.equal(writesExceptLease(mb), 0, 'the follower sent no write');
  assert.equal(reconciles(mb), 0);
  assert.equal(sum(mb, 'orkestra_leader'), 0);
  assert.equal(sum(mb, 'orkestra_workers', { crd: 'website' }), 0);
  const kb = await getJson<{ isLeader: boolean; leader: { leader: string }; crds: { state: string }[] }>(b.url, '/katalog');
  assert.equal(kb.body.isLeader, false);
  assert.equal(kb.body.leader.leader, 'replica-a');
  assert.equal(kb.body.crds[0].state, 'pending');
  assert.equal((await getJson(b.url, '/katalog/website/health')).status, 200, 'a follower is pending, not unhealthy');
  // The follower's cache already sees the CRs the leader made Ready.
  const crs = await waitFor('warm cache on the follower', async () => {
    const r = await getJson<{ items: { ready: string }[] }>(b.url, '/katalog/website/cr');
    return r.body.items.length === 5 && r.body.items.every((i) => i.ready === 'True') ? r.body.items : undefined;
  });
  assert.equal(crs.length, 5);
  const events = (await client.list(EVENT, { namespace: ns })).items as (KubeObject & { reportingInstance?: string })[];
  assert.ok(events.length > 0);
  assert.deepEqual([...new Set(events.map((e) => e.reportingInstance))], ['replica-a']);
});

test(`kill -9 of the leader during a burst of ${BURST} CRs: the follower takes over and converges all`, async () => {
  let created = 0;
  const burst = (async () => {
    for (let i = 0; i < BURST; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => website(`burst-${i + j}`)));
      created += 10;
    }
  })();
  await waitFor('30 CRs created', () => created >= 30, 30_000, 5);
  const before = await scrape(b.url);
  assert.equal(writesExceptLease(before), 0, 'no write by the follower before the kill');
  assert.equal(reconciles(before), 0, 'no reconcile by the follower before the kill');
  const killedAt = Date.now();
  a.kill('SIGKILL');
  await a.exited;
  const tookOverAt = await waitFor('replica-b to lead', async () => ((await isLeader(b.url)) ? Date.now() : undefined), 15_000, 25);
  const firstReconcileAt = await waitFor('replica-b to reconcile', async () => (reconciles(await scrape(b.url)) > 0 ? Date.now() : undefined), 10_000, 25);
  await burst;
  await allConverged(BURST + 5, 60_000);
  const failover = tookOverAt - killedAt;
  console.log(`# failover after kill -9 (lease 4s, renew 3s, retry 500ms): leader after ${failover} ms, first reconcile after ${firstReconcileAt - killedAt} ms; converged ${BURST + 5} CRs`);
  assert.ok(failover < 6_500, `failover took ${failover} ms`);
  assert.equal(await holder(), 'replica-b');
  const mb = await waitFor('queue of replica-b drained', async () => {
    const m = await scrape(b.url);
    return sum(m, 'orkestra_queue_depth', { crd: 'website' }) === 0 && sum(m, 'orkestra_workers_busy', { crd: 'website' }) === 0 ? m : undefined;
  });
  // Taking over enqueues every cached CR: each one is reconciled by the new leader.
  assert.ok(sum(mb, 'orkestra_reconcile_total', { crd: 'website', result: 'success' }) >= BURST + 5);
  assert.equal(sum(mb, 'orkestra_leader'), 1);
  assert.ok(sum(mb, 'orkestra_api_requests_total', { verb: 'update', resource: 'leases.coordination.k8s.io', code: '200' }) >= 1);
});

test('SIGTERM releases the Lease: the follower takes over within 1 s, the old leader exits 0', async () => {
  const c = await ork('replica-c');
  await waitFor('replica-c warm (ready) as follower', async () => (await getJson(c.url, '/readyz')).status === 200, 20_000, 50);
  assert.equal(await isLeader(c.url), false);
  const termAt = Date.now();
  b.kill('SIGTERM');
  const tookOverAt = await waitFor('replica-c to lead', async () => ((await isLeader(c.url)) ? Date.now() : undefined), 10_000, 10);
  const code = await b.exited;
  const handover = tookOverAt - termAt;
  console.log(`# handover after SIGTERM: ${handover} ms`);
  assert.equal(code, 0, `replica-b exit code (${b.other.join('\n').slice(-500)})`);
  assert.ok(b.lines.some((l) => l.msg.startsWith('shutting down')));
  assert.ok(handover < 1_000, `handover took ${handover} ms`);
  assert.equal(await holder(), 'replica-c');
  await website('after-handover');
  await allConverged(BURST + 6, 30_000);
  assert.ok(writesExceptLease(await scrape(c.url)) >= 3);
});
