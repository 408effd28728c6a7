// forEach planning through the whole engine over the memory cluster: the operations a real run
// would send, per item, and the removal of a vanished item's child (and of nothing else).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../kube/index.ts';
import { MemoryCluster, type Operation } from '../memory/memory-cluster.ts';
import { APP, app, startApp } from '../unit-cluster.test-helper.ts';
import { ANNOTATION_DECLARATION } from './for-each.ts';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

interface Harness {
  cluster: MemoryCluster;
  reconcile(): Promise<string[]>;
  setSpec(spec: Record<string, unknown>): Promise<void>;
  cr(): KubeObject;
  configMaps(): KubeObject[];
  stop(): Promise<void>;
}

/** A fresh cluster with the CR `default/x`, or (`cluster` given) the one an earlier harness left. */
async function harness(operatorBox: string, spec: Record<string, unknown>, cluster?: MemoryCluster): Promise<Harness> {
  const { cluster: c, run, reconciler } = await startApp(operatorBox, [app('x', 'default', spec)], { cluster });
  const brief = (ops: Operation[]) => ops.filter((o) => o.resource !== 'apps').map((o) => `${o.verb} ${o.resource}/${o.name}`).sort();
  return {
    cluster: c,
    async reconcile() {
      c.takeOperations();
      await reconciler.reconcile('default/x');
      return brief(c.takeOperations());
    },
    async setSpec(s) {
      // A merge patch replaces lists whole; null removes a key.
      const old = Object.fromEntries(Object.keys(c.objects(APP)[0]!.spec ?? {}).map((k) => [k, null]));
      await c.patch(APP, 'x', { spec: { ...old, ...s } }, { namespace: 'default' });
    },
    cr: () => c.objects(APP)[0]!,
    configMaps: () => c.objects(CM).sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1)),
    stop: () => run.stop(),
  };
}

const errorsOf = (cr: KubeObject) => (cr.status?.errors ?? []) as { path: string; reason: string; message: string }[];

