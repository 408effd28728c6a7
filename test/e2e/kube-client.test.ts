// The dynamic client, apply helper and events recorder against the real control plane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Applier, ApiError, ConnectionError, EventRecorder, Informer, KubeClient, isNotFound, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { testClient, testNamespace, uniqueName, waitFor } from '../support/kube.ts';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

function deployment(ns: string, name: string, replicas: number, image = 'nginx:1.27'): KubeObject {
  return {
    ...DEPLOYMENT,
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'web',
              image,
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [
                { name: 'B', value: '2' },
                { name: 'A', value: '1' },
              ],
              resources: { requests: { cpu: '0.1', memory: '64Mi' }, limits: { cpu: 1 } },
            },
          ],
        },
      },
    },
  };
}

test('CRUD, merge/JSON patch, server-side apply, delete with propagation, typed errors', async (t) => {
  const { client, requests } = testClient();
  t.after(() => client.close());
  const ns = await testNamespace(t, client, 'client-crud');
  const created = await client.create({ ...CM, metadata: { name: 'a', namespace: ns }, data: { x: '1' } });
  assert.ok(created.metadata?.uid);
  const got = await client.get(CM, 'a', { namespace: ns });
  assert.equal(got.metadata?.resourceVersion, created.metadata?.resourceVersion);
  const merged = await client.patch(CM, 'a', { data: { y: '2' } }, { namespace: ns });
  assert.deepEqual(merged.data, { x: '1', y: '2' });
  const jsonPatched = await client.patch(CM, 'a', [{ op: 'remove', path: '/data/x' }], { namespace: ns, type: 'json' });
  assert.deepEqual(jsonPatched.data, { y: '2' });
  const replaced = await client.replace({ ...jsonPatched, data: { z: '3' } });
  assert.deepEqual(replaced.data, { z: '3' });
  // A stale resourceVersion on replace is a Conflict.
  await assert.rejects(client.replace({ ...jsonPatched, data: { stale: '1' } }), (e) => e instanceof ApiError && e.statusCode === 409 && e.reason === 'Conflict');
  const applied = await client.apply({ ...CM, metadata: { name: 'b', namespace: ns }, data: { k: 'v' } }, { fieldManager: 'orkestra-e2e' });
  assert.equal(applied.metadata?.managedFields?.length, 1);
  await assert.rejects(client.create({ ...CM, metadata: { name: 'b', namespace: ns } }), (e) => e instanceof ApiError && e.reason === 'AlreadyExists');
  await client.delete(CM, 'b', { namespace: ns, propagationPolicy: 'Background', preconditions: { uid: applied.metadata?.uid } });
  await waitFor(async () => {
    try {
      await client.get(CM, 'b', { namespace: ns });
      return false;
    } catch (e) {
      return isNotFound(e);
    }
  }, { timeoutMs: 10_000, message: 'b deleted' });
  const err = await client.get(CM, 'missing', { namespace: ns }).catch((e: unknown) => e);
  assert.ok(err instanceof ApiError && err.statusCode === 404 && err.reason === 'NotFound');
  assert.match(String(err), /configmaps "missing" not found/);
  assert.ok(requests.count({ verb: 'apply', resource: 'configmaps' }) === 1);
  assert.ok(requests.matching({ resource: 'configmaps' }).every((s) => s.durationMs >= 0));

  // An unreachable server is a ConnectionError with a sentence the CLI can print.
  const nowhere = KubeClient.fromKubeConfig({ access: { ...client.transport.access, server: 'https://127.0.0.1:1' } });
  const e2 = await nowhere.list(CM).catch((e: unknown) => e);
  assert.ok(e2 instanceof ConnectionError);
  assert.match(e2.message, /^cannot reach the cluster at https:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
  nowhere.close();
});

test('a CRD installed after start is found by discovery; status subresource patch and apply work', async (t) => {
  const { client } = testClient();
  t.after(() => client.close());
  const ns = await testNamespace(t, client, 'client-crd');
  // Warm the discovery cache for the group before the CRD exists: the miss must refresh it.
  const group = `${uniqueName('e2e')}.orkestra.dev`;
  await assert.rejects(client.resource({ apiVersion: `${group}/v1`, kind: 'Widget' }), /no resource for kind Widget/);
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
        },
      ],
    },
  };
  await client.create(crd);
  t.after(() => client.delete(crd, crd.metadata.name).then(() => undefined));
  const WIDGET = { apiVersion: `${group}/v1`, kind: 'Widget' };
  const info = await waitFor(() => client.resource(WIDGET), { timeoutMs: 20_000, message: 'the Widget resource in discovery' });
  assert.deepEqual([info.resource, info.namespaced, info.subresources], ['widgets', true, ['status']]);
  const w = await waitFor(() => client.create({ ...WIDGET, metadata: { name: 'w1', namespace: ns }, spec: { size: 1 } }), { timeoutMs: 20_000, message: 'a Widget created' });
  const applier = new Applier(client, { fieldManager: 'orkestra-e2e' });
  const s1 = await applier.applyStatus(w, { phase: 'Ready', observedGeneration: 1 });
  assert.equal(s1.changed, true);
  assert.deepEqual(s1.object.status, { phase: 'Ready', observedGeneration: 1 });
  assert.deepEqual((await client.get(WIDGET, 'w1', { namespace: ns })).spec, { size: 1 }, 'the status patch left spec alone');
  const s2 = await applier.applyStatus(s1.object, { phase: 'Ready', observedGeneration: 1 });
  assert.equal(s2.changed, false);
  const viaSsa = await client.applyStatus({ ...WIDGET, metadata: { name: 'w1', namespace: ns }, status: { phase: 'Degraded' } }, { fieldManager: 'orkestra-status', force: true });
  assert.equal((viaSsa.status as { phase: string }).phase, 'Degraded');
});

