// A leader that loses its Lease (here: another holder takes it over) stops its workers at once
// and signals `lost`; nothing it does afterwards writes to the cluster.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import pino from 'pino';
import { RequestCounter, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { startOperator, type RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { kubeconfigPath, repoDir } from '../../testenv/cluster.ts';
import { createNamespace, deleteNamespace, testClient, waitFor } from './operator-support.ts';
import { LEASE_RESOURCE, WRITE_VERBS, releaseCrs } from './operability-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };

let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'ops-loss');
  op = await startOperator({
    katalog: join(repoDir, 'examples/website/katalog.yaml'),
    kubeconfig: kubeconfigPath,
    namespace: ns,
    installCrds: true,
    identity: 'victim',
    leaderElection: { namespace: ns, leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 },
    logger: pino({ level: process.env.ORK_TEST_LOG ?? 'silent' }),
  });
});

after(async () => {
  await op?.stop(5_000);
  await releaseCrs(client, WEBSITE, ns).catch(() => undefined);
  await deleteNamespace(client, ns);
  client.close();
});

type Cond = { type: string; status: string };
const ready = (o: KubeObject) => ((o.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

test('losing the Lease stops the workers within renewDeadline and no write follows', async () => {
  await waitFor('victim to lead', () => op.leader().isLeader, 10_000, 50);
  await client.create({ ...WEBSITE, metadata: { name: 'one', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 0, port: 8080 } });
  await waitFor('Website one Ready', async () => ready(await client.get(WEBSITE, 'one', { namespace: ns })), 15_000);

  // Someone else holds the Lease now, for a long time: the victim's renewals fail.
  const lease = await client.get(LEASE, 'orkestra-konductor', { namespace: ns });
  const now = new Date().toISOString().replace('Z', '000Z');
  await client.replace({ ...lease, spec: { ...(lease.spec as object), holderIdentity: 'thief', leaseDurationSeconds: 3600, renewTime: now, acquireTime: now } });
  const stolenAt = Date.now();
  let lostAt = 0;
  void op.lost.then(() => (lostAt = Date.now()));
  await waitFor('op.lost to resolve', () => lostAt > 0, 10_000, 10);
  console.log(`# lease lost ${lostAt - stolenAt} ms after another holder took it (renew deadline 3 s)`);
  assert.ok(lostAt - stolenAt <= 4_000, `stepped down after ${lostAt - stolenAt} ms`);
  assert.equal(op.leader().isLeader, false);

  const writes = new RequestCounter().attach(op.client.transport);
  await client.create({ ...WEBSITE, metadata: { name: 'two', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 0, port: 8080 } });
  // The victim's cache sees the new CR (its watch still runs), yet it must not act on it.
  await waitFor('the CR in the victim cache', () => op.runtime.boxes.get('website')!.crInformer!.getByKey(`${ns}/two`) !== undefined, 10_000, 20);
  const box = op.runtime.boxes.get('website')!;
  assert.equal(box.queue.isShuttingDown(), true);
  assert.equal(box.pool.busy, 0);
  const written = writes.samples.filter((s) => WRITE_VERBS.includes(s.verb) && s.resource !== LEASE_RESOURCE);
  assert.deepEqual(written, [], 'no write after the loss');
  writes.stop();
  assert.equal((await client.get(WEBSITE, 'two', { namespace: ns })).metadata?.finalizers, undefined, 'nobody reconciled two');
});
