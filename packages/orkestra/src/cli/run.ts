// `ork run -k katalog.yaml`: load the Katalog, connect to the cluster, optionally register the
// CRDs, and run every CRD as an operator until SIGTERM/SIGINT.
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { formatDiagnostic, loadKatalog, type Katalog } from '../katalog/index.ts';
import { KubeClient } from '../kube/index.ts';
import { Runtime } from '../engine/runtime.ts';
import { installCrds } from '../engine/crds.ts';
import { createLogger, type LogFormat } from '../log.ts';

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
}

export interface RunningOperator {
  katalog: Katalog;
  runtime: Runtime;
  client: KubeClient;
  log: Logger;
  stop(deadlineMs?: number): Promise<void>;
}

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
  try {
    await client.transport.request({ method: 'GET', path: '/version', verb: 'get', resource: 'version', timeoutMs: 10_000 });
  } catch (err) {
    client.close();
    throw new Error(`cannot reach the Kubernetes API at ${server}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const runtime = new Runtime(katalog, { client, log, fieldManager: opts.fieldManager, namespace: opts.namespace });
  if (opts.installCrds) {
    const names = await installCrds(client, runtime.applier, katalog.crds.filter((c) => c.enabled));
    log.info({ crds: names }, 'CRDs registered');
  }
  await runtime.startInformers();
  runtime.startWorkers();
  log.info({ katalog: katalog.metadata.name, crds: katalog.crds.length, server }, 'orkestra running');
  return {
    katalog,
    runtime,
    client,
    log,
    async stop(deadlineMs = 30_000) {
      await runtime.stop(deadlineMs);
      client.close();
    },
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
    .action(async (o: { katalog: string; kubeconfig?: string; context?: string; installCrds: boolean; namespace?: string; fieldManager: string; logLevel: string; logFormat?: LogFormat }) => {
      let op: RunningOperator;
      try {
        op = await startOperator({ ...o });
      } catch (err) {
        console.error(`ork run: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
        return;
      }
      await new Promise<void>((resolve) => {
        const shutdown = (sig: string) => {
          op.log.info({ signal: sig }, 'shutting down');
          void op.stop().then(resolve, resolve);
        };
        process.once('SIGTERM', () => shutdown('SIGTERM'));
        process.once('SIGINT', () => shutdown('SIGINT'));
      });
    });
}