describe('forEach over the memory cluster', () => {
  it('one child per list item, with .item, .index and the as: alias in templates and when:', async () => {
    const h = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .db }}"
      forEach: {field: spec.databases, as: db}
      data: {item: "{{ .item }}", index: "{{ .index }}", alias: "{{ .db }}"}
      when: [{field: db, notEquals: skipped}]`, { databases: ['orders', 'skipped', 'users'] });
    assert.deepEqual(await h.reconcile(), ['apply configmaps/x-orders', 'apply configmaps/x-users']);
    const [orders, users] = h.configMaps();
    assert.deepEqual(orders!.data, { item: 'orders', index: '0', alias: 'orders' });
    assert.deepEqual(users!.data, { item: 'users', index: '2', alias: 'users' });
    assert.equal(users!.metadata?.annotations?.[ANNOTATION_DECLARATION], 'spec.crds.app.operatorBox.onReconcile.configMaps[0]');
    assert.deepEqual(await h.reconcile(), [], 'converged: nothing sent');
    await h.stop();
  });

  it('a map gives its sorted keys as .item and their values as .value; a template renders the list', async () => {
    const h = await harness(`onCreate:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .item }}"
      forEach: {field: "{{ .spec.sizes }}"}
      data: {size: "{{ .value }}", index: "{{ .index }}"}
    - name: "{{ .metadata.name }}-t-{{ .item.name }}"
      forEach: {field: '{{ toJson (.spec.tenants | default list) }}'}
      data: {tier: "{{ .item.tier }}"}`, { sizes: { small: 1, large: 3 }, tenants: [{ name: 'acme', tier: 'gold' }] });
    assert.deepEqual(await h.reconcile(), ['apply configmaps/x-large', 'apply configmaps/x-small', 'apply configmaps/x-t-acme']);
    assert.deepEqual(h.configMaps().map((c) => [c.metadata?.name, c.data]), [
      ['x-large', { size: '3', index: '0' }], ['x-small', { size: '1', index: '1' }], ['x-t-acme', { tier: 'gold' }],
    ]);
    await h.stop();
  });

  it('drift-corrected: the child of an item that left the list is removed, and nothing of another declaration', async () => {
    const h = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .item }}"
      forEach: {field: spec.databases}
      data: {db: "{{ .item }}"}
    - name: "{{ .metadata.name }}-other-{{ .item }}"
      forEach: {field: spec.databases}
      data: {db: "{{ .item }}"}
    - name: "{{ .metadata.name }}-plain"
      data: {a: "1"}
onCreate:
  configMaps:
    - name: "{{ .metadata.name }}-once-{{ .item }}"
      forEach: {field: spec.databases}
      data: {db: "{{ .item }}"}`, { databases: ['a', 'b'] });
    assert.equal((await h.reconcile()).length, 7);
    await h.setSpec({ databases: ['a'] });
    assert.deepEqual(await h.reconcile(), ['delete configmaps/x-b', 'delete configmaps/x-other-b'],
      'the onCreate child of b stays (create-once), like a when: turning false');
    assert.deepEqual(h.configMaps().map((c) => c.metadata?.name), ['x-a', 'x-once-a', 'x-once-b', 'x-other-a', 'x-plain']);
    await h.setSpec({});
    assert.deepEqual(await h.reconcile(), ['delete configmaps/x-a', 'delete configmaps/x-other-a'], 'a missing list is no item');
    assert.deepEqual(await h.reconcile(), []);
    await h.stop();
  });

  it('nothing is swept while a declaration fails, even one written (and applied) later: it may want the child', async () => {
    const h = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .item }}"
      forEach: {field: spec.databases}
      data: {db: "{{ .item }}"}
  deployments:
    - name: "{{ .metadata.name }}"
      image: '{{ required "spec.image" .spec.image }}'`, { databases: ['a', 'b'], image: 'nginx' });
    assert.deepEqual(await h.reconcile(), ['apply configmaps/x-a', 'apply configmaps/x-b', 'apply deployments/x']);
    await h.setSpec({ databases: ['a'] });
    assert.deepEqual(await h.reconcile(), []);
    assert.equal(errorsOf(h.cr())[0]?.reason, 'TemplateError');
    await h.setSpec({ databases: ['a'], image: 'nginx' });
    assert.deepEqual(await h.reconcile(), ['delete configmaps/x-b'], 'fixed: now the vanished item goes');
    await h.stop();
  });

  it('a Katalog edit that moves a declaration does not remove the children another one declares', async () => {
    const a = `- name: "{{ .metadata.name }}-a-{{ .item }}"
      forEach: {field: spec.items}
      data: {k: a}`;
    const b = `- name: "{{ .metadata.name }}-b-{{ .item }}"
      forEach: {field: spec.items}
      data: {k: b}`;
    const box = (first: string, second: string) => `onReconcile:\n  configMaps:\n    ${first}\n    ${second}`;
    const before = await harness(box(a, b), { items: ['1'] });
    assert.deepEqual(await before.reconcile(), ['apply configmaps/x-a-1', 'apply configmaps/x-b-1']);
    await before.stop();
    // Swapped: configMaps[0] is now b, and x-a-1 carries configMaps[0]'s path — but [1] declares it.
    const after = await harness(box(b, a), { items: ['1'] }, before.cluster);
    assert.deepEqual(await after.reconcile(), ['apply configmaps/x-a-1', 'apply configmaps/x-b-1'], 're-tagged, not deleted');
    assert.deepEqual(after.configMaps().map((c) => [c.metadata?.name, c.metadata?.annotations?.[ANNOTATION_DECLARATION]?.slice(-13)]), [
      ['x-a-1', 'configMaps[1]'], ['x-b-1', 'configMaps[0]'],
    ]);
    await after.stop();
  });

  it('two items rendering one name: a terminal error naming the field, and nothing of the kind is written', async () => {
    const h = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .item.env }}"
      forEach: {field: spec.targets}
      data: {region: "{{ .item.region }}"}`, { targets: [{ env: 'prod', region: 'eu' }, { env: 'dev', region: 'eu' }, { env: 'prod', region: 'us' }] });
    assert.deepEqual(await h.reconcile(), []);
    const [e] = errorsOf(h.cr());
    assert.equal(e?.reason, 'InvalidDeclaration');
    assert.equal(e?.path, 'spec.crds.app.operatorBox.onReconcile.configMaps[0].name');
    assert.match(e!.message, /items 0 and 2 of forEach `spec\.targets` both render the name "x-prod"/);
    assert.equal(h.configMaps().length, 0);
    await h.stop();
  });

  it('a field that is not a list or map, and a template error in one item, name the item', async () => {
    const h = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .item }}"
      forEach: {field: spec.databases}
      data: {a: "1"}`, { databases: 'orders' });
    await h.reconcile();
    assert.match(errorsOf(h.cr())[0]!.message, /forEach\.field: `spec\.databases` is the string "orders", not a list or a map/);
    await h.stop();

    const t = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-{{ .index }}"
      forEach: {field: spec.databases}
      data: {a: '{{ required "each database needs a name" .item.name }}'}`, { databases: [{ name: 'a' }, {}] });
    await t.reconcile();
    const [e] = errorsOf(t.cr());
    assert.equal(e?.reason, 'TemplateError');
    assert.match(e!.message, /configMaps\[0\]\.data\.a: forEach item 1 of `spec\.databases`: .*each database needs a name/);
    assert.equal(t.configMaps().length, 0, 'the declaration fails whole: no item written');
    await t.stop();
  });
});
