// Deleting a namespace full of CRs while the operator runs: the finalizers are honoured, the
// namespace goes away, and the operator does not fight the namespace controller (no retry storm
// of creates into a terminating namespace).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RequestCounter, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { repoDir } from '../../testenv/cluster.ts';
import { NS_TYPE, createNamespace, getOrUndefined, runKatalog, testClient, waitFor } from './operator-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'nsdel');
  op = await runKatalog(join(repoDir, 'examples/website/katalog.yaml'), ns);
});

after(async () => {
  await op?.stop();
  client.close();
});

const isReady = (o: KubeObject) => ((o.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

test('a namespace with CRs is deleted cleanly while the operator runs', async () => {
  for (let i = 0; i < 5; i++) await client.create({ ...WEBSITE, metadata: { name: `site-${i}`, namespace: ns }, spec: { image: 'nginx:1.27', replicas: 1, port: 8080 } });
  await waitFor('all Websites Ready', async () => {
    const items = (await client.list(WEBSITE, { namespace: ns })).items;
    return items.length === 5 && items.every(isReady);
  }, 30_000);

  const box = op.runtime.boxes.get('website')!;
  const failedBefore = box.healthSnapshot().failedReconciles;
  const counter = new RequestCounter().attach(op.client.transport);
  await client.delete(NS_TYPE, ns);
  await waitFor('the namespace gone', async () => (await getOrUndefined(client, NS_TYPE, ns)) === undefined, 60_000);
  counter.stop();

  const creates = counter.samples.filter((s) => s.verb === 'apply' && s.code === 403).length;
  assert.ok(creates <= 10, `at most a few refused applies into the terminating namespace, saw ${creates}`);
  assert.equal(box.healthSnapshot().failedReconciles - failedBefore, 0, 'refusals by a terminating namespace are not failures');
});
