import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { runOptionsFrom, startOperator } from './run.ts';

const quiet = pino({ level: 'silent' });

test('ork run stops at start on a key the runtime would ignore, with the same message as ork validate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ork-run-'));
  const file = join(dir, 'katalog.yaml');
  writeFileSync(file, `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: deny}
spec:
  crds:
    website:
      apiTypes: {group: demo.orkestra.io, version: v1, kind: Website, plural: websites}
      webhooks: {validation: true}
      operatorBox:
        onCreate:
          deployments: [{name: web, image: "{{ .spec.image }}"}]
`);
  // No kubeconfig exists at this path: the refusal must come before any cluster access.
  await assert.rejects(startOperator({ katalog: file, kubeconfig: join(dir, 'absent'), logger: quiet }), (err: Error) => {
    assert.match(err.message, new RegExp(`${file.replaceAll('.', '\\.')}:8:7: error: not supported yet: spec\\.crds\\.website\\.webhooks`));
    return true;
  });
});

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(repo, 'packages/orkestra/bin/ork.js');

/** A kubeconfig whose server refuses connections at once (nothing listens on port 1). */
function unreachableKubeconfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ork-run-')), 'kubeconfig');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
  return file;
}

function runOrk(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', '-k', join(repo, 'examples/website/katalog.yaml'), '--log-format', 'json', ...args], {
      env: { ...process.env, ORK_PORT: '', ORK_API: '', ...env }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test('ork run on a taken port: one line naming the port, --port and --no-api, exit 1 — before any cluster access', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const kubeconfig = unreachableKubeconfig();
    for (const r of [await runOrk(['--port', String(port), '--kubeconfig', kubeconfig]), await runOrk(['--kubeconfig', kubeconfig], { ORK_PORT: String(port) })]) {
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `ork run: port ${port} is already in use (127.0.0.1:${port}), so the runtime API cannot listen: choose another with --port <port> (or ORK_PORT; --port 0 picks a free one), or run without the API with --no-api\n`);
    }
    // --no-api does turn it off: the same start now gets as far as the (unreachable) cluster.
    const off = await runOrk(['--port', String(port), '--no-api', '--kubeconfig', kubeconfig]);
    assert.equal(off.code, 1);
    assert.match(off.stderr, /^ork run: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1/);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

test('the API is on by default (8080); --no-api or ORK_API=false turns it off', () => {
  const base = { katalog: 'k.yaml', installCrds: false, fieldManager: 'orkestra', logLevel: 'info' };
  assert.equal(runOptionsFrom(base, {}).api?.port, 8080);
  assert.equal(runOptionsFrom({ ...base, api: false }, {}).api, undefined);
  assert.equal(runOptionsFrom(base, { ORK_API: 'false' }).api, undefined);
  assert.equal(runOptionsFrom({ ...base, api: true }, { ORK_API: 'false' }).api?.port, 8080);
});
