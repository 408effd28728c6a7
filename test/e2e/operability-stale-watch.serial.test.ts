// A watch made stale for real: the test stops kube-apiserver, sees watch freshness rise and
// /readyz turn 503, starts kube-apiserver again and sees both recover and the operator work.
// SERIAL: stopping the API server disturbs every other test; run this file alone
// (`*.serial.test.ts` run after the others). The API server is always restarted in `after`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pino from 'pino';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { startOperator, type RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { select } from '../../packages/orkestra/src/api/prom-text.ts';
import { down, isRunning, kubeconfigPath, repoDir, up } from '../../testenv/cluster.ts';
import { createNamespace, deleteNamespace, testClient, waitFor } from './operator-support.ts';
import { getJson, scrape, releaseCrs } from './operability-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const THRESHOLD_S = 5;

let client: KubeClient;
let ns: string;
let op: RunningOperator;
let url: string;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'ops-stale');
  op = await startOperator({
    katalog: join(repoDir, 'examples/website/katalog.yaml'),
    kubeconfig: kubeconfigPath,
    namespace: ns,
    installCrds: true,
    api: { port: 0 },
    staleWatchThresholdMs: THRESHOLD_S * 1000,
    // Quiet watches reopen every 2–4 s, well within the 5 s threshold.
    watchTimeoutMs: 2_000,
    logger: pino({ level: process.env.ORK_TEST_LOG ?? 'silent' }),
  });
  url = op.api!.url;
});

after(async () => {
  if (!isRunning('kube-apiserver')) await up('kube-apiserver');
  await op?.stop(5_000);
  await releaseCrs(client, WEBSITE, ns).catch(() => undefined);
  await deleteNamespace(client, ns).catch(() => undefined);
  client.close();
});

type Cond = { type: string; status: string };
const ready = (o: KubeObject) => ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function freshness(resource: string): Promise<number> {
  const v = select(await scrape(url), 'orkestra_watch_freshness_seconds', { resource })[0]?.value;
  assert.equal(typeof v, 'number', `freshness of ${resource}`);
  return v;
}

test('a quiet but healthy watch stays fresh for longer than the threshold', async () => {
  await waitFor('/readyz 200', async () => (await getJson(url, '/readyz')).status === 200, 15_000);
  // Nothing happens in the namespace for 2 thresholds; the watches must keep /readyz at 200.
  const until = Date.now() + 2 * THRESHOLD_S * 1000;
  let worst = 0;
  await waitFor('two quiet thresholds', async () => {
    const r = await getJson<{ watches: { freshnessSeconds: number }[] }>(url, '/readyz');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    worst = Math.max(worst, ...r.body.watches.map((w) => w.freshnessSeconds));
    return Date.now() > until;
  }, 4 * THRESHOLD_S * 1000, 200);
  console.log(`# quiet watches: worst freshness ${worst} s (threshold ${THRESHOLD_S} s)`);
});

test('stopping kube-apiserver makes the watches stale and /readyz 503; both recover when it is back', async () => {
  await client.create({ ...WEBSITE, metadata: { name: 'before', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 0, port: 8080 } });
  await waitFor('Website before Ready', async () => ready(await client.get(WEBSITE, 'before', { namespace: ns })), 15_000);
  let stopping: Promise<void> | undefined;
  try {
    const f1 = await freshness('websites.demo.orkestra.io');
    assert.ok(f1 <= THRESHOLD_S);
    const stoppedAt = Date.now();
    // down.sh waits for the graceful stop; watch the operator meanwhile.
    stopping = down(['kube-apiserver']);
    // /readyz may turn 503 on whichever watch goes stale first; wait until the Website watch
    // itself is past the threshold too.
    const r = await waitFor('/readyz 503 with the Website watch stale', async () => {
      const res = await getJson<{ reasons: string[] }>(url, '/readyz');
      return res.status === 503 && (await freshness('websites.demo.orkestra.io')) > THRESHOLD_S ? res.body : undefined;
    }, 60_000, 250);
    const staleAfter = Date.now() - stoppedAt;
    const f2 = await freshness('websites.demo.orkestra.io');
    await stopping;
    console.log(`# kube-apiserver stopping: /readyz 503 after ${staleAfter} ms; freshness ${f1} s → ${f2} s`);
    assert.ok(f2 > THRESHOLD_S && f2 > f1, `freshness rose: ${f1} → ${f2}`);
    assert.ok(r.reasons.some((x) => /stale/.test(x)), r.reasons.join('; '));
    assert.equal((await getJson(url, '/healthz')).status, 200, 'liveness is not readiness');
  } finally {
    await stopping?.catch(() => undefined);
    const t = Date.now();
    await up('kube-apiserver');
    console.log(`# kube-apiserver back after ${Date.now() - t} ms`);
  }
  const backAt = Date.now();
  await waitFor('/readyz 200 again', async () => (await getJson(url, '/readyz')).status === 200, 60_000, 250);
  console.log(`# /readyz 200 again ${Date.now() - backAt} ms after the API server was back`);
  assert.ok((await freshness('websites.demo.orkestra.io')) <= THRESHOLD_S);
  await client.create({ ...WEBSITE, metadata: { name: 'after', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 0, port: 8080 } });
  await waitFor('Website after Ready', async () => ready(await client.get(WEBSITE, 'after', { namespace: ns })), 30_000);
});
