// Helpers for end-to-end tests that run Orkestra in-process against the test control plane.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { KubeClient, isNotFound, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { startOperator, type RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { kubeconfigPath } from '../../testenv/cluster.ts';

export const NS_TYPE = { apiVersion: 'v1', kind: 'Namespace' };

export function testClient(): KubeClient {
  return KubeClient.fromKubeConfig({ path: kubeconfigPath });
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function createNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.create({ ...NS_TYPE, metadata: { name } });
  return name;
}

export async function deleteNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(NS_TYPE, name).catch((e) => { if (!isNotFound(e)) throw e; });
}

export async function getOrUndefined(client: KubeClient, ref: { apiVersion: string; kind: string }, name: string, namespace?: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(ref, name, { namespace });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Starts the operators of a Katalog in this process, watching one namespace, quietly. */
export async function runKatalog(katalog: string, namespace: string, opts: { installCrds?: boolean } = {}): Promise<RunningOperator> {
  return startOperator({
    katalog,
    kubeconfig: kubeconfigPath,
    namespace,
    installCrds: opts.installCrds ?? true,
    logger: pino({ level: process.env.ORK_TEST_LOG ?? 'silent' }),
  });
}

/**
 * Ends a test's operator cleanly: deletes every CR of its CRDs in `namespace` while the operator
 * still runs (so its finalizer does the cleanup), stops it, drops any finalizer left behind, and
 * deletes the namespace — which would otherwise hang in Terminating on our finalizer.
 */
export async function stopAndClean(op: RunningOperator | undefined, client: KubeClient, namespace: string): Promise<void> {
  const refs = op ? [...op.runtime.boxes.values()].map((b) => ({ apiVersion: b.apiVersion, kind: b.entry.apiTypes.kind })) : [];
  const list = async (ref: { apiVersion: string; kind: string }) => (await client.list(ref, { namespace }).catch(() => ({ items: [] as KubeObject[] }))).items;
  for (const ref of refs) {
    for (const o of await list(ref)) await client.delete(ref, o.metadata!.name!, { namespace }).catch(() => undefined);
  }
  try {
    await waitFor('the test CRs to be finalized', async () => (await Promise.all(refs.map(list))).every((items) => items.length === 0), 15_000);
  } finally {
    await op?.stop();
    for (const ref of refs) {
      for (const o of await list(ref)) {
        await client.patch(ref, o.metadata!.name!, { metadata: { finalizers: null } }, { namespace }).catch(() => undefined);
      }
    }
    await deleteNamespace(client, namespace);
  }
}
