// Issue 9, Secret copy — the shape of the reference's beginner example 03-secret-copy: a
// SecretDistribution CR copies one Secret of a shared namespace into the namespaces its spec
// names (`toNamespaces: ["{{ .spec.targetNamespaces }}"]`, one element rendering a list).
//
// The CRD is written here, without a status subresource: status is then part of the object,
// every status write would bump metadata.generation, and an observedGeneration in status would
// chase itself (a write loop). The Katalog's resync is short, so the 60 s window below holds
// about twenty resyncs of the converged CR; the operator must send no write in it.
//
// The operator watches only the CR's namespace (like every in-process e2e operator), so the
// copies in the target namespaces live outside its child informers: this also covers the
// label-selected target views (`engine/copies.ts`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RequestCounter, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import type { OperatorBox } from '../../packages/orkestra/src/engine/operator-box.ts';
import { createNamespace, deleteNamespace, getOrUndefined, runKatalog, stopAndClean, testClient, waitFor } from './operator-support.ts';

const GROUP = `copy${randomBytes(3).toString('hex')}.e2e.orkestra.io`;
const DIST = { apiVersion: `${GROUP}/v1`, kind: 'SecretDistribution' };
const SECRET = { apiVersion: 'v1', kind: 'Secret' };
const RESYNC_S = 3;
const WINDOW_MS = 60_000;
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'apply', 'delete', 'deletecollection']);

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `secretdistributions.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'secretdistributions', singular: 'secretdistribution', kind: 'SecretDistribution', listKind: 'SecretDistributionList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      // No `subresources: {status: {}}` on purpose.
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      } } },
    }],
  },
};

function katalog(sourceNs: string): string {
  return `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata:
  name: secret-copy
spec:
  crds:
    secretdistribution:
      apiTypes:
        group: ${GROUP}
        version: v1
        kind: SecretDistribution
        plural: secretdistributions
      operatorBox:
        resync: ${RESYNC_S}s
        onCreate:
          secrets:
            - fromSecret: "{{ .spec.secretName }}"
              fromNamespace: ${sourceNs}
              toNamespaces: ["{{ .spec.targetNamespaces }}"]
        status:
          fields:
            - path: secret
              value: "{{ .spec.secretName }}"
            - path: targets
              value: "{{ len .spec.targetNamespaces }}"
              type: int
