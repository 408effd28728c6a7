// A CR whose template fails gets Ready=False with the error in its status and a Warning event,
// while the other CRs of that CRD and the other CRDs keep reconciling.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { createNamespace, stopAndClean, getOrUndefined, runKatalog, testClient, waitFor } from './operator-support.ts';

const WIDGET = { apiVersion: 'isolation.orkestra.io/v1', kind: 'Widget' };
const GADGET = { apiVersion: 'isolation.orkestra.io/v1', kind: 'Gadget' };
const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const EVENT = { apiVersion: 'events.k8s.io/v1', kind: 'Event' };

let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'isolation');
  op = await runKatalog(join(import.meta.dirname, 'fixtures/isolation.katalog.yaml'), ns);
});

after(async () => {
  await stopAndClean(op, client, ns);
  client.close();
});

type Cond = { type: string; status: string; message?: string; reason?: string };
const readyOf = (o: KubeObject | undefined): Cond | undefined => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
const create = (ref: typeof WIDGET, name: string, spec: Record<string, unknown>) => client.create({ ...ref, metadata: { name, namespace: ns }, spec });
const readyStatus = async (ref: typeof WIDGET, name: string) => readyOf(await getOrUndefined(client, ref, name, ns));

test('a failing template marks only its own CR not Ready', async () => {
  await create(WIDGET, 'bad', {});
  await create(WIDGET, 'good', { color: 'red' });
  await create(GADGET, 'g1', { size: 'L' });

  const bad = await waitFor('Ready=False on the bad Widget', async () => {
    const c = await readyStatus(WIDGET, 'bad');
    return c?.status === 'False' ? c : undefined;
  });
  // A template error only an edit can fix: a reason of its own, and the problem as data.
  assert.equal(bad.reason, 'TemplateError');
  assert.match(bad.message ?? '', /spec\.color is required/);
  assert.match(bad.message ?? '', /configMaps\[0\]/, 'the message names the Katalog field');
  const errors = ((await getOrUndefined(client, WIDGET, 'bad', ns))?.status as { errors?: { path?: string; reason?: string; message?: string }[] } | undefined)?.errors ?? [];
  assert.equal(errors.length, 1, 'status.errors lists the one problem');
  assert.match(errors[0]!.path ?? '', /onCreate\.configMaps\[0\]\.data\.color$/, 'with the Katalog field it comes from');
  assert.equal(errors[0]!.reason, 'TemplateError');

  await waitFor('the good Widget Ready with its ConfigMap', async () => (await readyStatus(WIDGET, 'good'))?.status === 'True' && (await getOrUndefined(client, CONFIGMAP, 'good-cfg', ns))?.data?.color === 'red');
  await waitFor('the Gadget Ready with its ConfigMap', async () => (await readyStatus(GADGET, 'g1'))?.status === 'True' && (await getOrUndefined(client, CONFIGMAP, 'g1-gadget', ns))?.data?.size === 'L');
  assert.equal(await getOrUndefined(client, CONFIGMAP, 'bad-cfg', ns), undefined);

  const warning = await waitFor('a Warning event on the bad Widget', async () => (await client.list(EVENT, { namespace: ns })).items.find((e) => {
    const ev = e as { regarding?: { name?: string }; type?: string; reason?: string };
    return ev.regarding?.name === 'bad' && ev.type === 'Warning' ? ev : undefined;
  }));
  assert.equal((warning as { reason?: string }).reason, 'WidgetReconcileError');
});

test('while one CR keeps failing, new CRs still converge, and the failing one recovers when fixed', async () => {
  await create(WIDGET, 'late', { color: 'blue' });
  await waitFor('the late Widget Ready', async () => (await readyStatus(WIDGET, 'late'))?.status === 'True');
  assert.equal((await readyStatus(WIDGET, 'bad'))?.status, 'False');

  await client.patch(WIDGET, 'bad', { spec: { color: 'green' } }, { namespace: ns });
  await waitFor('the fixed Widget Ready', async () => (await readyStatus(WIDGET, 'bad'))?.status === 'True', 20_000);
  assert.equal((await getOrUndefined(client, CONFIGMAP, 'bad-cfg', ns))?.data?.color, 'green');
});
