import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inClusterAccess, loadKubeConfig, mergeKubeConfigs, parseKubeConfig, resolveContext } from './kubeconfig.ts';
import { KubeConfigError } from './errors.ts';
import { Credentials } from './credentials.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ork-kubeconfig-'));
}

const certConfig = `
apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:6443/", certificate-authority-data: ${b64('CA')}}
users:
- name: u1
  user: {client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')}}
contexts:
- name: ctx1
  context: {cluster: c1, user: u1, namespace: team-a}
current-context: ctx1
`;

test('client certificate, key and CA come from embedded data', () => {
  const access = resolveContext(parseKubeConfig(certConfig, 'inline', '/'));
  assert.equal(access.server, 'https://127.0.0.1:6443');
  assert.equal(access.namespace, 'team-a');
  assert.equal(access.tls.ca?.toString(), 'CA');
  assert.equal(access.tls.cert?.toString(), 'CERT');
  assert.equal(access.tls.key?.toString(), 'KEY');
  assert.equal(access.tls.insecureSkipTlsVerify, false);
  assert.deepEqual(access.auth, { type: 'none' });
});

test('file references are resolved relative to the kubeconfig and read', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'ca.crt'), 'FILE-CA');
  writeFileSync(join(dir, 'tok'), 'sekret\n');
  const text = `
clusters: [{name: c, cluster: {server: "https://h:1", certificate-authority: ca.crt, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {tokenFile: tok}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  writeFileSync(join(dir, 'config'), text);
  const access = loadKubeConfig({ path: join(dir, 'config'), env: {} });
  assert.equal(access.tls.ca?.toString(), 'FILE-CA');
  assert.equal(access.tls.insecureSkipTlsVerify, true);
  assert.deepEqual(access.auth, { type: 'tokenFile', path: join(dir, 'tok') });
  assert.equal(access.namespace, 'default');
});

test('KUBECONFIG merges files: the first definition of a name and of current-context wins', () => {
  const dir = tmp();
  writeFileSync(
    join(dir, 'a'),
    `clusters: [{name: shared, cluster: {server: "https://first:1"}}]
users: [{name: u, user: {token: first-token}}]
contexts: [{name: a, context: {cluster: shared, user: u}}]
current-context: a`,
  );
  writeFileSync(
    join(dir, 'b'),
    `clusters: [{name: shared, cluster: {server: "https://second:1"}}, {name: only-b, cluster: {server: "https://b:1"}}]
users: [{name: u, user: {token: second-token}}]
contexts: [{name: b, context: {cluster: only-b, user: u, namespace: nb}}]
current-context: b`,
  );
  const env = { KUBECONFIG: `${join(dir, 'a')}:${join(dir, 'missing')}:${join(dir, 'b')}` };
  const a = loadKubeConfig({ env });
  assert.equal(a.context, 'a');
  assert.equal(a.server, 'https://first:1');
  assert.deepEqual(a.auth, { type: 'token', token: 'first-token' });
  const b = loadKubeConfig({ env, context: 'b' });
  assert.equal(b.server, 'https://b:1');
  assert.equal(b.namespace, 'nb');
  assert.equal(loadKubeConfig({ env, namespace: 'override' }).namespace, 'override');
});

test('merge keeps the first current-context even if a later file sets another', () => {
  const one = parseKubeConfig('current-context: one', 'one', '/');
  const two = parseKubeConfig('current-context: two', 'two', '/');
  assert.equal(mergeKubeConfigs([one, two]).currentContext, 'one');
  assert.equal(mergeKubeConfigs([parseKubeConfig('', 'empty', '/'), two]).currentContext, 'two');
});

test('clear errors for missing context, cluster, server, and half a client certificate', () => {
  const msg = (text: string, ctx?: string): string => {
    try {
      resolveContext(parseKubeConfig(text, 'cfg', '/'), ctx);
      return 'no error';
    } catch (e) {
      assert.ok(e instanceof KubeConfigError);
      return e.message;
    }
  };
  assert.match(msg(''), /no current-context/);
  assert.match(msg('current-context: x'), /context "x" not found/);
  assert.match(msg('contexts: [{name: x, context: {cluster: nope}}]\ncurrent-context: x'), /cluster "nope" not found/);
  assert.match(msg('clusters: [{name: c, cluster: {}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x'), /no server/);
  assert.match(
    msg(`clusters: [{name: c, cluster: {server: "https://h"}}]
users: [{name: u, user: {client-certificate-data: ${b64('C')}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x`),
    /certificate and key must be given together/,
  );
  assert.match(msg('clusters: [oops'), /not valid YAML/);
  assert.throws(() => loadKubeConfig({ path: '/nonexistent/kubeconfig', env: {} }), /cannot read kubeconfig: ENOENT/);
});

test('in-cluster: host/port from the environment, token file, CA and namespace from the service account dir', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'token'), 'sa-token');
  writeFileSync(join(dir, 'ca.crt'), 'SA-CA');
  writeFileSync(join(dir, 'namespace'), 'operators\n');
  const access = inClusterAccess({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, dir);
  assert.equal(access.server, 'https://[fd00::1]:443');
  assert.equal(access.namespace, 'operators');
  assert.equal(access.tls.ca?.toString(), 'SA-CA');
  assert.deepEqual(access.auth, { type: 'tokenFile', path: join(dir, 'token') });
  assert.throws(() => inClusterAccess({}, dir), /KUBERNETES_SERVICE_HOST/);
  // Without any kubeconfig file, loadKubeConfig falls back to the service account.
  const viaLoad = loadKubeConfig({ env: { HOME: dir, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: dir });
  assert.equal(viaLoad.source, 'in-cluster');
});

test('a rotated token file is re-read once the cached token is older than reReadMs', async () => {
  const dir = tmp();
  const path = join(dir, 'token');
  writeFileSync(path, 'one');
  let now = 0;
  const creds = new Credentials({ source: 't', server: 'https://h', namespace: 'd', tls: { insecureSkipTlsVerify: false }, auth: { type: 'tokenFile', path } }, { now: () => now, reReadMs: 60_000 });
  assert.equal((await creds.get()).authorization, 'Bearer one');
  writeFileSync(path, 'two');
  now = 59_000;
  assert.equal((await creds.get()).authorization, 'Bearer one');
  now = 60_001;
  assert.equal((await creds.get()).authorization, 'Bearer two');
});

test('exec credential plugin: token from ExecCredential status, cached until expiry', async () => {
  const dir = tmp();
  const script = join(dir, 'plugin.sh');
  const counter = join(dir, 'count');
  writeFileSync(
    script,
    `#!/bin/sh
echo x >> "${counter}"
echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"from-$MY_VAR\\"}}"
`,
    { mode: 0o755 },
  );
  const cfg = `clusters: [{name: c, cluster: {server: "https://h"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh, env: [{name: MY_VAR, value: plugin}]}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x`;
  const access = resolveContext(parseKubeConfig(cfg, 'cfg', dir));
  const creds = new Credentials(access);
  assert.equal((await creds.get()).authorization, 'Bearer from-plugin');
  assert.equal((await creds.get()).authorization, 'Bearer from-plugin');
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 1, 'the plugin ran once (cached)');
  creds.invalidate();
  await creds.get();
  assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 2, 'a 401 invalidation runs it again');
});
