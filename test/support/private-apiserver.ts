// A kube-apiserver of the test's own, on a free port, storing under its own etcd prefix of the
// shared etcd. Tests that kill and restart an API server use it, so suites running in parallel
// against the shared control plane (testenv/up.sh) never see their server vanish. No
// controller-manager is attached: it serves the API (watch cache, 410s, paging) and nothing else.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kubeconfigPath, repoDir, runDir } from '../../testenv/cluster.ts';
import { waitFor } from './wait.ts';

const ETCD = `http://127.0.0.1:${12379 + Number(process.env.ORK_TESTENV_PORT_OFFSET ?? 0)}`;

export interface PrivateApiServer {
  port: number;
  kubeconfigPath: string;
  /** SIGKILL, as in a crash; resolves when the process is gone. */
  kill(): Promise<void>;
  /** Starts the process again (same port, same storage) and waits until /readyz answers. */
  start(): Promise<void>;
  /** Kills it and deletes its etcd prefix and files. */
  close(): Promise<void>;
}

async function binDir(): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-c', `. "${join(repoDir, 'testenv', 'lib.sh')}" && printf %s "$BIN"`]);
  return stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function readyz(port: number, pki: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(
      {
        host: '127.0.0.1',
        port,
        path: '/readyz',
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

export async function startPrivateApiServer(): Promise<PrivateApiServer> {
  const bin = join(await binDir(), 'kube-apiserver');
  const port = await freePort();
  const id = randomBytes(4).toString('hex');
  const prefix = `/orkestra-e2e-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'ork-apiserver-'));
  const pki = join(runDir, 'pki');
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, readFileSync(kubeconfigPath, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://127.0.0.1:${port}`));
  const args = [
    `--etcd-servers=${ETCD}`,
    `--etcd-prefix=${prefix}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${dir}`,
    `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
    `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
    `--client-ca-file=${join(pki, 'ca.crt')}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    `--service-account-issuer=https://127.0.0.1:${port}`,
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    '--disable-admission-plugins=ServiceAccount',
    '--endpoint-reconciler-type=none',
    '--profiling=false',
  ];
  let proc: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const log = openSync(join(dir, 'apiserver.log'), 'a');
    proc = spawn(bin, args, { stdio: ['ignore', log, log] });
    const p = proc;
    await waitFor(
      async () => {
        if (p.exitCode !== null) throw new Error(`private kube-apiserver exited (${p.exitCode}); log in ${dir}/apiserver.log`);
        return readyz(port, pki);
      },
      { timeoutMs: 60_000, intervalMs: 100, message: `private kube-apiserver on :${port} ready` },
    );
  };

  const kill = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    kubeconfigPath: kc,
    kill,
    start,
    close: async () => {
      await kill();
      // Delete everything under the prefix: range [prefix/, prefix0) covers "prefix/…".
      const b64 = (s: string): string => Buffer.from(s).toString('base64');
      await fetch(`${ETCD}/v3/kv/deleterange`, { method: 'POST', body: JSON.stringify({ key: b64(`${prefix}/`), range_end: b64(`${prefix}0`) }) });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
