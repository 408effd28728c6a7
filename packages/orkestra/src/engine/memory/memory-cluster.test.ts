// The cluster contract against the memory cluster (no control plane), plus what only the memory
// cluster offers: the operation log, seeding, explicit resync, frozen answers, speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, UnknownResourceError, isConflict, isNotFound, terminatingNamespaces } from '../../kube/index.ts';
import type { Clock } from '../ports.ts';
import { clusterContract, contractCrd, type ContractTarget } from '../cluster/contract.ts';
import { MemoryCluster, type MemoryClusterOptions } from './memory-cluster.ts';

let namespaces = 0;

async function memoryTarget(cluster: MemoryCluster): Promise<ContractTarget> {
  const group = 'contract.orkestra.dev';
  await cluster.create(contractCrd(group, 'Widget', 'widgets', true));
  await cluster.create(contractCrd(group, 'Gadget', 'gadgets', false));
  return {
    api: cluster,
    reader: cluster.reader,
    writer: cluster.writer,
    namespace: async () => {
      const name = `contract-${++namespaces}`;
      await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return name;
    },
    withStatus: { apiVersion: `${group}/v1`, kind: 'Widget' },
    withoutStatus: { apiVersion: `${group}/v1`, kind: 'Gadget' },
    writeRequests: () => cluster.writeRequests(),
    resetRequests: () => cluster.resetRequests(),
    // Everything is synchronous here: a condition that does not hold at once never will.
    waitFor: async (condition, opts) => {
      const v = await condition();
      if (!v) throw new Error(`not so at once (the memory cluster does not lag): ${opts.message}`);
      return v as NonNullable<Awaited<typeof v>>;
    },
  };
}

let current: MemoryCluster | undefined;
clusterContract('memory', {
  start: () => memoryTarget((current = new MemoryCluster())),
  stop: async () => {
    await current?.stop();
    assert.deepEqual(current?.handlerErrors, []);
  },
});

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const NS = { apiVersion: 'v1', kind: 'Namespace' };
const W = { apiVersion: 'contract.orkestra.dev/v1', kind: 'Widget' };
const fixed = (iso: string): Clock => ({ now: () => Date.parse(iso) });

async function withWidgets(opts: MemoryClusterOptions = {}): Promise<MemoryCluster> {
  const c = new MemoryCluster(opts);
  await c.create(contractCrd('contract.orkestra.dev', 'Widget', 'widgets', true));
  c.takeOperations();
  c.resetRequests();
  return c;
}

