// A CRD deleted under a running operator, for real: its box turns waiting (health 503, metrics,
// log lines spaced like the informer's backoff), /readyz stays 200, and once the CRD is
// re-created the box comes back by itself and reconciles CRs created after that.
// The CRD has a group of its own so that no other test sees it go.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { isNotFound, type KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { startOperator, type RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { crdFromApiTypes } from '../../packages/orkestra/src/engine/crds.ts';
import { sum } from '../../packages/orkestra/src/api/prom-text.ts';
import { kubeconfigPath } from '../../testenv/cluster.ts';
import { createNamespace, getOrUndefined, stopAndClean, testClient, waitFor } from './operator-support.ts';
import { getJson, scrape, type LogLine } from './operability-support.ts';

const CRD_TYPE = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };
const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const GROUP = `gone-${randomBytes(3).toString('hex')}.orkestra.io`;
const THING = { apiVersion: `${GROUP}/v1`, kind: 'Thing' };
const CRD_NAME = `things.${GROUP}`;
const NOT_SERVED = /resource (no longer|still not) served/;

let client: KubeClient;
let ns: string;
let dir: string;
let op: RunningOperator;
let url: string;
const lines: LogLine[] = [];

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'crd-gone');
  dir = await mkdtemp(join(tmpdir(), 'crd-gone-'));
  const katalog = join(dir, 'katalog.yaml');
  await writeFile(katalog, `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: { name: crd-gone }
spec:
  crds:
    thing:
      apiTypes: { group: ${GROUP}, version: v1, kind: Thing, plural: things }
      operatorBox:
        onCreate:
          configMaps:
            - name: "{{ .metadata.name }}-cfg"
              data: { owner: "{{ .metadata.name }}" }
`);
  // The log as the process writes it, kept whole: the test reads the spacing of its lines.
  const sink = { write: (s: string) => { for (const l of s.split('\n')) if (l.trim()) lines.push(JSON.parse(l) as LogLine); } };
  op = await startOperator({ katalog, kubeconfig: kubeconfigPath, namespace: ns, installCrds: true, api: { port: 0 }, logger: pino({ level: 'info' }, sink) });
  url = op.api!.url;
});

after(async () => {
  // Whatever the test left: the CRD back (so the operator can finalize its CRs), then all gone.
  if (!(await getOrUndefined(client, CRD_TYPE, CRD_NAME))) await createCrd().catch(() => undefined);
  await stopAndClean(op, client, ns).catch(() => undefined);
  await client.delete(CRD_TYPE, CRD_NAME).catch((e) => { if (!isNotFound(e)) throw e; });
  await rm(dir, { recursive: true, force: true });
  client.close();
});

