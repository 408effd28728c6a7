// One child of every built-in kind, applied to the real API server: every manifest the builders
// make is accepted, server-side defaults cause no false drift (a resync writes nothing), and the
// cluster-scoped child (a Namespace) is removed with the CR by the finalizer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RequestCounter, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { createNamespace, stopAndClean, getOrUndefined, runKatalog, testClient, waitFor } from './operator-support.ts';

const STACK = { apiVersion: 'kinds.orkestra.io/v1', kind: 'Stack' };
const CHILDREN: [string, string, string][] = [
  ['v1', 'Secret', 'web-secret'],
  ['v1', 'ConfigMap', 'web-config'],
  ['v1', 'ConfigMap', 'web-custom'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'web-netpol'],
  ['v1', 'ResourceQuota', 'web-quota'],
  ['v1', 'LimitRange', 'web-limits'],
  ['v1', 'ServiceAccount', 'web-sa'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'web-role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'web-rb'],
  ['apps/v1', 'Deployment', 'web'],
  ['v1', 'Service', 'web-svc'],
  ['apps/v1', 'StatefulSet', 'web-db'],
  ['batch/v1', 'CronJob', 'web-nightly'],
  ['v1', 'PersistentVolumeClaim', 'web-data'],
  ['networking.k8s.io/v1', 'Ingress', 'web-ingress'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'web-hpa'],
  ['policy/v1', 'PodDisruptionBudget', 'web-pdb'],
];
const WRITES = new Set(['create', 'update', 'patch', 'apply', 'delete']);

let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'kinds');
  op = await runKatalog(join(import.meta.dirname, 'fixtures/all-kinds.katalog.yaml'), ns);
});

after(async () => {
  await stopAndClean(op, client, ns);
  client.close();
});

const ready = (o: KubeObject | undefined) => ((o?.status as { conditions?: { type: string; status: string; message?: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');

test('every built-in kind is created, owned, and a resync writes nothing', async () => {
  await client.create({ ...STACK, metadata: { name: 'web', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 2, token: 's3cr3t' } });
  const cr = await waitFor('the Stack Ready', async () => {
    const s = await client.get(STACK, 'web', { namespace: ns });
    const r = ready(s);
    if (r?.status === 'False') throw new Error(`Ready=False: ${r.message}`);
    return r?.status === 'True' ? s : undefined;
  }, 30_000);

  for (const [apiVersion, kind, name] of CHILDREN) {
    const child = await getOrUndefined(client, { apiVersion, kind }, name, ns);
    assert.ok(child, `${kind} ${name} exists`);
    assert.equal(child.metadata?.ownerReferences?.[0]?.uid, cr.metadata?.uid, `${kind} ${name} is owned by the Stack`);
  }
  const extraNs = `web-${ns}-extra`;
  assert.ok(await getOrUndefined(client, { apiVersion: 'v1', kind: 'Namespace' }, extraNs), 'the cluster-scoped Namespace exists');
  const secret = await client.get({ apiVersion: 'v1', kind: 'Secret' }, 'web-secret', { namespace: ns });
  assert.equal(Buffer.from((secret.data as Record<string, string>).token, 'base64').toString(), 's3cr3t');

  // The Katalog resyncs every 2 s. While pods start, status (readyReplicas) legitimately
  // changes; once converged, a round of resyncs must send no write at all.
  const box = op.runtime.boxes.get('stack')!;
  const round = async () => {
    const counter = new RequestCounter().attach(op.client.transport);
    const start = box.healthSnapshot().totalReconciles;
    await waitFor('two more reconciles', () => box.healthSnapshot().totalReconciles >= start + 2, 15_000);
    counter.stop();
    return counter.samples.filter((s) => WRITES.has(s.verb)).map((s) => `${s.verb} ${s.resource}`);
  };
  const seen: string[][] = [];
  for (let i = 0; i < 8; i++) {
    const writes = await round();
    seen.push(writes);
    if (writes.length === 0) break;
  }
  assert.deepEqual(seen.at(-1), [], `a converged Stack costs no writes; rounds saw: ${JSON.stringify(seen)}`);
});

test('deleting the CR removes the cluster-scoped child too', async () => {
  await client.delete(STACK, 'web', { namespace: ns });
  const extraNs = `web-${ns}-extra`;
  await waitFor('the Stack gone and its Namespace terminating or gone', async () => {
    const [cr, n] = await Promise.all([getOrUndefined(client, STACK, 'web', ns), getOrUndefined(client, { apiVersion: 'v1', kind: 'Namespace' }, extraNs)]);
    return cr === undefined && (n === undefined || n.metadata?.deletionTimestamp !== undefined);
  }, 15_000);
});