`;
}

let client: KubeClient;
let ns: string;
let sourceNs: string;
let teamA: string;
let teamB: string;
let dir: string;
let op: RunningOperator | undefined;
let box: OperatorBox;

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
type Cond = { type: string; status: string; reason?: string; message?: string };
const ready = (o: KubeObject | undefined): Cond | undefined => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
const dataOf = (o: KubeObject | undefined) => (o as { data?: Record<string, string> } | undefined)?.data;

function queueIdle(): boolean {
  const s = box.queue.stats();
  return s.depth === 0 && s.processing === 0 && box.pool.busy === 0;
}

before(async () => {
  client = testClient();
  [ns, sourceNs, teamA, teamB] = await Promise.all(['copy', 'copy-src', 'team-alpha', 'team-beta'].map((p) => createNamespace(client, p)));
  await client.create(CRD);
  await waitFor('the SecretDistribution kind in discovery', () => client.resource(DIST), 20_000);
  await client.create({ ...SECRET, metadata: { name: 'database-credentials', namespace: sourceNs }, type: 'Opaque', data: { username: b64('admin'), password: b64('first') } });
  dir = await mkdtemp(join(tmpdir(), 'ork-copy-'));
  const file = join(dir, 'katalog.yaml');
  await writeFile(file, katalog(sourceNs));
  op = await runKatalog(file, ns, { installCrds: false });
  box = op.runtime.boxes.get('secretdistribution')!;
  assert.ok(box, 'the Katalog has a secretdistribution box');
});

after(async () => {
  await stopAndClean(op, client, ns).catch(() => undefined);
  await Promise.all([sourceNs, teamA, teamB].filter(Boolean).map((n) => deleteNamespace(client, n)));
  await client.delete(CRD, CRD.metadata.name).catch(() => undefined);
  client.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the source Secret is copied into both target namespaces; then 60 s of resyncs send no write', async (t) => {
  await client.create({ ...DIST, metadata: { name: 'db-creds', namespace: ns }, spec: { secretName: 'database-credentials', targetNamespaces: [teamA, teamB] } });
  for (const target of [teamA, teamB]) {
    const copy = await waitFor(`the copy in ${target}`, () => getOrUndefined(client, SECRET, 'database-credentials', target), 20_000);
    assert.deepEqual(dataOf(copy), { username: b64('admin'), password: b64('first') });
    assert.equal((copy as { type?: string }).type, 'Opaque');
    assert.equal(copy.metadata?.labels?.['orkestra-owner'], 'db-creds');
    assert.equal(copy.metadata?.ownerReferences, undefined, 'no owner reference across namespaces');
  }
  const cr = await waitFor('Ready=True', async () => {
    const o = await client.get(DIST, 'db-creds', { namespace: ns });
    return ready(o)?.status === 'True' ? o : undefined;
  }, 20_000);
  assert.deepEqual([(cr.status as Record<string, unknown>).secret, (cr.status as Record<string, unknown>).targets], ['database-credentials', 2]);
  assert.equal((cr.status as Record<string, unknown>).observedGeneration, undefined, 'no observedGeneration without the status subresource');
  await waitFor('an idle queue', queueIdle, 10_000, 50);

  const counter = new RequestCounter().attach(op!.client.transport);
  const before = box.healthSnapshot();
  const generation = cr.metadata?.generation;
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  counter.stop();
  const h = box.healthSnapshot();
  const reconciles = h.totalReconciles - before.totalReconciles;
  assert.ok(reconciles >= WINDOW_MS / 1000 / RESYNC_S - 2, `the resync reconciled the CR again and again (${reconciles} reconciles)`);
  assert.equal(h.failedReconciles - before.failedReconciles, 0, `no reconcile failed (last error: ${h.lastError})`);
  t.diagnostic(`${reconciles} reconciles in ${WINDOW_MS / 1000} s; requests: ${JSON.stringify(counter.samples.map((s) => `${s.verb} ${s.resource}`).reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {}))}`);
  const writes = counter.samples.filter((s) => WRITE_VERBS.has(s.verb)).map((s) => `${s.verb} ${s.resource} ${s.code}`);
  assert.deepEqual(writes, [], `writes during ${reconciles} reconciles of the converged SecretDistribution`);
  assert.equal(counter.count({ verb: 'get' }), 0, 'the source is read from its cache, not with a GET');
  assert.equal(counter.count({ verb: 'list' }), 0, 'no relist');
  assert.equal((await client.get(DIST, 'db-creds', { namespace: ns })).metadata?.generation, generation, 'the CR was not rewritten');
});

test('a change of the source reaches both copies within one resync', async () => {
  const source = await client.get(SECRET, 'database-credentials', { namespace: sourceNs });
  await client.patch(SECRET, 'database-credentials', { data: { password: b64('second'), username: null, token: b64('t') } }, { namespace: sourceNs, type: 'merge' });
  const changedAt = Date.now();
  for (const target of [teamA, teamB]) {
    await waitFor(`the copy in ${target} to follow the source`, async () => {
      const d = dataOf(await client.get(SECRET, 'database-credentials', { namespace: target }));
      return d?.password === b64('second') && d.token === b64('t') && d.username === undefined;
    }, RESYNC_S * 1000 - (Date.now() - changedAt), 50);
  }
  assert.ok(source.metadata?.resourceVersion, 'the source existed before the change');
});

test('a missing source: Ready=False naming the source and the field, no empty Secret; its creation heals the CR', async () => {
  await client.create({ ...DIST, metadata: { name: 'late', namespace: ns }, spec: { secretName: 'not-yet', targetNamespaces: [teamA] } });
  const cond = await waitFor('Ready=False', async () => {
    const c = ready(await client.get(DIST, 'late', { namespace: ns }));
    return c?.status === 'False' ? c : undefined;
  }, 20_000);
  assert.equal(cond.reason, 'SourceNotFound');
  assert.match(cond.message ?? '', new RegExp(`Secret ${sourceNs}/not-yet not found`));
  assert.match(cond.message ?? '', /onCreate\.secrets\[0\]\.fromSecret/);
  assert.equal(await getOrUndefined(client, SECRET, 'not-yet', teamA), undefined, 'no empty Secret was created');

  await client.create({ ...SECRET, metadata: { name: 'not-yet', namespace: sourceNs }, data: { key: b64('v') } });
  const copy = await waitFor('the copy once the source exists', () => getOrUndefined(client, SECRET, 'not-yet', teamA), RESYNC_S * 1000);
  assert.deepEqual(dataOf(copy), { key: b64('v') });
  await waitFor('Ready=True', async () => ready(await client.get(DIST, 'late', { namespace: ns }))?.status === 'True', 10_000);
});

test('deleting the SecretDistribution removes its copies from every namespace within 30 s', async () => {
  await client.delete(DIST, 'db-creds', { namespace: ns });
  const deletedAt = Date.now();
  for (const target of [teamA, teamB]) {
    await waitFor(`the copy in ${target} to be gone`, async () => (await getOrUndefined(client, SECRET, 'database-credentials', target)) === undefined, 30_000 - (Date.now() - deletedAt), 100);
  }
  assert.ok(await getOrUndefined(client, SECRET, 'database-credentials', sourceNs), 'the source stays');
  assert.ok(await getOrUndefined(client, SECRET, 'not-yet', teamA), 'another CR\'s copy stays');
});
