// The informer against the real control plane: recovery after the API server restarts, an
// honest 410 Gone (etcd compacted past the informer's resourceVersion) leading to a relist,
// and a 5,000-object initial list in pages. These tests run against a private kube-apiserver
// (test/support/private-apiserver.ts) on the shared etcd: killing it disturbs no other suite,
// and other suites restarting the shared API server cannot disturb these.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Informer, InformerFactory, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { startPrivateApiServer, type PrivateApiServer } from '../support/private-apiserver.ts';
import { testClient, uniqueName, waitFor } from '../support/kube.ts';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const ETCD = `http://127.0.0.1:${12379 + Number(process.env.ORK_TESTENV_PORT_OFFSET ?? 0)}`;

function configMap(ns: string, name: string, data: Record<string, string> = { v: '1' }, labels: Record<string, string> = {}): KubeObject {
  return { ...CM, metadata: { name, namespace: ns, labels }, data };
}

/** name → resourceVersion, the identity of a cache's or a list's state. */
function state(items: KubeObject[]): Map<string, string> {
  return new Map(items.map((o) => [String(o.metadata?.name), String(o.metadata?.resourceVersion)]));
}

async function serverState(client: KubeClient, ns: string): Promise<Map<string, string>> {
  return state((await client.listAll(CM, { namespace: ns })).items);
}

