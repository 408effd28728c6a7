// The reconciler over the in-memory cluster, with an injected clock: no control plane. Each test
// drives reconciles by hand and reads the memory cluster's operation log, so it sees exactly the
// requests a real run would send.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../kube/index.ts';
import { MemoryCluster, type Operation } from './memory/memory-cluster.ts';
import { crdFromApiTypes } from './crds.ts';
import { APP, app, appKatalog, manualClock, startApp } from './unit-cluster.test-helper.ts';
import { FINALIZER } from './operator-box.ts';
import type { Reconciler } from './reconciler.ts';

interface Harness {
  cluster: MemoryCluster;
  clock: { t: number; now(): number };
  reconciler: Reconciler;
  reconcile(name?: string): Promise<Operation[]>;
  cr(name?: string): KubeObject;
  stop(): Promise<void>;
}

async function harness(operatorBox: string, crs: { name: string; spec: Record<string, unknown> }[]): Promise<Harness> {
  const clock = manualClock();
  const { cluster, run, reconciler } = await startApp(operatorBox, crs.map((c) => app(c.name, 'default', c.spec)), { clock });
  return {
    cluster, clock, reconciler,
    async reconcile(name = crs[0]!.name) {
      cluster.takeOperations();
      await reconciler.reconcile(`default/${name}`);
      return cluster.takeOperations();
    },
    cr: (name = crs[0]!.name) => cluster.objects(APP).find((o) => o.metadata?.name === name)!,
    stop: () => run.stop(),
  };
}

const brief = (ops: Operation[]) => ops.map((o) => `${o.verb} ${o.resource}/${o.name}${o.changed ? '' : ' (unchanged)'}`);
const ready = (o: KubeObject) => (o.status?.conditions as { type: string; status: string; reason: string; message: string }[] | undefined)?.find((c) => c.type === 'Ready');

