// `ork run -k katalog.yaml`: load the Katalog, connect to the cluster, optionally register the
// CRDs, and run every CRD as an operator until SIGTERM/SIGINT.
//
// Every replica starts its informers (warm caches) and serves the runtime API. With leader
// election only the holder of the Lease starts workers and writes; the others wait with state
// `pending`. Losing the Lease stops the workers at once and ends the process (exit 1), as
// controller-runtime does: the Pod restarts as a follower with a fresh cache. SIGTERM/SIGINT stop
// taking work, let in-flight reconciles finish within --shutdown-timeout, release the Lease so a
// follower takes over at once, and exit 0.
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { formatDiagnostic } from '../katalog/diagnostics.ts';
import { loadKatalog } from '../katalog/loader.ts';
import type { Katalog } from '../katalog/model.ts';
import { KubeClient, LeaderElector } from '../kube/index.ts';
import { Runtime } from '../engine/runtime.ts';
import { installCrds } from '../engine/crds.ts';
import { createLogger, type LogFormat } from '../log.ts';
import { OrkestraMetrics } from '../api/metrics.ts';
import { WatchFreshness } from '../api/freshness.ts';
import { startApiServer, type ApiServer, type LeaderState } from '../api/server.ts';
import { bool, defaultIdentity, durationMs, fromEnv, inCluster, leaseNamespace, port } from './run-config.ts';

