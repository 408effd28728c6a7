// Flags and environment of `ork run` that concern operability: the API port, leader election,
// watch freshness and shutdown. Durations accept Go-style units ("15s", "500ms", "2m"); a bare
// number means seconds (the convention of the Go original's environment variables).
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseDuration } from '../conditions/cron.ts';

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function inCluster(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return !kubeconfig && !env.KUBECONFIG && Boolean(env.KUBERNETES_SERVICE_HOST);
}

/** The first environment variable of `names` that is set (non-empty). */
export function fromEnv(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

export function durationMs(text: string | undefined, what: string, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const ms = parseDuration(String(text));
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) throw new Error(`${what}: "${text}" is not a duration (e.g. 15s, 500ms, 2m)`);
  return ms;
}

export function port(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: "${text}" is not a port number (0–65535; 0 picks a free port)`);
  return n;
}

export function bool(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new Error(`"${text}" is not a boolean (true/false)`);
}

export function defaultIdentity(): string {
  return `${hostname()}_${process.pid}`;
}

/** Lease namespace: flag → env → the Pod's namespace → the watched namespace → default. */
export function leaseNamespace(flag: string | undefined, watched: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromFlagOrEnv = flag ?? fromEnv(env, 'ORK_LEASE_NAMESPACE', 'LEADER_ELECTION_NAMESPACE', 'ORK_NAMESPACE');
  if (fromFlagOrEnv) return fromFlagOrEnv;
  if (existsSync(SA_NAMESPACE)) {
    const ns = readFileSync(SA_NAMESPACE, 'utf8').trim();
    if (ns) return ns;
  }
  return watched ?? 'default';
}
