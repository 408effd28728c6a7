// Helpers for the operability tests: spawn `ork run` as a real process (each with its own API
// port), read its JSON log, call its runtime API and scrape its /metrics.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { kubeconfigPath, repoDir } from '../../testenv/cluster.ts';
import { parsePrometheusText, sum, type ParsedMetrics } from '../../packages/orkestra/src/api/prom-text.ts';
import type { KubeClient } from '../../packages/orkestra/src/kube/index.ts';
import { waitFor } from './operator-support.ts';

export const ORK_BIN = join(repoDir, 'packages/orkestra/bin/ork.js');
export const WRITE_VERBS = ['create', 'update', 'patch', 'apply', 'delete'];
export const LEASE_RESOURCE = 'leases.coordination.k8s.io';

export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [k: string]: unknown;
}

export interface OrkProcess {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly lines: LogLine[];
  /** Everything the process wrote that was not a JSON log line (stack traces, console.error). */
  readonly other: string[];
  url: string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
  waitForLog(what: string, pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `ork run` with the test kubeconfig; resolves once its runtime API listens. */
export async function spawnOrk(name: string, args: string[], env: Record<string, string> = {}): Promise<OrkProcess> {
  const proc = spawn(process.execPath, [ORK_BIN, 'run', '--kubeconfig', kubeconfigPath, '--port', '0', '--log-format', 'json', ...args], {
    cwd: repoDir,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const other: string[] = [];
  const onData = (() => {
    let buf = '';
    return (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          lines.push(JSON.parse(line) as LogLine);
        } catch {
          if (line.trim()) other.push(line);
        }
      }
    };
  })();
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  const p: OrkProcess = {
    name,
    proc,
    lines,
    other,
    url: '',
    exited,
    waitForLog: (what, pred, timeoutMs = 30_000) =>
      waitFor(`${name}: ${what}`, () => {
        if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}: ${other.join('\n').slice(-2000)}`);
        return lines.find(pred);
      }, timeoutMs, 20),
    kill: (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
  const listening = await p.waitForLog('runtime API listening', (l) => l.msg === 'runtime API listening');
  p.url = String(listening.url);
  return p;
}

export async function getJson<T = Record<string, unknown>>(url: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as T };
}

export async function scrape(url: string): Promise<ParsedMetrics> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheusText(await res.text());
}

/** Write requests a process sent, its own Lease excluded. */
export function writesExceptLease(m: ParsedMetrics): number {
  return m.samples
    .filter((s) => s.name === 'orkestra_api_requests_total' && WRITE_VERBS.includes(s.labels.verb) && s.labels.resource !== LEASE_RESOURCE)
    .reduce((a, s) => a + s.value, 0);
}

export function reconciles(m: ParsedMetrics, crd = 'website'): number {
  return sum(m, 'orkestra_reconcile_total', { crd });
}

export async function isLeader(url: string): Promise<boolean> {
  const { body } = await getJson<{ isLeader: boolean }>(url, '/katalog');
  return body.isLeader;
}

/** Kills what is still running and waits for it to be gone. */
export async function killAll(procs: (OrkProcess | undefined)[]): Promise<void> {
  for (const p of procs) p?.kill('SIGKILL');
  await Promise.all(procs.map((p) => p?.exited));
}

/**
 * Removes the finalizers of the CRs left in a namespace once no operator runs any more, so that
 * deleting the namespace does not hang on them.
 */
export async function releaseCrs(client: KubeClient, ref: { apiVersion: string; kind: string }, namespace: string): Promise<void> {
  const items = (await client.list(ref, { namespace })).items.filter((o) => o.metadata?.finalizers?.length);
  await Promise.all(items.map((o) => client.patch(ref, o.metadata!.name!, { metadata: { finalizers: null } }, { namespace }).catch(() => undefined)));
}