test('apply helper: the same desired object twice sends no request the second time; a real change costs exactly one', async (t) => {
  const { client, requests } = testClient();
  t.after(() => client.close());
  const ns = await testNamespace(t, client, 'client-apply');
  const informer = new Informer(client, await client.resource(DEPLOYMENT), { namespace: ns });
  t.after(() => informer.stop());
  informer.start();
  await informer.waitForSync(10_000);
  const applier = new Applier(client, { fieldManager: 'orkestra-e2e' });
  const desired = deployment(ns, 'web', 1);

  const first = await applier.apply(desired, informer.get('web', ns));
  assert.equal(first.changed, true);
  // Wait until the cache has caught up with everything the server did to it (defaults, status).
  await waitFor(() => informer.get('web', ns)?.metadata?.resourceVersion === first.object.metadata?.resourceVersion || (informer.get('web', ns)?.metadata?.generation ?? 0) >= 1, { timeoutMs: 10_000, message: 'web in the cache' });

  requests.reset();
  const second = await applier.apply(desired, informer.get('web', ns));
  assert.equal(second.changed, false);
  assert.equal(requests.count(), 0, 'no request at all for an unchanged object');

  const changedImage = deployment(ns, 'web', 1, 'nginx:1.28');
  const third = await applier.apply(changedImage, informer.get('web', ns));
  assert.equal(third.changed, true);
  assert.equal(third.difference?.path, 'spec.template.spec.containers[name=web].image');
  assert.equal(requests.count(), 1, 'exactly one request for a real change');
  assert.equal(requests.count({ verb: 'apply', resource: 'deployments.apps', code: 200 }), 1);
  await waitFor(() => informer.get('web', ns)?.metadata?.generation === third.object.metadata?.generation, { timeoutMs: 10_000, message: 'the change in the cache' });
  requests.reset();
  assert.equal((await applier.apply(changedImage, informer.get('web', ns))).changed, false);
  assert.equal(requests.count(), 0);
});

