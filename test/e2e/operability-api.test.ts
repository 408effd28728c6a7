// The runtime API and /metrics of an operator running in-process against the real control plane:
// what the API and the metrics say is checked against what the test did.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pino from 'pino';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { startOperator, type RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { select, sum } from '../../packages/orkestra/src/api/prom-text.ts';
import { kubeconfigPath, repoDir } from '../../testenv/cluster.ts';
import { createNamespace, deleteNamespace, testClient, waitFor } from './operator-support.ts';
import { getJson, scrape, releaseCrs } from './operability-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const N = 3;

let client: KubeClient;
let ns: string;
let op: RunningOperator;
let url: string;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'ops-api');
  op = await startOperator({
    katalog: join(repoDir, 'examples/website-ops/katalog.yaml'),
    kubeconfig: kubeconfigPath,
    namespace: ns,
    installCrds: true,
    api: { port: 0 },
    logger: pino({ level: process.env.ORK_TEST_LOG ?? 'silent' }),
  });
  url = op.api!.url;
});

after(async () => {
  await op?.stop();
  await releaseCrs(client, WEBSITE, ns).catch(() => undefined);
  await deleteNamespace(client, ns);
  client.close();
});

type Cond = { type: string; status: string };
const readyTrue = (o: KubeObject) => ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

test('the API lists the CRD, its CRs with Ready, one CR with children (Secret keys only), last outcome and events', async () => {
  assert.equal(op.api!.host, '127.0.0.1');
  for (let i = 0; i < N; i++) await client.create({ ...WEBSITE, metadata: { name: `site-${i}`, namespace: ns }, spec: { image: 'nginx:1.27', replicas: 1, port: 8080 } });
  await waitFor(`${N} Websites Ready`, async () => (await client.list(WEBSITE, { namespace: ns })).items.filter(readyTrue).length === N, 30_000);

  const k = await getJson<{ isLeader: boolean; crds: { name: string; state: string; crs: number }[] }>(url, '/katalog');
  assert.equal(k.status, 200);
  assert.equal(k.body.isLeader, true, 'without leader election the process leads');
  assert.deepEqual(k.body.crds.map((c) => [c.name, c.state]), [['website', 'healthy']]);

  const list = await waitFor('the API to list the CRs as Ready', async () => {
    const r = await getJson<{ items: { name: string; ready: string }[] }>(url, '/katalog/website/cr');
    return r.body.items.filter((i) => i.ready === 'True').length === N ? r.body : undefined;
  });
  assert.deepEqual(list.items.map((i) => i.name), ['site-0', 'site-1', 'site-2']);

  const d = await waitFor('events in the CR detail', async () => {
    const r = await getJson<{ children: { kind: string; keys?: string[]; metadata: { name: string } }[]; lastReconcile: { ok: boolean } | null; events: { reason: string }[] }>(url, `/katalog/websites.demo.orkestra.io/cr/${ns}/site-0`);
    return r.status === 200 && r.body.events.some((e) => e.reason === 'WebsiteReconciled') ? r : undefined;
  });
  assert.deepEqual(d.body.children.map((c) => c.kind).sort(), ['Deployment', 'Secret', 'Service']);
  const secret = d.body.children.find((c) => c.kind === 'Secret')!;
  assert.deepEqual(secret.keys, ['password']);
  const live = await client.get({ apiVersion: 'v1', kind: 'Secret' }, 'site-0-creds', { namespace: ns });
  const value = Buffer.from(String((live as { data?: Record<string, string> }).data?.password), 'base64').toString();
  const raw = JSON.stringify(d.body);
  assert.ok(value.startsWith('pw-') && !raw.includes(value) && !raw.includes(Buffer.from(value).toString('base64')), 'no Secret value in the response');
  assert.equal(d.body.lastReconcile?.ok, true);
  assert.equal((await getJson(url, `/katalog/website/cr/${ns}/nope`)).status, 404);
});

