// Shared helpers for end-to-end tests against the local control plane: a client from the test
// kubeconfig (with a request counter attached), and one namespace per test, deleted afterwards.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { KubeClient, RequestCounter, isNotFound, type KubeClientOptions } from '../../packages/orkestra/src/kube/index.ts';
import { kubeconfigPath } from '../../testenv/cluster.ts';
import { waitFor } from './wait.ts';

export { waitFor } from './wait.ts';

export interface TestClient {
  client: KubeClient;
  /** Counts every request this client sends (through the transport's metrics hook). */
  requests: RequestCounter;
}

export function testClient(opts: KubeClientOptions = {}): TestClient {
  const client = KubeClient.fromKubeConfig({ path: kubeconfigPath, ...opts });
  const requests = new RequestCounter().attach(client.transport);
  return { client, requests };
}

const NS = { apiVersion: 'v1', kind: 'Namespace' };

/** A DNS-label-safe unique name: prefix + random suffix. */
export function uniqueName(prefix: string): string {
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return `${base}-${randomBytes(3).toString('hex')}`;
}

/**
 * Creates a fresh namespace for the test and deletes it when the test ends (deletion is not
 * awaited to completion: namespace finalization runs in the controller-manager).
 */
export async function testNamespace(t: TestContext | { after: (fn: () => Promise<void>) => void }, client: KubeClient, prefix = 'e2e'): Promise<string> {
  const name = uniqueName(`ork-${prefix}`);
  await client.create({ ...NS, metadata: { name, labels: { 'orkestra.dev/e2e': 'true' } } });
  t.after(async () => {
    try {
      await client.delete(NS, name, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  });
  // The namespace is usable at once, but wait until the server lists it so watches see it.
  await waitFor(() => client.get(NS, name), { timeoutMs: 10_000, message: `namespace ${name}` });
  return name;
}