async function createCrd(): Promise<void> {
  const crd = crdFromApiTypes(op.katalog.crds[0]!);
  await client.create(crd);
  await waitFor('the CRD Established', async () => {
    const c = await client.get(CRD_TYPE, CRD_NAME);
    return ((c.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((x) => x.type === 'Established' && x.status === 'True');
  }, 30_000);
}

async function thingWithChild(name: string, timeoutMs: number): Promise<KubeObject> {
  await client.create({ ...THING, metadata: { name, namespace: ns }, spec: {} });
  return waitFor(`the ConfigMap of ${name}`, () => getOrUndefined(client, CONFIGMAP, `${name}-cfg`, ns), timeoutMs);
}

type Health = { state: string; healthy: boolean; crdServed: boolean; crdMissingSince?: string; lastError?: string };

test('a deleted CRD degrades its box with a backed-off log; re-created, the box recovers and reconciles new CRs', async () => {
  const cm = await thingWithChild('before', 20_000);
  assert.equal(cm.data?.owner, 'before');
  assert.equal((await getJson(url, '/katalog/thing/health')).status, 200);

  // Deleting the CRD deletes its CRs first (the operator removes its finalizer), then the CRD.
  const deletedAt = Date.now();
  await client.delete(CRD_TYPE, CRD_NAME);
  await waitFor('the CRD gone', async () => !(await getOrUndefined(client, CRD_TYPE, CRD_NAME)), 60_000, 100);
  const goneAt = Date.now();
  const h = await waitFor('health 503', async () => {
    const r = await getJson<Health>(url, '/katalog/thing/health');
    return r.status === 503 ? r.body : undefined;
  }, 15_000, 100);
  const unhealthyAt = Date.now();
  console.log(`# CRD deletion took ${goneAt - deletedAt} ms; health 503 ${unhealthyAt - goneAt} ms after the CRD was gone`);
  assert.equal(h.state, 'waiting');
  assert.equal(h.healthy, false);
  assert.equal(h.crdServed, false);
  assert.ok(h.crdMissingSince);
  assert.match(h.lastError ?? '', new RegExp(`CRD ${CRD_NAME.replace(/\./g, '\\.')} is no longer served: .*404`));

  const m = await scrape(url);
  assert.equal(sum(m, 'orkestra_crd_served', { crd: 'thing' }), 0);
  assert.equal(sum(m, 'orkestra_crd_healthy', { crd: 'thing' }), 0);
  assert.equal(sum(m, 'orkestra_crd_state', { crd: 'thing', state: 'waiting' }), 1);
  // Decision: one missing CRD does not make the process unready (see docs/operations.md).
  const ready = await getJson<{ waiting: string[]; watches: { informer: string; missing?: boolean }[] }>(url, '/readyz');
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body.waiting, ['thing']);
  assert.ok(ready.body.watches.some((w) => w.missing && w.informer.startsWith(CRD_NAME)));

  // The log: one line per backoff step (1 s, 2 s, 4 s …), not one per second or per informer.
  const notServed = await waitFor('four not-served log lines', () => {
    const l = lines.filter((x) => NOT_SERVED.test(x.msg));
    return l.length >= 4 ? l : undefined;
  }, 30_000, 100);
  const window = Date.now() - notServed[0].time;
  const steps = notServed.map((l) => ({ at: l.time, attempt: Number(l.attempt), retryInMs: Number(l.retryInMs) }));
  console.log(`# not-served lines over ${window} ms: ${steps.map((s) => `+${s.at - steps[0].at}ms (attempt ${s.attempt}, next in ${s.retryInMs} ms)`).join(', ')}`);
  assert.deepEqual(steps.map((s) => s.attempt), steps.map((_, i) => i + 1), 'one line per step, none repeated');
  for (let i = 1; i < steps.length; i++) {
    const gap = steps[i].at - steps[i - 1].at;
    assert.ok(gap >= steps[i - 1].retryInMs - 50, `line ${i} came ${gap} ms after the previous one, which announced ${steps[i - 1].retryInMs} ms`);
    assert.ok(steps[i].retryInMs > steps[i - 1].retryInMs, 'the steps grow');
  }
  assert.ok(steps[0].retryInMs >= 1_000);
  // ~1 + 2 + 4 s of retries are at most 4 lines; a line per second would be 7 or more.
  assert.ok(notServed.length <= Math.ceil(Math.log2(window / 1000 + 1)) + 1, `${notServed.length} lines in ${window} ms`);
  assert.equal(lines.filter((x) => x.msg === 'watch error; retrying').length, 0, 'the 404s are not logged as ordinary watch errors');

  // Re-created: the informer relists at its next step and the box is healthy again.
  await createCrd();
  const recreatedAt = Date.now();
  await waitFor('health 200 again', async () => (await getJson(url, '/katalog/thing/health')).status === 200, 45_000, 100);
  const healthyAt = Date.now();
  console.log(`# health 200 ${healthyAt - recreatedAt} ms after the CRD was re-created (at most the backoff step then: ${steps.at(-1)!.retryInMs} ms or the next)`);
  assert.ok(lines.some((l) => l.msg === 'resource served again; relisted' && l.resource === CRD_NAME));
  const after = await getJson<Health>(url, '/katalog/thing/health');
  assert.equal(after.body.crdServed, true);
  assert.equal(after.body.crdMissingSince, undefined);
  assert.equal(sum(await scrape(url), 'orkestra_crd_served', { crd: 'thing' }), 1);

  const t = Date.now();
  const cm2 = await thingWithChild('after', 20_000);
  console.log(`# a CR created after the re-creation got its child in ${Date.now() - t} ms`);
  assert.equal(cm2.data?.owner, 'after');
  assert.equal((await getJson(url, '/readyz')).status, 200);
});