test('/metrics agrees with what happened: reconciles, API requests, queue back to 0, watches fresh', async () => {
  const m = await waitFor('queue depth 0 and nothing in flight', async () => {
    const s = await scrape(url);
    return sum(s, 'orkestra_queue_depth', { crd: 'website' }) === 0 && sum(s, 'orkestra_workers_busy', { crd: 'website' }) === 0 ? s : undefined;
  });
  assert.equal(m.types.get('orkestra_reconcile_total'), 'counter');
  assert.ok(sum(m, 'orkestra_reconcile_total', { crd: 'website', result: 'success' }) >= N);
  assert.equal(sum(m, 'orkestra_reconcile_total', { crd: 'website', result: 'error' }), 0);
  assert.ok(sum(m, 'orkestra_reconcile_duration_seconds_count', { crd: 'website' }) >= N);
  // Each Website's Deployment, Service and Secret were created by exactly one apply each.
  for (const r of ['deployments.apps', 'services', 'secrets']) assert.equal(sum(m, 'orkestra_api_requests_total', { verb: 'apply', resource: r, code: '201' }), N, r);
  assert.ok(sum(m, 'orkestra_api_requests_total', { verb: 'watch', resource: 'websites.demo.orkestra.io', code: '200' }) >= 1);
  assert.ok(sum(m, 'orkestra_queue_adds_total', { crd: 'website' }) >= N);
  assert.ok(sum(m, 'orkestra_watch_events_total', { resource: 'websites.demo.orkestra.io' }) >= N);
  const fresh = select(m, 'orkestra_watch_freshness_seconds');
  assert.deepEqual(fresh.map((s) => s.labels.resource).sort(), ['deployments.apps', 'secrets', 'services', 'websites.demo.orkestra.io']);
  for (const s of fresh) assert.ok(s.value >= 0 && s.value < 60, `${s.labels.resource} fresh: ${s.value}`);
  assert.equal(sum(m, 'orkestra_workers', { crd: 'website' }), 2);
  assert.equal(sum(m, 'orkestra_crd_healthy', { crd: 'website' }), 1);
  assert.equal(sum(m, 'orkestra_leader'), 1);
  assert.ok(select(m, 'process_cpu_seconds_total').length === 1, 'default process metrics');
  assert.equal((await getJson(url, '/readyz')).status, 200);
});

test('a failing CR degrades the CRD after failureThreshold (3) consecutive failures; a success heals it', async () => {
  await client.create({ ...WEBSITE, metadata: { name: 'broken', namespace: ns }, spec: { image: 'crash', replicas: 1, port: 8080 } });
  const h = await waitFor('health 503 degraded', async () => {
    const r = await getJson<{ state: string; consecutiveFails: number; lastError?: string }>(url, '/katalog/website/health');
    return r.status === 503 ? r.body : undefined;
  });
  assert.equal(h.state, 'degraded');
  assert.ok(h.consecutiveFails >= 3);
  assert.match(h.lastError ?? '', /ork-crash-no-such-namespace.*not found/);
  const m = await scrape(url);
  assert.equal(sum(m, 'orkestra_crd_healthy', { crd: 'website' }), 0);
  assert.ok(sum(m, 'orkestra_crd_consecutive_failures', { crd: 'website' }) >= 3);
  assert.ok(sum(m, 'orkestra_reconcile_total', { crd: 'website', result: 'error' }) >= 3);
  assert.ok(sum(m, 'orkestra_queue_retries_total', { crd: 'website' }) >= 3);
  const d = await getJson<{ lastReconcile: { ok: boolean; error: string } }>(url, `/katalog/website/cr/${ns}/broken`);
  assert.equal(d.body.lastReconcile.ok, false);

  await client.patch(WEBSITE, 'broken', { spec: { image: 'nginx:1.27' } }, { namespace: ns });
  await waitFor('health 200 healthy again', async () => (await getJson(url, '/katalog/website/health')).status === 200, 15_000);
  assert.equal(sum(await scrape(url), 'orkestra_crd_healthy', { crd: 'website' }), 1);
});
