// onDelete Jobs: deleting a CR runs its teardown Job to completion before the finalizer goes; when
// the whole namespace is being deleted the Job can never be created, and the finalizer must not
// hold the namespace hostage waiting for it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RequestCounter, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { repoDir } from '../../testenv/cluster.ts';
import { NS_TYPE, createNamespace, getOrUndefined, runKatalog, stopAndClean, testClient, waitFor } from './operator-support.ts';

const ARCHIVE = { apiVersion: 'e2e.orkestra.io/v1', kind: 'Archive' };
const JOB = { apiVersion: 'batch/v1', kind: 'Job' };
const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const KATALOG = join(repoDir, 'test/e2e/fixtures/ondelete.katalog.yaml');
let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'ondel');
  op = await runKatalog(KATALOG, ns);
});

after(async () => {
  await stopAndClean(op, client, ns);
  client.close();
});

const jobSucceeded = (j: KubeObject | undefined) => ((j?.status as { succeeded?: number } | undefined)?.succeeded ?? 0) > 0;

test('deleting a CR runs its onDelete Job to completion, then removes the children and the finalizer', async () => {
  await client.create({ ...ARCHIVE, metadata: { name: 'a1', namespace: ns }, spec: {} });
  await waitFor('the ConfigMap', () => getOrUndefined(client, CONFIGMAP, 'a1-data', ns));
  // The operator's own caches tell the order: the Job is seen complete before the CR is gone.
  const box = op.runtime.boxes.get('archive')!;
  let jobDoneAt = 0;
  let crGoneAt = 0;
  const seeJob = (job: KubeObject) => { if (!jobDoneAt && job.metadata?.name === 'a1-final-backup' && jobSucceeded(job)) jobDoneAt = performance.now(); };
  const offJob = box.kinds.get('jobs')!.informer.addEventHandler({ onAdd: seeJob, onUpdate: (_old, job) => seeJob(job) });
  const offCr = box.crInformer!.addEventHandler({ onDelete: (cr) => { if (cr.metadata?.name === 'a1') crGoneAt = performance.now(); } });
  try {
    await client.delete(ARCHIVE, 'a1', { namespace: ns });
    await waitFor('the Archive finalized', () => crGoneAt > 0, 30_000);
  } finally {
    offJob();
    offCr();
  }
  assert.ok(jobDoneAt > 0 && jobDoneAt <= crGoneAt, 'the onDelete Job completed before the finalizer was removed');
  const job = await getOrUndefined(client, JOB, 'a1-final-backup', ns);
  assert.ok(job === undefined || job.metadata?.deletionTimestamp, 'the finished Job is cleaned up with the other children');
  await waitFor('the ConfigMap removed', async () => (await getOrUndefined(client, CONFIGMAP, 'a1-data', ns)) === undefined, 10_000);
});

test('deleting the namespace does not wait for onDelete Jobs that can never be created, and sends no 403 storm', async () => {
  const own = await createNamespace(client, 'ondel-ns');
  const second = await runKatalog(KATALOG, own, { installCrds: false });
  try {
    for (let i = 0; i < 5; i++) await client.create({ ...ARCHIVE, metadata: { name: `a-${i}`, namespace: own }, spec: {} });
    await waitFor('five ConfigMaps', async () => (await client.list(CONFIGMAP, { namespace: own, labelSelector: 'app.kubernetes.io/managed-by=orkestra' })).items.length === 5);
    const box = second.runtime.boxes.get('archive')!;
    const failedBefore = box.healthSnapshot().failedReconciles;
    const counter = new RequestCounter().attach(second.client.transport);
    await client.delete(NS_TYPE, own);
    await waitFor('the namespace gone', async () => (await getOrUndefined(client, NS_TYPE, own)) === undefined, 60_000);
    counter.stop();
    const refused = counter.samples.filter((s) => s.code === 403).map((s) => `${s.verb} ${s.resource}`);
    assert.ok(refused.length <= 10, `at most a few refused writes into the terminating namespace, saw ${refused.length}: ${refused.join(', ')}`);
    assert.equal(box.healthSnapshot().failedReconciles - failedBefore, 0, 'refusals by a terminating namespace are not failures');
  } finally {
    await second.stop();
  }
});