function sameState(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

async function etcd(path: string, body: unknown): Promise<{ header: { revision: string } }> {
  const res = await fetch(`${ETCD}${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 200, `etcd ${path}`);
  return (await res.json()) as { header: { revision: string } };
}

/** Writes, while the cluster changes, retrying until the API server answers again. */
async function changeObjects(client: KubeClient, ns: string): Promise<void> {
  const retry = <T>(fn: () => Promise<T>): Promise<NonNullable<T>> => waitFor(async () => (await fn()) ?? true, { timeoutMs: 20_000, intervalMs: 100, message: 'a write after the restart' }) as Promise<NonNullable<T>>;
  for (let i = 0; i < 3; i++) await retry(() => client.patch(CM, `cm-${i}`, { data: { v: 'changed' } }, { namespace: ns }));
  for (let i = 3; i < 6; i++) await retry(() => client.delete(CM, `cm-${i}`, { namespace: ns }));
  for (let i = 0; i < 3; i++) await retry(() => client.create(configMap(ns, `new-${i}`)));
}

/** A private API server and a client for it, both closed when the test ends. */
async function privateServer(t: TestContext): Promise<{ api: PrivateApiServer; client: KubeClient }> {
  const api = await startPrivateApiServer();
  t.after(() => api.close());
  const { client } = testClient({ path: api.kubeconfigPath });
  t.after(() => client.close());
  return { api, client };
}

/** A namespace on the private server: no cleanup needed, its whole etcd prefix is dropped. */
async function privateNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = uniqueName(`ork-${prefix}`);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

async function seed(client: KubeClient, ns: string, n: number, concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await client.create(configMap(ns, `cm-${i}`, { v: String(i) }));
      }
    }),
  );
}

test('an informer survives an API server restart and its cache equals the server within 10 s of the server coming back', async (t) => {
  const { api, client } = await privateServer(t);
  const ns = await privateNamespace(client, 'inf-restart');
  await seed(client, ns, 10);
  const informer = new Informer(client, await client.resource(CM), { namespace: ns });
  t.after(() => informer.stop());
  informer.start();
  await informer.waitForSync(10_000);
  assert.ok(sameState(state(informer.list()), await serverState(client, ns)));

  await api.kill();
  await api.start();
  const back = Date.now();
  await changeObjects(client, ns);
  const expected = await serverState(client, ns);
  await waitFor(() => sameState(state(informer.list()), expected), { timeoutMs: 10_000 - (Date.now() - back), message: 'cache == server after the restart' });
  const recoveryMs = Date.now() - back;
  // And against a fresh list taken now (nothing else writes to this namespace).
  assert.ok(sameState(state(informer.list()), await serverState(client, ns)));
  // 10 seeded - 3 deleted + 3 created, plus kube-root-ca.crt that the controller-manager adds.
  assert.equal(informer.list().filter((o) => o.metadata?.name !== 'kube-root-ca.crt').length, 10);
  assert.ok(informer.get('new-2', ns) && !informer.get('cm-4', ns));
  assert.ok(informer.stats.watches >= 2, 'a second watch was opened');
  console.error(`[kube-informer] restart: cache == server ${recoveryMs} ms after the API server was ready; stats ${JSON.stringify(informer.stats)}`);
});

test('410 Gone: etcd compacted past the informer resourceVersion forces a relist that emits the difference', async (t) => {
  const { api, client } = await privateServer(t);
  const ns = await privateNamespace(client, 'inf-gone');
  await seed(client, ns, 10);
  const informer = new Informer(client, await client.resource(CM), { namespace: ns });
  t.after(() => informer.stop());
  const events: string[] = [];
  informer.addEventHandler({
    onUpdate: (_o, n) => events.push(`update:${n.metadata?.name}`),
    onDelete: (o) => events.push(`delete:${o.metadata?.name}`),
  });
  informer.start();
  await informer.waitForSync(10_000);
  const rvBefore = Number(informer.resourceVersion);

  // With the API server down, advance etcd's revision and compact everything before it: the
  // informer's resourceVersion is now older than anything the server can resume from.
  await api.kill();
  const bump = await etcd('/v3/kv/put', { key: Buffer.from('orkestra-e2e/compaction-bump').toString('base64'), value: Buffer.from(ns).toString('base64') });
  const rev = Number(bump.header.revision);
  assert.ok(rev > rvBefore, `etcd revision ${rev} > informer resourceVersion ${rvBefore}`);
  await etcd('/v3/kv/compaction', { revision: String(rev), physical: true });
  await etcd('/v3/kv/deleterange', { key: Buffer.from('orkestra-e2e/compaction-bump').toString('base64') });
  await api.start();
  const back = Date.now();
  await changeObjects(client, ns);
  const expected = await serverState(client, ns);
  await waitFor(() => sameState(state(informer.list()), expected), { timeoutMs: 10_000, message: 'cache == server after the relist' });
  assert.ok(informer.stats.gone >= 1, `a 410 was seen: ${JSON.stringify(informer.stats)}`);
  assert.ok(informer.stats.relists >= 1, 'the informer listed again');
  for (let i = 3; i < 6; i++) assert.ok(events.includes(`delete:cm-${i}`), `delete of cm-${i} delivered`);
  for (let i = 0; i < 3; i++) assert.ok(events.includes(`update:cm-${i}`), `update of cm-${i} delivered`);
  console.error(`[kube-informer] 410: relisted, cache == server ${Date.now() - back} ms after the API server was ready; stats ${JSON.stringify(informer.stats)}`);
});

test('5,000 objects are listed in pages of 500 (10 list requests) by the client and by the informer', async (t) => {
  // Also on a private server: 5,000 objects are load the shared control plane need not carry.
  const api = await startPrivateApiServer();
  t.after(() => api.close());
  const { client, requests } = testClient({ path: api.kubeconfigPath });
  t.after(() => client.close());
  const ns = await privateNamespace(client, 'inf-5000');
  let t0 = Date.now();
  await seed(client, ns, 5000, 32);
  const seedMs = Date.now() - t0;

  requests.reset();
  t0 = Date.now();
  const all = await client.listAll(CM, { namespace: ns, pageSize: 500 });
  const listMs = Date.now() - t0;
  assert.equal(all.items.length, 5000);
  assert.equal(all.pages, 10);
  assert.equal(requests.count({ verb: 'list', resource: 'configmaps' }), 10);

  requests.reset();
  const factory = new InformerFactory(client);
  t.after(() => factory.stop());
  const informer = await factory.informer(CM, { namespace: ns });
  t0 = Date.now();
  factory.start();
  await factory.waitForSync(60_000);
  const syncMs = Date.now() - t0;
  assert.equal(informer.size, 5000);
  assert.equal(requests.count({ verb: 'list', resource: 'configmaps' }), 10, 'the initial list took 10 pages');
  assert.equal(informer.stats.listPages, 10);
  // The factory shares one informer per view; a label selector is another view.
  assert.equal(await factory.informer({ group: '', version: 'v1', resource: 'configmaps' }, { namespace: ns }), informer);
  await client.patch(CM, 'cm-7', { metadata: { labels: { pick: 'me' } } }, { namespace: ns });
  const picked = await factory.informer(CM, { namespace: ns, labelSelector: 'pick=me' });
  assert.notEqual(picked, informer);
  await picked.waitForSync(10_000);
  assert.deepEqual(picked.list().map((o) => o.metadata?.name), ['cm-7']);
  assert.deepEqual(informer.byIndex('label', 'pick=me').length, 1);
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.error(`[kube-informer] 5,000 ConfigMaps: created in ${seedMs} ms, listAll (10 pages) ${listMs} ms, informer synced in ${syncMs} ms; test process RSS ${rssMb} MB`);
});
