// Where the bearer token / client certificate for each request comes from. Token files are
// re-read when older than a minute (in-cluster projected tokens rotate); exec plugin output is
// cached until its expirationTimestamp; a 401 invalidates both so the next try refreshes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { AuthSource, ClusterAccess } from './kubeconfig.ts';
import { KubeConfigError } from './errors.ts';

export interface Credential {
  authorization?: string;
  /** Set only by exec plugins that hand out client certificates. */
  cert?: Buffer;
  key?: Buffer;
}

export class Credentials {
  private readonly auth: AuthSource;
  private readonly access: ClusterAccess;
  private readonly now: () => number;
  private cached?: { value: Credential; until: number };
  private pending?: Promise<Credential>;
  readonly reReadMs: number;

  constructor(access: ClusterAccess, opts: { now?: () => number; reReadMs?: number } = {}) {
    this.access = access;
    this.auth = access.auth;
    this.now = opts.now ?? Date.now;
    this.reReadMs = opts.reReadMs ?? 60_000;
  }

  /** True when a refresh might help after a 401. */
  get refreshable(): boolean {
    return this.auth.type === 'tokenFile' || this.auth.type === 'exec';
  }

  invalidate(): void {
    this.cached = undefined;
  }

  async get(): Promise<Credential> {
    if (this.cached && this.now() < this.cached.until) return this.cached.value;
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async load(): Promise<Credential> {
    const a = this.auth;
    switch (a.type) {
      case 'none':
        return this.keep({}, Infinity);
      case 'token':
        return this.keep({ authorization: `Bearer ${a.token}` }, Infinity);
      case 'basic':
        return this.keep({ authorization: `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}` }, Infinity);
      case 'tokenFile': {
        let token: string;
        try {
          token = readFileSync(a.path, 'utf8').trim();
        } catch (e) {
          throw new KubeConfigError(a.path, `cannot read token file: ${(e as NodeJS.ErrnoException).code ?? e}`);
        }
        return this.keep({ authorization: `Bearer ${token}` }, this.now() + this.reReadMs);
      }
      case 'exec':
        return this.runExec(a.exec);
    }
  }

  private keep(value: Credential, until: number): Credential {
    this.cached = { value, until };
    return value;
  }

  private async runExec(exec: Extract<AuthSource, { type: 'exec' }>['exec']): Promise<Credential> {
    const info = {
      apiVersion: exec.apiVersion,
      kind: 'ExecCredential',
      spec: { interactive: false, ...(exec.provideClusterInfo ? { cluster: { server: this.access.server } } : {}) },
    };
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const e of exec.env) env[e.name] = e.value;
    // A command with a slash is a path relative to the kubeconfig; a bare name is looked up on PATH.
    const cmd = exec.command.includes('/') && !isAbsolute(exec.command) ? join(exec.dir, exec.command) : exec.command;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(cmd, exec.args, { env, timeout: 60_000, maxBuffer: 1 << 20 }, (err, out, errOut) => {
        if (err) reject(new KubeConfigError(`exec plugin ${exec.command}`, `failed: ${err.message.split('\n')[0]}${errOut ? `: ${String(errOut).trim().slice(0, 300)}` : ''}`));
        else resolve(String(out));
      });
    });
    let status: Record<string, unknown>;
    try {
      status = (JSON.parse(stdout) as { status?: Record<string, unknown> }).status ?? {};
    } catch {
      throw new KubeConfigError(`exec plugin ${exec.command}`, 'did not print an ExecCredential JSON object');
    }
    const cred: Credential = {};
    if (typeof status.token === 'string') cred.authorization = `Bearer ${status.token}`;
    if (typeof status.clientCertificateData === 'string' && typeof status.clientKeyData === 'string') {
      cred.cert = Buffer.from(status.clientCertificateData);
      cred.key = Buffer.from(status.clientKeyData);
    }
    if (!cred.authorization && !cred.cert) throw new KubeConfigError(`exec plugin ${exec.command}`, 'returned neither a token nor a client certificate');
    const exp = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : NaN;
    return this.keep(cred, Number.isFinite(exp) ? exp - 10_000 : Infinity);
  }
}
