// Validation + mutation at reconcile, forEach and tls Secrets against the real control plane: a
// denied CR gets Ready=False and no child; fixed, it gets its children with the defaulted replicas;
// forEach follows the list; the tls Secret holds a certificate the CA signed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { repoDir } from '../../testenv/cluster.ts';
import { createNamespace, getOrUndefined, runKatalog, stopAndClean, testClient, waitFor } from './operator-support.ts';

const SITE = { apiVersion: 'e2e.orkestra.io/v1', kind: 'Site' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const CONFIGMAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const SECRET = { apiVersion: 'v1', kind: 'Secret' };
const EVENT = { apiVersion: 'events.k8s.io/v1', kind: 'Event' };

let client: KubeClient;
let ns: string;
let op: RunningOperator;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'pipeline');
  op = await runKatalog(join(repoDir, 'test/e2e/fixtures/pipeline.katalog.yaml'), ns);
});

after(async () => {
  await stopAndClean(op, client, ns);
  client.close();
});

type Cond = { type: string; status: string; reason?: string; message?: string };
const ready = (o: KubeObject | undefined) => ((o?.status as { conditions?: Cond[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');

test('a denied CR: Ready=False ValidationFailed with the message, a Warning event, no child', async () => {
  await client.create({ ...SITE, metadata: { name: 'bad', namespace: ns }, spec: { image: 'nginx:1.27', environments: ['dev'] } });
  const r = await waitFor('Ready=False', async () => {
    const c = ready(await getOrUndefined(client, SITE, 'bad', ns));
    return c?.status === 'False' ? c : undefined;
  });
  assert.equal(r.reason, 'ValidationFailed');
  assert.match(r.message ?? '', /images must come from the internal registry/);
  await waitFor('the Warning event', async () => (await client.list(EVENT, { namespace: ns })).items.some((e) => (e as { regarding?: { name?: string }; type?: string }).regarding?.name === 'bad' && (e as { type?: string }).type === 'Warning'));
  assert.equal(await getOrUndefined(client, DEPLOYMENT, 'bad', ns), undefined);
  assert.equal(await getOrUndefined(client, CONFIGMAP, 'bad-dev', ns), undefined);
  assert.equal(await getOrUndefined(client, SECRET, 'bad-tls', ns), undefined);
});

test('fixed, it gets the defaulted replicas, one ConfigMap per environment that follows the list, and a tls Secret', async () => {
  await client.patch(SITE, 'bad', { spec: { image: 'myorg/nginx:1.27', environments: ['dev', 'prod'] } }, { namespace: ns });
  const dep = await waitFor('the Deployment', () => getOrUndefined(client, DEPLOYMENT, 'bad', ns));
  assert.equal((dep.spec as { replicas?: number }).replicas, 2, 'mutation default seen by the template');
  assert.equal((await client.get(SITE, 'bad', { namespace: ns })).spec?.replicas, undefined, 'the stored CR is not mutated at reconcile');
  const prod = await waitFor('the prod ConfigMap', () => getOrUndefined(client, CONFIGMAP, 'bad-prod', ns));
  assert.deepEqual(prod.data, { environment: 'prod', index: '1' });
  await waitFor('Ready=True', async () => ready(await getOrUndefined(client, SITE, 'bad', ns))?.status === 'True');

  await client.patch(SITE, 'bad', { spec: { environments: ['prod'] } }, { namespace: ns });
  await waitFor('the dev ConfigMap removed with its item', async () => (await getOrUndefined(client, CONFIGMAP, 'bad-dev', ns)) === undefined);
  assert.ok(await getOrUndefined(client, CONFIGMAP, 'bad-prod', ns), 'the other item stays');

  const secret = await waitFor('the tls Secret', () => getOrUndefined(client, SECRET, 'bad-tls', ns));
  assert.equal(secret.type, 'kubernetes.io/tls');
  const pem = (k: string) => Buffer.from(secret.data![k]!, 'base64').toString('utf8');
  const cert = new X509Certificate(pem('tls.crt'));
  const ca = new X509Certificate(pem('ca.crt'));
  assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'signed by the CA in the Secret');
  assert.equal(cert.checkHost(`bad.${ns}.svc`), `bad.${ns}.svc`);
  assert.ok(pem('tls.key').startsWith('-----BEGIN PRIVATE KEY-----'));
  const rv = secret.metadata?.resourceVersion;
  // Another reconcile (a spec change wakes it) leaves the certificate alone.
  await client.patch(SITE, 'bad', { spec: { environments: ['prod', 'qa'] } }, { namespace: ns });
  await waitFor('the qa ConfigMap', () => getOrUndefined(client, CONFIGMAP, 'bad-qa', ns));
  assert.equal((await client.get(SECRET, 'bad-tls', { namespace: ns })).metadata?.resourceVersion, rv, 'no new certificate on a reconcile');
});