test('apply helper on a cache behind our own writes: the repeat costs a request but is not reported as a change', async (t) => {
  const { client, requests } = testClient();
  t.after(() => client.close());
  const ns = await testNamespace(t, client, 'client-stale');
  const applier = new Applier(client, { fieldManager: 'orkestra-e2e' });
  const cm = (name: string, value: string): KubeObject => ({ ...CM, metadata: { name, namespace: ns }, data: { k: value } });

  // A create the cache has not seen yet: both applies see no live object.
  assert.equal((await applier.apply(cm('fresh', 'a'), undefined)).changed, true);
  requests.reset();
  const repeat = await applier.apply(cm('fresh', 'a'), undefined);
  assert.equal(requests.count({ verb: 'apply', code: 200 }), 1);
  assert.equal(repeat.changed, false, 'the server answered with the version we had already written');

  // Someone else's edit in the cache; our correction is a change, its repeat on the same stale
  // cache is not, and a further real change is.
  const edited = await client.create(cm('edited', 'theirs'));
  assert.equal((await applier.apply(cm('edited', 'ours'), edited)).changed, true);
  assert.equal((await applier.apply(cm('edited', 'ours'), edited)).changed, false);
  assert.equal((await applier.apply(cm('edited', 'again'), edited)).changed, true);
});

test('a Deployment reaches readyReplicas == replicas (controller-manager, scheduler, kwok)', async (t) => {
  const { client } = testClient();
  t.after(() => client.close());
  const ns = await testNamespace(t, client, 'client-deploy');
  const t0 = Date.now();
  const created = await client.apply(deployment(ns, 'ready', 3), { fieldManager: 'orkestra-e2e' });
  assert.equal(created.status?.readyReplicas, undefined, 'a new Deployment is not ready yet');
  const d = await waitFor(
    async () => {
      const o = (await client.get(DEPLOYMENT, 'ready', { namespace: ns })) as KubeObject & { status?: { readyReplicas?: number } };
      return o.status?.readyReplicas === 3 ? o : undefined;
    },
    // Seconds on a quiet cluster; other suites' load on the shared controller-manager can stretch it.
    { timeoutMs: 120_000, intervalMs: 200, message: 'readyReplicas == 3' },
  );
  assert.equal((d.spec as { replicas: number }).replicas, 3);
  const pods = await client.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: ns, labelSelector: 'app=ready' });
  assert.equal(pods.items.length, 3);
  console.error(`[kube-client] Deployment ready (3/3) ${Date.now() - t0} ms after the apply was sent`);
});

test('events: repeats of one event become one events.k8s.io Event with a series', async (t) => {
  const { client } = testClient();
  t.after(() => client.close());
  const ns = await testNamespace(t, client, 'client-events');
  const cm = await client.create({ ...CM, metadata: { name: 'subject', namespace: ns } });
  const rec = new EventRecorder(client, { reportingController: 'orkestra.dev/e2e', reportingInstance: 'e2e-1', seriesFlushMs: 50 });
  for (let i = 0; i < 4; i++) await rec.record(cm, { type: 'Warning', reason: 'ApplyFailed', action: 'Apply', note: 'the same failure' });
  await rec.record(cm, { type: 'Normal', reason: 'Applied', action: 'Apply', note: 'something else' });
  await rec.flush();
  const EVENT = { apiVersion: 'events.k8s.io/v1', kind: 'Event' };
  const events = await waitFor(
    async () => {
      const l = await client.list(EVENT, { namespace: ns });
      const failed = l.items.filter((e) => e.reason === 'ApplyFailed');
      return l.items.length === 2 && (failed[0]?.series as { count?: number } | undefined)?.count === 4 ? l.items : undefined;
    },
    { timeoutMs: 10_000, message: 'two Events, one with series.count 4' },
  );
  const failed = events.find((e) => e.reason === 'ApplyFailed')!;
  assert.equal((failed.regarding as { uid: string }).uid, cm.metadata?.uid);
  assert.equal(failed.reportingController, 'orkestra.dev/e2e');
  assert.equal(failed.type, 'Warning');
  assert.deepEqual(rec.stats, { created: 2, seriesUpdates: rec.stats.seriesUpdates, dropped: 0, failed: 0 });
  assert.ok(rec.stats.seriesUpdates >= 1);
});
