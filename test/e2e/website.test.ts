// The seed README's Website operator, end to end against the real control plane (controller-
// manager and kwok make the Deployment's pods Ready).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { repoDir } from '../../testenv/cluster.ts';
import { createNamespace, stopAndClean, getOrUndefined, runKatalog, testClient, waitFor } from './operator-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const EVENT = { apiVersion: 'events.k8s.io/v1', kind: 'Event' };

let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'website');
  op = await runKatalog(join(repoDir, 'examples/website/katalog.yaml'), ns);
});

after(async () => {
  await stopAndClean(op, client, ns);
  client.close();
});

type Cond = { type: string; status: string; message?: string };
const ready = (o: KubeObject | undefined): Cond | undefined => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
const spec = (o: KubeObject | undefined) => o?.spec as { replicas?: number; ports?: { port: number; targetPort: number }[] } | undefined;

test('a Website gets a Deployment and a Service with owner references, Ready status and events', async () => {
  const cr = await client.create({ ...WEBSITE, metadata: { name: 'my-site', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 2, port: 8080 } });
  const dep = await waitFor('the Deployment', () => getOrUndefined(client, DEPLOYMENT, 'my-site', ns));
  const svc = await waitFor('the Service', () => getOrUndefined(client, SERVICE, 'my-site', ns));
  for (const child of [dep, svc]) {
    const ref = child.metadata?.ownerReferences?.[0];
    assert.equal(ref?.uid, cr.metadata?.uid, `${child.kind} is owned by the Website`);
    assert.equal(ref?.controller, true);
  }
  assert.equal(spec(dep)?.replicas, 2);
  assert.deepEqual(spec(svc)?.ports?.map((p) => [p.port, p.targetPort]), [[80, 8080]]);

  const live = await waitFor('Ready=True with readyReplicas 2', async () => {
    const w = await client.get(WEBSITE, 'my-site', { namespace: ns });
    const st = w.status as { readyReplicas?: number; observedGeneration?: number } | undefined;
    return ready(w)?.status === 'True' && st?.readyReplicas === 2 ? w : undefined;
  }, 30_000);
  assert.equal((live.status as { observedGeneration?: number }).observedGeneration, live.metadata?.generation);
  assert.ok(live.metadata?.finalizers?.includes('orkestra.orkspace.io/finalizer'));

  const reasons = await waitFor('events about the Website', async () => {
    const evs = (await client.list(EVENT, { namespace: ns })).items.filter((e) => (e as { regarding?: { name?: string } }).regarding?.name === 'my-site');
    const rs = new Set(evs.map((e) => (e as { reason?: string }).reason));
    return rs.has('Created') && rs.has('WebsiteReconciled') ? rs : undefined;
  });
  assert.ok(reasons.has('Created'));
});

test('scaling the Deployment by hand is reverted within 5 s', async () => {
  await client.patch(DEPLOYMENT, 'my-site', { spec: { replicas: 5 } }, { namespace: ns });
  const t0 = Date.now();
  await waitFor('replicas back to 2', async () => spec(await client.get(DEPLOYMENT, 'my-site', { namespace: ns }))?.replicas === 2, 5_000, 50);
  assert.ok(Date.now() - t0 < 5_000);
});

test('changing spec.replicas updates the Deployment', async () => {
  await client.patch(WEBSITE, 'my-site', { spec: { replicas: 3 } }, { namespace: ns });
  await waitFor('Deployment replicas 3', async () => spec(await client.get(DEPLOYMENT, 'my-site', { namespace: ns }))?.replicas === 3, 10_000);
  await waitFor('status.readyReplicas 3', async () => (await client.get(WEBSITE, 'my-site', { namespace: ns })).status?.readyReplicas === 3, 30_000);
});

test('deleting the Website removes its children and the finalizer within 10 s', async () => {
  await client.delete(WEBSITE, 'my-site', { namespace: ns });
  const t0 = Date.now();
  await waitFor('the Website, Deployment and Service to be gone', async () => {
    const left = await Promise.all([getOrUndefined(client, WEBSITE, 'my-site', ns), getOrUndefined(client, DEPLOYMENT, 'my-site', ns), getOrUndefined(client, SERVICE, 'my-site', ns)]);
    return left.every((o) => o === undefined);
  }, 10_000);
  assert.ok(Date.now() - t0 < 10_000);
});