export interface LeaderElectionConfig {
  /** Lease name (default `orkestra-konductor`). */
  name?: string;
  /** Lease namespace (default: the watched namespace, else `default`). */
  namespace?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface RunOptions {
  katalog: string;
  kubeconfig?: string;
  context?: string;
  installCrds?: boolean;
  /** Watch only this namespace. */
  namespace?: string;
  fieldManager?: string;
  logLevel?: string;
  logFormat?: LogFormat;
  /** Tests pass their own logger. */
  logger?: Logger;
  /** Serve the runtime API (health, /katalog, /metrics); undefined: no HTTP server. */
  api?: { port: number; host?: string; token?: string };
  /** Leader election on a Lease; undefined: this process reconciles at once. */
  leaderElection?: LeaderElectionConfig;
  /** This process's identity (Lease holder, events' reportingInstance). Default hostname_pid. */
  identity?: string;
  /** /readyz fails when a watch has not heard from the API server for longer (default 60 s). */
  staleWatchThresholdMs?: number;
  /** Base server-side watch timeout (default 20 s: quiet watches reopen every 20–40 s). */
  watchTimeoutMs?: number;
  /** How long stop() waits for in-flight reconciles (default 30 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningOperator {
  katalog: Katalog;
  runtime: Runtime;
  client: KubeClient;
  log: Logger;
  metrics: OrkestraMetrics;
  freshness: WatchFreshness;
  api?: ApiServer;
  elector?: LeaderElector;
  leader(): LeaderState;
  /** Resolves when this process lost the Lease it held (workers are already stopped then). */
  readonly lost: Promise<void>;
  /**
   * Stops taking work, waits up to deadlineMs for in-flight reconciles, releases the Lease
   * (unless it was lost), stops the informers and the API server.
   */
  stop(deadlineMs?: number): Promise<void>;
}

export const DEFAULT_LEASE_NAME = 'orkestra-konductor';

/** Starts the operators of a Katalog; throws an Error with a user-facing message on failure. */
export async function startOperator(opts: RunOptions): Promise<RunningOperator> {
  const log = opts.logger ?? createLogger({ level: opts.logLevel, format: opts.logFormat });
  const loaded = await loadKatalog(opts.katalog);
  for (const w of loaded.warnings) log.warn(formatDiagnostic(w));
  if (!loaded.ok) {
    throw new Error(`${opts.katalog} is not a valid Katalog:\n${loaded.errors.map((e) => formatDiagnostic(e)).join('\n')}`);
  }
  const katalog = loaded.katalog;
  const client = KubeClient.fromKubeConfig({ path: opts.kubeconfig, context: opts.context });
  const server = client.transport.access.server;
  const metrics = new OrkestraMetrics();
  const detachTransport = metrics.observeTransport(client.transport);
  const identity = opts.identity ?? defaultIdentity();
  const runtime = new Runtime(katalog, {
    client,
    log,
    fieldManager: opts.fieldManager,
    namespace: opts.namespace,
    identity,
    watchTimeoutSeconds: Math.max(1, Math.round((opts.watchTimeoutMs ?? 20_000) / 1000)),
    onReconciled: (box, ok, seconds) => metrics.reconciled(box.entry.name, ok, seconds),
  });
  const freshness = new WatchFreshness(() => runtime.kube?.factory.all() ?? []);
  const le = opts.leaderElection;
  const state: LeaderState = {
    enabled: Boolean(le),
    isLeader: false,
    identity,
    leader: '',
    lease: le ? { namespace: le.namespace ?? opts.namespace ?? 'default', name: le.name ?? DEFAULT_LEASE_NAME } : undefined,
    transitions: 0,
  };
  let elector: LeaderElector | undefined;
  let shuttingDown = false;
  let lostLease = false;
  let signalLost!: () => void;
  const lost = new Promise<void>((resolve) => (signalLost = resolve));
  metrics.attach({
    boxes: () =>
      [...runtime.boxes.values()].map((b) => ({
        crd: b.entry.name,
        queueStats: () => b.queue.stats(),
        workers: () => ({ size: b.healthSnapshot().state === 'running' ? b.pool.size : 0, busy: b.pool.busy }),
        health: () => b.healthSnapshot(),
      })),
    freshness,
    isLeader: () => state.isLeader,
  });

  let api: ApiServer | undefined;
  const stopAll = async (deadlineMs: number, release: boolean): Promise<void> => {
    // Stop taking work first: queued keys are dropped, in-flight reconciles get the deadline.
    await Promise.all([...runtime.boxes.values()].map((b) => b.stop(deadlineMs)));
    // Only now is it safe for a follower to write: release the Lease.
    await elector?.stop({ release }).catch((err: unknown) => log.warn({ err: String(err) }, 'lease not released'));
    state.isLeader = false;
    await runtime.stop(deadlineMs);
    freshness.stop();
    await api?.close();
    detachTransport();
    client.close();
  };

  try {
    // The port first: a taken port is found without a cluster, and before any watch starts.
    const apiOpts = opts.api;
    if (apiOpts) api = await listenApi(apiOpts, () => startApiServer(
      {
        runtime,
        metrics,
        freshness,
        leader: () => ({ ...state, leader: elector?.leader ?? state.leader }),
        staleWatchThresholdSeconds: (opts.staleWatchThresholdMs ?? 60_000) / 1000,
        shuttingDown: () => shuttingDown,
        token: apiOpts.token,
      },
      { port: apiOpts.port, host: apiOpts.host },
    ), log);
    try {
      await client.transport.request({ method: 'GET', path: '/version', verb: 'get', resource: 'version', timeoutMs: 10_000 });
    } catch (err) {
      throw new Error(`cannot reach the Kubernetes API at ${server}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (opts.installCrds) {
      const names = await installCrds(client, runtime.cluster.writer, katalog.crds.filter((c) => c.enabled));
      log.info({ crds: names }, 'CRDs registered');
    }
    await runtime.startInformers();
    freshness.start();
    if (le && state.lease) {
      elector = new LeaderElector(client, {
        namespace: state.lease.namespace,
        name: state.lease.name,
        identity,
        leaseDurationMs: le.leaseDurationMs,
        renewDeadlineMs: le.renewDeadlineMs,
        retryPeriodMs: le.retryPeriodMs,
        onStartedLeading: () => {
          if (shuttingDown) return;
          state.isLeader = true;
          state.since = new Date().toISOString();
          state.transitions++;
          log.info({ identity, lease: `${state.lease?.namespace}/${state.lease?.name}` }, 'became leader; starting workers');
          runtime.startWorkers();
        },
        onStoppedLeading: () => {
          const was = state.isLeader;
          state.isLeader = false;
          if (shuttingDown || !was) return;
          // No write may follow the loss: stop handing out keys now, then let the owner exit.
          lostLease = true;
          for (const b of runtime.boxes.values()) b.queue.shutDown();
          log.error({ identity }, 'leader lease lost; workers stopped');
          signalLost();
        },
        onNewLeader: (holder) => {
          state.leader = holder;
          if (holder !== identity) log.info({ leader: holder }, 'leader observed');
        },
        onError: (err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'leader election request failed'),
      });
      elector.start();
      log.info({ identity, lease: `${state.lease.namespace}/${state.lease.name}` }, 'waiting for the leader lease (caches warm, API served)');
    } else {
      state.isLeader = true;
      state.since = new Date().toISOString();
      runtime.startWorkers();
    }
  } catch (err) {
    shuttingDown = true;
    await stopAll(1_000, true).catch(() => undefined);
    throw err;
  }
  log.info({ katalog: katalog.metadata.name, crds: katalog.crds.length, server, identity }, 'orkestra running');
  let stopping: Promise<void> | undefined;
  return {
    katalog,
    runtime,
    client,
    log,
    metrics,
    freshness,
    api,
    elector,
    lost,
    leader: () => ({ ...state, leader: elector?.leader ?? state.leader }),
    stop(deadlineMs = opts.shutdownTimeoutMs ?? 30_000) {
      shuttingDown = true;
      stopping ??= stopAll(deadlineMs, !lostLease);
      return stopping;
    },
  };
}

/** Starts the API server; a port that is taken becomes one line saying what to do about it. */
async function listenApi(api: NonNullable<RunOptions['api']>, start: () => Promise<ApiServer>, log: Logger): Promise<ApiServer> {
  let server: ApiServer;
  try {
    server = await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${api.host ?? '127.0.0.1'}:${api.port}`;
    if (code === 'EADDRINUSE') {
      throw new Error(`port ${api.port} is already in use (${where}), so the runtime API cannot listen: choose another with --port <port> (or ORK_PORT; --port 0 picks a free one), or run without the API with --no-api`);
    }
    if (code === 'EACCES') throw new Error(`no permission to listen on ${where}: choose a port above 1023 with --port <port>, or run without the API with --no-api`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${where}: ${api.host} is not an address of this machine (--bind)`);
    throw err;
  }
  log.info({ url: server.url, port: server.port, tokenRequired: Boolean(api.token) }, 'runtime API listening');
  return server;
}

interface RunFlags {
  katalog: string;
  kubeconfig?: string;
  context?: string;
  installCrds: boolean;
  namespace?: string;
  fieldManager: string;
  logLevel: string;
  logFormat?: LogFormat;
  /** false with --no-api. */
  api?: boolean;
  port?: string;
  bind?: string;
  apiToken?: string;
  leaderElect?: boolean;
  leaseName?: string;
  leaseNamespace?: string;
  leaseDuration?: string;
  renewDeadline?: string;
  retryPeriod?: string;
  identity?: string;
  staleWatchThreshold?: string;
  watchTimeout?: string;
  shutdownTimeout?: string;
}

/** Flags win over environment variables, which win over defaults. */
export function runOptionsFrom(o: RunFlags, env: NodeJS.ProcessEnv = process.env): RunOptions {
  const cluster = inCluster(o.kubeconfig, env);
  const elect = o.leaderElect ?? bool(fromEnv(env, 'ORK_LEADER_ELECT')) ?? cluster;
  const leaseDurationMs = durationMs(o.leaseDuration ?? fromEnv(env, 'ORK_LEASE_DURATION', 'LEASE_DURATION'), '--lease-duration', 15_000);
  const renewDeadlineMs = durationMs(o.renewDeadline ?? fromEnv(env, 'ORK_RENEW_DEADLINE', 'RENEW_DEADLINE'), '--renew-deadline', 10_000);
  const retryPeriodMs = durationMs(o.retryPeriod ?? fromEnv(env, 'ORK_RETRY_PERIOD', 'RETRY_PERIOD'), '--retry-period', 2_000);
  if (elect && !(leaseDurationMs > renewDeadlineMs && renewDeadlineMs > retryPeriodMs && retryPeriodMs > 0)) {
    throw new Error('leader election needs --lease-duration > --renew-deadline > --retry-period > 0');
  }
  return {
    katalog: o.katalog,
    kubeconfig: o.kubeconfig,
    context: o.context,
    installCrds: o.installCrds,
    namespace: o.namespace,
    fieldManager: o.fieldManager,
    logLevel: o.logLevel,
    logFormat: o.logFormat,
    identity: o.identity ?? fromEnv(env, 'ORK_IDENTITY', 'POD_NAME'),
    api: (o.api ?? bool(fromEnv(env, 'ORK_API')) ?? true)
      ? {
          port: port(o.port ?? fromEnv(env, 'ORK_PORT'), 8080),
          host: o.bind ?? fromEnv(env, 'ORK_BIND') ?? (cluster ? '0.0.0.0' : '127.0.0.1'),
          token: o.apiToken ?? fromEnv(env, 'ORK_API_TOKEN'),
        }
      : undefined,
    leaderElection: elect
      ? {
          name: o.leaseName ?? fromEnv(env, 'ORK_LEASE_NAME') ?? DEFAULT_LEASE_NAME,
          namespace: leaseNamespace(o.leaseNamespace, o.namespace, env),
          leaseDurationMs,
          renewDeadlineMs,
          retryPeriodMs,
        }
      : undefined,
    staleWatchThresholdMs: durationMs(o.staleWatchThreshold ?? fromEnv(env, 'ORK_STALE_WATCH_THRESHOLD'), '--stale-watch-threshold', 60_000),
    watchTimeoutMs: durationMs(o.watchTimeout ?? fromEnv(env, 'ORK_WATCH_TIMEOUT'), '--watch-timeout', 20_000),
    shutdownTimeoutMs: durationMs(o.shutdownTimeout ?? fromEnv(env, 'ORK_SHUTDOWN_TIMEOUT'), '--shutdown-timeout', 30_000),
  };
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every CRD of a Katalog as an operator')
    .option('-k, --katalog <file>', 'Katalog file', 'katalog.yaml')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <name>', 'watch and manage only this namespace (default: all)')
    .option('--install-crds', 'register the CRDs from apiTypes / crdFile before starting', false)
    .option('--field-manager <name>', 'server-side apply field manager', 'orkestra')
    .option('--log-level <level>', 'trace, debug, info, warn, error', process.env.LOG_LEVEL ?? 'info')
    .option('--log-format <format>', 'pretty or json (default: pretty on a terminal)')
    .option('--port <port>', 'runtime API port; 0 picks a free one [env ORK_PORT] (default 8080)')
    .option('--no-api', 'do not serve the runtime API (health, /katalog, /metrics) [env ORK_API=false] (default: served)')
    .option('--bind <address>', 'runtime API address [env ORK_BIND] (default 127.0.0.1; 0.0.0.0 in a cluster)')
    .option('--api-token <token>', 'require this bearer token except on /healthz and /readyz [env ORK_API_TOKEN, preferred]')
    .option('--leader-elect', 'elect one leader through a Lease [env ORK_LEADER_ELECT] (default: on in a cluster, off outside)')
    .option('--no-leader-elect', 'reconcile without leader election')
    .option('--lease-name <name>', `Lease name [env ORK_LEASE_NAME] (default ${DEFAULT_LEASE_NAME})`)
    .option('--lease-namespace <ns>', 'Lease namespace [env ORK_LEASE_NAMESPACE] (default: the Pod\'s, else --namespace, else default)')
    .option('--lease-duration <d>', 'how long followers wait before taking an unrenewed Lease [env ORK_LEASE_DURATION] (default 15s)')
    .option('--renew-deadline <d>', 'the leader steps down when it could not renew for this long [env ORK_RENEW_DEADLINE] (default 10s)')
    .option('--retry-period <d>', 'interval of Lease renewals and attempts [env ORK_RETRY_PERIOD] (default 2s)')
    .option('--identity <id>', 'Lease holder identity [env ORK_IDENTITY, POD_NAME] (default hostname_pid)')
    .option('--stale-watch-threshold <d>', '/readyz fails when a watch was not heard from for longer [env ORK_STALE_WATCH_THRESHOLD] (default 60s)')
    .option('--watch-timeout <d>', 'base server-side watch timeout; quiet watches reopen after 1–2× [env ORK_WATCH_TIMEOUT] (default 20s)')
    .option('--shutdown-timeout <d>', 'how long SIGTERM waits for in-flight reconciles [env ORK_SHUTDOWN_TIMEOUT] (default 30s)')
    .action(async (o: RunFlags) => {
      let op: RunningOperator;
      try {
        op = await startOperator(runOptionsFrom(o));
      } catch (err) {
        console.error(`ork run: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
        return;
      }
      const code = await new Promise<number>((resolve) => {
        let signalled = false;
        const shutdown = (sig: string) => {
          if (signalled) {
            // A second signal: the operator asked for it, do not wait any longer.
            op.log.warn({ signal: sig }, 'second signal; exiting now');
            process.exit(1);
          }
          signalled = true;
          op.log.info({ signal: sig }, 'shutting down: finishing in-flight reconciles, releasing the lease');
          void op.stop().then(() => resolve(0), (err: unknown) => {
            op.log.error({ err: String(err) }, 'shutdown failed');
            resolve(1);
          });
        };
        process.on('SIGTERM', () => shutdown('SIGTERM'));
        process.on('SIGINT', () => shutdown('SIGINT'));
        void op.lost.then(() => {
          if (signalled) return;
          signalled = true;
          void op.stop().finally(() => resolve(1));
        });
      });
      op.log.info({ exitCode: code }, 'stopped');
      op.log.flush?.();
      process.exitCode = code;
      // Whatever handle might still be open, the process ends now that the work is done.
      setTimeout(() => process.exit(code), 2_000).unref();
    });
}