describe('reconciler over the memory cluster', () => {
  it('converges with one write per child, then costs nothing; drift is corrected with one apply', async () => {
    const h = await harness(`onCreate:
  deployments:
    - name: "{{ .metadata.name }}"
      image: nginx
      replicas: "{{ .spec.replicas }}"
      reconcile: true`, [{ name: 'a', spec: { replicas: 2 } }]);
    assert.deepEqual(brief(await h.reconcile()), ['patch apps/a', 'apply deployments/a', 'patchStatus apps/a']);
    assert.equal(h.cr().metadata?.finalizers?.[0], FINALIZER);
    assert.equal(ready(h.cr())?.status, 'True');
    assert.deepEqual(await h.reconcile(), [], 'a converged CR sends nothing');

    // Someone scales the Deployment by hand.
    const dep = h.cluster.objects({ apiVersion: 'apps/v1', kind: 'Deployment' })[0]!;
    await h.cluster.patch(dep, 'a', { spec: { replicas: 5 } }, { namespace: 'default' });
    h.cluster.takeEvents();
    assert.deepEqual(brief(await h.reconcile()), ['apply deployments/a']);
    assert.equal(h.cluster.objects({ apiVersion: 'apps/v1', kind: 'Deployment' })[0]!.spec?.replicas, 2);
    assert.ok(h.cluster.takeEvents().some((e) => e.reason === 'DriftCorrected' && /spec\.replicas/.test(e.note)));
    assert.deepEqual(await h.reconcile(), []);
    await h.stop();
  });

  it('a when: that flips removes the child it gated and creates the other', async () => {
    const h = await harness(`onReconcile:
  configMaps:
    - name: "{{ .metadata.name }}-debug"
      data: {env: "{{ .spec.environment }}"}
      when: [{field: spec.environment, notEquals: production}]
  services:
    - name: "{{ .metadata.name }}-lb"
      type: LoadBalancer
      port: 80
      when: [{field: spec.environment, equals: production}]`, [{ name: 'shop', spec: { environment: 'staging' } }]);
    assert.deepEqual(brief(await h.reconcile()).filter((o) => !o.includes('apps/')), ['apply configmaps/shop-debug']);
    await h.cluster.patch(APP, 'shop', { spec: { environment: 'production' } }, { namespace: 'default' });
    const ops = brief(await h.reconcile()).filter((o) => !o.includes('apps/'));
    assert.deepEqual(ops.sort(), ['apply services/shop-lb', 'delete configmaps/shop-debug']);
    assert.deepEqual(h.cluster.objects({ apiVersion: 'v1', kind: 'ConfigMap' }).map((o) => o.metadata?.name), []);
    await h.stop();
  });

  it('once + rotateAfter: created once, kept until the period passes on the injected clock, then rotated with new values', async () => {
    const h = await harness(`onCreate:
  secrets:
    - name: "{{ .metadata.name }}-creds"
      stringData: {password: "{{ randomAlphanumeric 24 }}"}
      once: true
      rotateAfter: 1h`, [{ name: 'db', spec: {} }]);
    const secret = () => h.cluster.objects({ apiVersion: 'v1', kind: 'Secret' })[0]!;
    assert.deepEqual(brief(await h.reconcile()).filter((o) => o.includes('secrets')), ['apply secrets/db-creds']);
    const first = secret().data?.password;
    h.clock.t += 30 * 60_000;
    assert.deepEqual(await h.reconcile(), [], 'half-way through the period: nothing');
    assert.equal(secret().data?.password, first);
    h.clock.t += 31 * 60_000;
    assert.deepEqual(brief(await h.reconcile()).filter((o) => o.includes('secrets')), ['apply secrets/db-creds']);
    assert.notEqual(secret().data?.password, first, 'the rotation renders fresh random values');
    assert.equal(secret().metadata?.annotations?.['orkestra.orkspace.io/generated-at'], new Date(h.clock.t).toISOString());
    assert.deepEqual(await h.reconcile(), [], 'and then keeps them');
    await h.stop();
  });

  it('deletion: the onDelete Job runs first; only when it finished do the children and the finalizer go', async () => {
    const h = await harness(`onCreate:
  configMaps:
    - name: "{{ .metadata.name }}-cfg"
      data: {a: "1"}
onDelete:
  jobs:
    - name: "{{ .metadata.name }}-teardown"
      image: busybox`, [{ name: 'x', spec: {} }]);
    await h.reconcile();
    await h.cluster.delete(APP, 'x', { namespace: 'default' });
    assert.ok(h.cr().metadata?.deletionTimestamp, 'held by the finalizer');
    const first = brief(await h.reconcile());
    assert.deepEqual(first, ['apply jobs/x-teardown'], 'the Job, and nothing deleted yet');
    assert.deepEqual(brief(await h.reconcile()), [], 'the Job runs: wait');
    assert.equal(h.cluster.objects({ apiVersion: 'v1', kind: 'ConfigMap' }).length, 1);
    const job = h.cluster.objects({ apiVersion: 'batch/v1', kind: 'Job' })[0]!;
    assert.equal(job.metadata?.ownerReferences, undefined, 'an onDelete Job outlives its CR');
    await h.cluster.patchStatus(job, { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    const last = brief(await h.reconcile());
    assert.deepEqual(last.slice(-1), ['patch apps/x'], 'the finalizer goes last');
    assert.deepEqual(last.slice(0, -1).sort(), ['delete configmaps/x-cfg', 'delete jobs/x-teardown']);
    assert.equal(h.cr(), undefined, 'the CR is gone');
    await h.stop();
  });

  it('a template error is terminal: Ready=False with its reason, status.errors with the field, one event, no retry; an API error is retried', async () => {
    const h = await harness(`onCreate:
  configMaps:
    - name: "{{ .metadata.name }}-cfg"
      data: {color: '{{ required "spec.color is required" .spec.color }}'}
    - name: "{{ .metadata.name }}-elsewhere"
      namespace: "{{ .spec.target }}"
      data: {a: "1"}`, [{ name: 'bad', spec: { target: 'default' } }, { name: 'lost', spec: { color: 'red', target: 'no-such-namespace' } }]);
    h.cluster.takeEvents();
    const outcome = await h.reconciler.reconcile('default/bad');
    assert.ok(outcome && 'failed' in outcome && outcome.failed, 'counted as failed, not thrown: no backoff retry');
    const r = ready(h.cr('bad'))!;
    assert.equal(r.status, 'False');
    assert.equal(r.reason, 'TemplateError');
    const errors = h.cr('bad').status?.errors as { path: string; reason: string }[];
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.path, /onCreate\.configMaps\[0\]\.data\.color$/);
    assert.equal(h.cluster.objects({ apiVersion: 'v1', kind: 'ConfigMap' }).length, 0, 'nothing of its kind is written');
    await h.reconciler.reconcile('default/bad');
    assert.equal(h.cluster.takeEvents().filter((e) => e.type === 'Warning').length, 1, 'the same problem again: no second event');
    assert.equal(h.reconciler.last.get('default/bad')?.terminal, true);

    await assert.rejects(h.reconciler.reconcile('default/lost'), /no-such-namespace/, 'a refusal of the API server is thrown: the pool retries with backoff');
    assert.equal(ready(h.cr('lost'))?.reason, 'ReconcileError');
    assert.equal(h.reconciler.last.get('default/lost')?.terminal, false);

    await h.cluster.patch(APP, 'bad', { spec: { color: 'blue' } }, { namespace: 'default' });
    await h.reconcile('bad');
    assert.equal(ready(h.cr('bad'))?.status, 'True', 'the edit fixes it');
    assert.equal(h.cr('bad').status?.errors, undefined, 'and the list of problems is gone');
    await h.stop();
  });

  it('a CRD without the status subresource converges: no observedGeneration, no write on the next reconcile', async () => {
    const box = `status:
  fields:
    - {path: copies, value: "2", type: int}
onCreate:
  configMaps:
    - name: "{{ .metadata.name }}-cfg"
      data: {a: "1"}`;
    const crd = crdFromApiTypes(appKatalog(box).crds[0]!) as { spec: { versions: { subresources?: unknown }[] } };
    for (const v of crd.spec.versions) delete v.subresources;
    const cluster = new MemoryCluster();
    cluster.load([crd as KubeObject, app('plain', 'default', {})]);
    const { run, reconciler: rec } = await startApp(box, [], { cluster });
    await rec.reconcile('default/plain');
    const cr = cluster.objects(APP)[0]!;
    assert.equal(cr.status?.copies, 2);
    assert.equal(cr.status?.observedGeneration, undefined);
    cluster.takeOperations();
    for (let i = 0; i < 5; i++) await rec.reconcile('default/plain');
    assert.deepEqual(cluster.takeOperations(), [], 'no write loop');
    await run.stop();
  });
});
