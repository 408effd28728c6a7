// `ork run` as a user meets it: a clear message and a non-zero exit when the cluster cannot be
// reached or the Katalog is invalid — never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoDir } from '../../testenv/cluster.ts';

const run = promisify(execFile);
const ork = join(repoDir, 'packages/orkestra/bin/ork.js');

async function ork_(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [ork, ...args], { env: { ...process.env, ...env }, timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: err.code ?? -1, stderr: err.stderr ?? '' };
  }
}

test('ork run exits 1 with a clear message when the cluster cannot be reached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ork-'));
  const kubeconfig = join(dir, 'kubeconfig');
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: not-a-real-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
  // --no-api: the runtime API listens before the cluster is reached, and 8080 may be taken here.
  const r = await ork_(['run', '-k', join(repoDir, 'examples/website/katalog.yaml'), '--kubeconfig', kubeconfig, '--log-format', 'json', '--no-api']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
  assert.doesNotMatch(r.stderr, /not-a-real-token/, 'credentials never reach the output');
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('ork run exits 1 and points at the line when the Katalog is invalid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ork-'));
  const file = join(dir, 'katalog.yaml');
  writeFileSync(file, `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: broken}
spec:
  crds:
    website:
      apiTypes: {group: demo.orkestra.io, version: v1, kind: Website, plural: websites}
      operatorBox:
        onCreate:
          deployments:
            - name: web
              image: nginx
              replica: 2
`);
  const r = await ork_(['run', '-k', file, '--log-format', 'json']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /katalog\.yaml:13:15: error: unknown key `replica`; did you mean `replicas`\?/);
});