describe('memory cluster: what only it offers', () => {
  it('answers are frozen snapshots; the caller keeps its own objects', async () => {
    const c = new MemoryCluster();
    const body = { ...CM, metadata: { name: 'a', namespace: 'default', labels: { x: '1' } }, data: { k: 'v' } };
    const created = await c.create(body);
    body.data.k = 'changed by the caller';
    body.metadata.labels.x = '2';
    assert.ok(!Object.isFrozen(body), 'the caller’s object is not frozen');
    const got = await c.get(CM, 'a', { namespace: 'default' });
    assert.deepEqual([got.data, got.metadata?.labels], [{ k: 'v' }, { x: '1' }]);
    const DEPLOY = { apiVersion: 'apps/v1', kind: 'Deployment' };
    const containers = [{ name: 'web', image: 'nginx:1' }];
    await c.apply({ ...DEPLOY, metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1 } }, { fieldManager: 'm' });
    await c.apply({ ...DEPLOY, metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1, template: { spec: { containers } } } }, { fieldManager: 'm' });
    const patch = { metadata: { resourceVersion: (await c.get(DEPLOY, 'd', { namespace: 'default' })).metadata?.resourceVersion, finalizers: ['x/y'] } };
    await c.patch(DEPLOY, 'd', patch, { namespace: 'default' });
    assert.ok(patch.metadata.resourceVersion, 'the caller’s patch is left as it was');
    patch.metadata.finalizers.push('changed/by-the-caller');
    containers[0]!.image = 'changed by the caller';
    const stored = await c.get(DEPLOY, 'd', { namespace: 'default' });
    assert.equal((stored.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image, 'nginx:1');
    assert.deepEqual(stored.metadata?.finalizers, ['x/y']);
    const view = await c.reader.cache(CM, {});
    const patched = await c.patch(CM, 'a', { data: { k2: 'v2' } }, { namespace: 'default' });
    for (const o of [created, got, (await c.list(CM)).items[0]!, patched, view.get('a', 'default')!]) {
      assert.ok(Object.isFrozen(o) && Object.isFrozen(o.metadata) && Object.isFrozen(o.data), 'frozen all the way down');
      assert.throws(() => {
        (o.data as Record<string, string>).k = 'x';
      }, TypeError);
    }
  });

  it('server fields: sequential uids, creationTimestamp from the clock in seconds, a cluster-wide increasing resourceVersion', async () => {
    const c = new MemoryCluster({ clock: fixed('2026-01-01T00:00:00.789Z'), namespaces: ['default'] });
    const a = await c.create({ ...CM, metadata: { name: 'a', namespace: 'default' } });
    const b = await c.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', namespace: 'ignored' } });
    assert.equal(a.metadata?.creationTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(b.metadata?.namespace, undefined, 'a cluster-scoped object has no namespace');
    assert.notEqual(a.metadata?.uid, b.metadata?.uid);
    assert.ok(Number(b.metadata?.resourceVersion) > Number(a.metadata?.resourceVersion));
    const g = await c.create({ ...CM, metadata: { generateName: 'gen-', namespace: 'default' } });
    assert.match(g.metadata?.name ?? '', /^gen-[a-z0-9]{5}$/);
  });

  it('refusals are the server’s: missing and terminating namespaces, bad names and labels, unsupported patches, apply conflicts', async () => {
    const c = await withWidgets();
    const code = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (e instanceof ApiError ? `${e.statusCode} ${e.reason}` : String(e)));
    assert.equal(await code(c.create({ ...CM, metadata: { name: 'a', namespace: 'nowhere' } })), '404 NotFound');
    assert.equal(await code(c.create({ ...CM, metadata: { name: 'Not_A_Name', namespace: 'default' } })), '422 Invalid');
    assert.equal(await code(c.create({ ...CM, metadata: { name: 'a', namespace: 'default', labels: { x: 'no spaces' } } })), '422 Invalid');
    assert.equal(await code(c.create({ ...CM, metadata: { name: 'a', namespace: 'default' } }, { namespace: 'kube-system' })), '400 BadRequest');
    await c.create({ ...CM, metadata: { name: 'a', namespace: 'default' } });
    assert.equal(await code(c.patch(CM, 'a', [{ op: 'add', path: '/data', value: {} }], { type: 'json', namespace: 'default' })), '415 UnsupportedMediaType');
    assert.equal(await code(c.patch(CM, 'a', { data: {} }, { type: 'strategic', namespace: 'default' })), '415 UnsupportedMediaType');
    assert.equal(await code(c.patch(CM, 'a', { data: {} }, { namespace: 'default', subresource: 'status' })), '404 NotFound', 'ConfigMaps have no status subresource');
    assert.equal(await code(c.get({ apiVersion: 'v1', kind: 'Nope' }, 'a')), 'UnknownResourceError: the server has no resource for kind Nope in v1');

    await c.apply({ ...W, metadata: { name: 'w', namespace: 'default' }, spec: { size: 1 } }, { fieldManager: 'one' });
    const clash = await c.apply({ ...W, metadata: { name: 'w', namespace: 'default' }, spec: { size: 2 } }, { fieldManager: 'two' }).catch((e: unknown) => e);
    assert.ok(isConflict(clash));
    assert.match(String(clash), /conflict with "one": \.spec\.size/);
    assert.equal((await c.apply({ ...W, metadata: { name: 'w', namespace: 'default' }, spec: { size: 2 } }, { fieldManager: 'two', force: true })).spec?.size, 2, 'force takes the field over');

    await c.create({ ...CM, metadata: { name: 'held', namespace: 'default', finalizers: ['x/y'] } });
    await c.delete(NS, 'default');
    const refusal = await c.create({ ...CM, metadata: { name: 'late', namespace: 'default' } }).catch((e: unknown) => e);
    assert.deepEqual(terminatingNamespaces(refusal), ['default'], 'the kube layer reads the refusal as the real one');
    assert.ok((await c.get(NS, 'default')).metadata?.deletionTimestamp, 'the namespace waits for the held object');
    assert.equal((await c.list(CM, { namespace: 'default' })).items.map((o) => o.metadata?.name).join(), 'held');
    await c.patch(CM, 'held', { metadata: { finalizers: null } }, { namespace: 'default' });
    assert.equal(await code(c.get(NS, 'default')), '404 NotFound', 'gone with its last object');
  });

  it('the operation log and the request counts; seeding is neither', async () => {
    const c = await withWidgets();
    c.load([
      { ...W, metadata: { name: 'seeded', namespace: 'team-a', uid: 'seed-uid' }, spec: { size: 1 }, status: { phase: 'Ready' } },
    ]);
    const seeded = await c.get(W, 'seeded', { namespace: 'team-a' });
    assert.deepEqual([seeded.metadata?.uid, seeded.status?.phase], ['seed-uid', 'Ready'], 'a seed keeps its uid and status');
    assert.ok(await c.get(NS, 'team-a'), 'its namespace was created');
    assert.deepEqual(c.operations(), []);
    await c.writer.apply({ ...W, metadata: { name: 'seeded', namespace: 'team-a' }, spec: { size: 1 } }, seeded);
    await c.writer.apply({ ...W, metadata: { name: 'seeded', namespace: 'team-a' }, spec: { size: 2 } }, seeded);
    await c.writer.apply({ ...W, metadata: { name: 'seeded', namespace: 'team-a' }, spec: { size: 2 } }, undefined);
    await c.create({ ...W, metadata: { name: 'seeded', namespace: 'team-a' } }).catch(() => undefined);
    await c.writer.delete(seeded);
    const base = { apiVersion: W.apiVersion, kind: 'Widget', resource: 'widgets', namespace: 'team-a', name: 'seeded' };
    assert.deepEqual(c.takeOperations(), [
      { verb: 'apply', ...base, changed: true },
      { verb: 'apply', ...base, changed: false },
      { verb: 'create', ...base, changed: false, error: 'AlreadyExists' },
      { verb: 'delete', ...base, changed: true },
    ]);
    assert.deepEqual(c.operations(), [], 'taking clears the log');
    assert.deepEqual(c.requests(), { resource: 0, get: 2, list: 0, create: 1, apply: 2, patch: 0, patchStatus: 0, delete: 1 });
    assert.equal(c.writeRequests(), 4);
    c.events.emit(seeded, 'Normal', 'Created', 'Apply', 'created it');
    assert.deepEqual(c.takeEvents().map((e) => [e.regarding.name, e.reason, e.note]), [['seeded', 'Created', 'created it']]);
  });

  it('views: handlers run synchronously after the change, their exceptions never fail a write, resync re-delivers on request only', async () => {
    const errors: unknown[] = [];
    const c = await withWidgets({ onHandlerError: (e) => errors.push(e) });
    const quiet = await c.reader.cache(CM, { namespace: 'default' });
    const ticking = await c.reader.cache(CM, { namespace: 'default', labelSelector: 'x' }, { resyncMs: 30_000 });
    const seen: string[] = [];
    quiet.addEventHandler({ onUpdate: (o, n) => seen.push(`quiet ${o === n ? 'resync' : 'update'} ${n.metadata?.name}`) });
    ticking.addEventHandler({
      onAdd: (o) => {
        seen.push(`ticking add ${o.metadata?.name}`);
        throw new Error('a broken handler');
      },
      onUpdate: (o, n) => seen.push(`ticking ${o === n ? 'resync' : 'update'} ${n.metadata?.name}`),
    });
    const created = c.create({ ...CM, metadata: { name: 'a', namespace: 'default', labels: { x: '1' } } });
    assert.deepEqual(seen, ['ticking add a'], 'delivered before the write resolves');
    await created;
    assert.equal(errors.length, 1);
    assert.deepEqual(c.handlerErrors, errors);
    c.resync();
    assert.deepEqual(seen, ['ticking add a', 'ticking resync a'], 'only the view with a resync period');
    assert.equal(quiet.hasSynced() && ticking.hasSynced(), true);
    await quiet.stop();
    await c.patch(CM, 'a', { data: { k: 'v' } }, { namespace: 'default' });
    assert.deepEqual(seen.slice(2), ['ticking update a'], 'a stopped view hears nothing');
    quiet.start();
    assert.deepEqual(seen.slice(3), ['quiet update a'], 'a restarted view catches up');
  });

  it('a write made by a handler is delivered after the change that caused it, to every view', async () => {
    const c = new MemoryCluster();
    const a = await c.reader.cache(CM, {});
    const b = await c.reader.cache(CM, { namespace: 'default' });
    const order: string[] = [];
    a.addEventHandler({
      onAdd: (o) => {
        order.push(`a add ${o.metadata?.name}`);
        if (o.metadata?.name === 'first') void c.create({ ...CM, metadata: { name: 'second', namespace: 'default' } });
      },
      onUpdate: (_o, n) => order.push(`a update ${n.metadata?.name}`),
    });
    b.addEventHandler({ onAdd: (o) => order.push(`b add ${o.metadata?.name}`), onUpdate: (_o, n) => order.push(`b update ${n.metadata?.name}`) });
    await c.create({ ...CM, metadata: { name: 'first', namespace: 'default' } });
    assert.deepEqual(order, ['a add first', 'b add first', 'a add second', 'b add second'], 'each change once, in order');
  });

  it('CRDs: served versions share storage (presented per version); deleting the CRD removes its objects, then its kind', async () => {
    const c = new MemoryCluster();
    const crd = contractCrd('multi.orkestra.dev', 'Thing', 'things', false);
    const versions = (crd.spec as { versions: Record<string, unknown>[] }).versions;
    versions.push({ ...versions[0], name: 'v2', storage: false });
    await c.create(crd);
    const v1 = { apiVersion: 'multi.orkestra.dev/v1', kind: 'Thing' };
    const v2 = { apiVersion: 'multi.orkestra.dev/v2', kind: 'Thing' };
    await c.create({ ...v1, metadata: { name: 't', namespace: 'default', finalizers: ['x/y'] } });
    assert.equal((await c.get(v2, 't', { namespace: 'default' })).apiVersion, v2.apiVersion);
    const view = await c.reader.cache(v2, {});
    const deleted: string[] = [];
    view.addEventHandler({ onDelete: (o) => deleted.push(o.metadata?.name ?? '') });
    await c.delete(crd, 'things.multi.orkestra.dev');
    assert.ok((await c.get(crd, 'things.multi.orkestra.dev')).metadata?.deletionTimestamp, 'the CRD waits for its objects');
    assert.ok((await c.get(v1, 't', { namespace: 'default' })).metadata?.deletionTimestamp);
    await c.patch(v1, 't', { metadata: { finalizers: [] } }, { namespace: 'default' });
    assert.deepEqual(deleted, ['t']);
    await assert.rejects(c.reader.resource(v1), UnknownResourceError);
    await assert.rejects(c.get(crd, 'things.multi.orkestra.dev'), (e: unknown) => isNotFound(e));
    await assert.rejects(c.create({ ...crd, metadata: { name: 'wrong.name' } }), /must be spec.names.plural/);
  });

  it('registerKind serves a kind without a CRD; Foreground deletion removes dependents before the owner', async () => {
    const c = new MemoryCluster();
    c.registerKind({ group: 'x.dev', version: 'v1', resource: 'things', kind: 'Thing', namespaced: false, verbs: [], subresources: [] });
    const owner = await c.create({ apiVersion: 'x.dev/v1', kind: 'Thing', metadata: { name: 'o' } });
    await c.create({ ...CM, metadata: { name: 'd', namespace: 'default', ownerReferences: [{ apiVersion: 'x.dev/v1', kind: 'Thing', name: 'o', uid: owner.metadata!.uid! }] } });
    const order: string[] = [];
    for (const ref of [CM, { apiVersion: 'x.dev/v1', kind: 'Thing' }]) (await c.reader.cache(ref, {})).addEventHandler({ onDelete: (o) => order.push(o.metadata?.name ?? '') });
    await c.delete({ apiVersion: 'x.dev/v1', kind: 'Thing' }, 'o', { propagationPolicy: 'Foreground' });
    assert.deepEqual(order, ['d', 'o']);
  });

  it('speed: 1,000 CRs × 3 cycles of two child applies and a status write, through views and the writer', async () => {
    const c = await withWidgets();
    const t0 = performance.now();
    const crs = await c.reader.cache(W, {});
    const managed = { labelSelector: 'app.kubernetes.io/managed-by=orkestra' };
    const cms = await c.reader.cache(CM, managed);
    const deps = await c.reader.cache({ apiVersion: 'apps/v1', kind: 'Deployment' }, managed);
    c.load(Array.from({ length: 1000 }, (_, i) => ({ ...W, metadata: { name: `w${i}`, namespace: `ns${i % 10}` }, spec: { size: i % 3, image: 'nginx:1.27' } })));
    for (let cycle = 0; cycle < 3; cycle++) {
      for (const cr of crs.list()) {
        const m = cr.metadata!;
        const labels = { 'app.kubernetes.io/managed-by': 'orkestra', 'app.kubernetes.io/instance': m.name! };
        const ownerReferences = [{ apiVersion: W.apiVersion, kind: W.kind, name: m.name!, uid: m.uid!, controller: true }];
        const meta = { name: m.name!, namespace: m.namespace, labels, ownerReferences };
        await c.writer.apply({ ...CM, metadata: meta, data: { size: String(cr.spec?.size) } }, cms.get(m.name!, m.namespace));
        const containers = [{ name: 'web', image: cr.spec?.image, ports: [{ containerPort: 80 }], env: [{ name: 'A', value: String(cycle > 1 ? 2 : 1) }] }];
        await c.writer.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers } } } }, deps.get(m.name!, m.namespace));
        await c.writer.applyStatus(crs.get(m.name!, m.namespace)!, { observedGeneration: m.generation, ready: true });
      }
      c.resync();
    }
    const ms = performance.now() - t0;
    const ops = c.operations();
    assert.equal(ops.length, 4000, 'cycle 1: 3,000 writes; cycle 2: none; cycle 3: 1,000 Deployment changes');
    assert.equal(cms.list().length + deps.list().length, 2000);
    console.error(`[memory-cluster] 1,000 CRs × 3 cycles (${ops.length} writes, 9,000 writer calls): ${ms.toFixed(0)} ms`);
    assert.ok(ms < 5_000, `took ${ms.toFixed(0)} ms`);
  });
});
