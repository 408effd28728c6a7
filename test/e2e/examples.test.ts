// Each runnable example under examples/ (the seed README's sections) against the real control
// plane: conditional provisioning, declarative status, environment from Secrets/ConfigMaps,
// and the Job state machine.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { repoDir } from '../../testenv/cluster.ts';
import { createNamespace, stopAndClean, getOrUndefined, runKatalog, testClient, waitFor } from './operator-support.ts';

const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const SECRET = { apiVersion: 'v1', kind: 'Secret' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const JOB = { apiVersion: 'batch/v1', kind: 'Job' };

let client: KubeClient;
before(() => { client = testClient(); });
after(() => client.close());

/** Runs one example's Katalog in its own namespace for the tests of a describe block. */
function exampleEnv(example: string) {
  const env = { ns: '', op: undefined as RunningOperator | undefined };
  before(async () => {
    env.ns = await createNamespace(client, example);
    env.op = await runKatalog(join(repoDir, 'examples', example, 'katalog.yaml'), env.ns);
  });
  after(async () => {
    await stopAndClean(env.op, client, env.ns);
  });
  return env;
}

const statusOf = (o: KubeObject | undefined) => (o?.status ?? {}) as Record<string, unknown>;

describe('conditional provisioning', () => {
  const env = exampleEnv('conditional');
  const APP = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'App' };

  test('the debug ConfigMap outside production, the LoadBalancer only in production', async () => {
    await client.create({ ...APP, metadata: { name: 'shop', namespace: env.ns }, spec: { environment: 'staging' } });
    const cm = await waitFor('the debug ConfigMap', () => getOrUndefined(client, CONFIGMAP, 'shop-debug', env.ns));
    assert.equal(cm.data?.environment, 'staging');
    await waitFor('Ready', async () => (statusOf(await client.get(APP, 'shop', { namespace: env.ns })).conditions as { status: string }[] | undefined)?.[0]?.status === 'True');
    assert.equal(await getOrUndefined(client, SERVICE, 'shop-lb', env.ns), undefined);

    await client.patch(APP, 'shop', { spec: { environment: 'production' } }, { namespace: env.ns });
    const lb = await waitFor('the LoadBalancer Service', () => getOrUndefined(client, SERVICE, 'shop-lb', env.ns));
    assert.equal((lb.spec as { type?: string }).type, 'LoadBalancer');
    await waitFor('the debug ConfigMap removed', async () => (await getOrUndefined(client, CONFIGMAP, 'shop-debug', env.ns)) === undefined);
  });
});

describe('declarative status', () => {
  const env = exampleEnv('status');
  const APP = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'ServiceApp' };

  test('phase, endpoint and readyReplicas come from the CR and its live Deployment', async () => {
    await client.create({ ...APP, metadata: { name: 'api', namespace: env.ns }, spec: { image: 'nginx:1.27', replicas: 2, suspend: false } });
    const st = await waitFor('status with readyReplicas 2', async () => {
      const s = statusOf(await client.get(APP, 'api', { namespace: env.ns }));
      return s.readyReplicas === '2' ? s : undefined;
    }, 30_000);
    assert.equal(st.phase, 'Active');
    assert.equal(st.endpoint, `api.${env.ns}.svc.cluster.local`);

    await client.patch(APP, 'api', { spec: { suspend: true } }, { namespace: env.ns });
    await waitFor('phase Suspended', async () => statusOf(await client.get(APP, 'api', { namespace: env.ns })).phase === 'Suspended');
  });
});

describe('environment from Secrets and ConfigMaps', () => {
  const env = exampleEnv('env-from-secrets');
  const BACKEND = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Backend' };

  test('the Deployment consumes the Secret and ConfigMap the same operatorBox created', async () => {
    await client.create({ ...BACKEND, metadata: { name: 'orders', namespace: env.ns }, spec: { image: 'nginx:1.27', username: 'orders-svc', region: 'eu-west-1' } });
    const secret = await waitFor('the Secret', () => getOrUndefined(client, SECRET, 'orders-creds', env.ns));
    const data = secret.data as Record<string, string>;
    assert.equal(Buffer.from(data.username, 'base64').toString(), 'orders-svc');
    const password = Buffer.from(data.password, 'base64').toString();
    assert.match(password, /^[A-Za-z0-9]{16}$/);
    assert.equal((await waitFor('the ConfigMap', () => getOrUndefined(client, CONFIGMAP, 'orders-cfg', env.ns))).data?.region, 'eu-west-1');

    const dep = await waitFor('the Deployment', () => getOrUndefined(client, DEPLOYMENT, 'orders', env.ns));
    const c = (dep.spec as { template: { spec: { containers: { env?: unknown[]; envFrom?: unknown[] }[] } } }).template.spec.containers[0];
    assert.deepEqual(c.env, [
      { name: 'USERNAME', valueFrom: { secretKeyRef: { name: 'orders-creds', key: 'username' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-creds', key: 'password' } } },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'orders-cfg', key: 'region' } } },
    ]);
    assert.deepEqual(c.envFrom, [{ configMapRef: { name: 'orders-cfg' } }, { secretRef: { name: 'orders-creds' } }]);

    // Later reconciles never churn the generated password.
    const cr = await client.patch(BACKEND, 'orders', { spec: { region: 'eu-central-1' } }, { namespace: env.ns });
    await waitFor('the change reconciled', async () => statusOf(await client.get(BACKEND, 'orders', { namespace: env.ns })).observedGeneration === cr.metadata?.generation);
    const again = await client.get(SECRET, 'orders-creds', { namespace: env.ns });
    assert.equal(again.metadata?.resourceVersion, secret.metadata?.resourceVersion);
    assert.equal(Buffer.from((again.data as Record<string, string>).password, 'base64').toString(), password);
  });
});

describe('state machine', () => {
  const env = exampleEnv('state-machine');
  const PIPELINE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Pipeline' };

  test('build → test → notify Jobs run one after another and the phase ends Succeeded', async () => {
    await client.create({ ...PIPELINE, metadata: { name: 'release', namespace: env.ns }, spec: { image: 'busybox:1.36' } });
    const phases = new Set<string>();
    await waitFor('phase Succeeded', async () => {
      const phase = statusOf(await client.get(PIPELINE, 'release', { namespace: env.ns })).phase as string | undefined;
      if (phase) phases.add(phase);
      return phase === 'Succeeded';
    }, 90_000, 50);
    const jobs = (await client.list(JOB, { namespace: env.ns })).items.map((j) => j.metadata?.name).sort();
    assert.deepEqual(jobs, ['release-build', 'release-notify', 'release-test']);
    assert.ok(phases.has('Running/build') || phases.has('Running/test'), `saw phases ${[...phases].join(', ')}`);
  });
});
