// The cluster contract against the real API server: KubeClient for the raw verbs, KubeCluster's
// informer-backed reader and ApiWriter for the ports. The memory cluster runs the same suite
// (packages/orkestra/src/engine/memory/memory-cluster.test.ts).
import { KubeClient, TerminatingNamespaces, isNotFound, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { KubeCluster } from '../../packages/orkestra/src/engine/cluster/kube-cluster.ts';
import { clusterContract, contractCrd, type ContractTarget } from '../../packages/orkestra/src/engine/cluster/contract.ts';
import { testClient, testNamespace, uniqueName, waitFor } from '../support/kube.ts';

const WRITES = new Set(['create', 'apply', 'patch', 'update', 'delete']);
const cleanups: (() => Promise<void>)[] = [];
let client: KubeClient | undefined;
let cluster: KubeCluster | undefined;

async function start(): Promise<ContractTarget> {
  const tc = testClient();
  client = tc.client;
  const c = tc.client;
  cluster = new KubeCluster(c, { fieldManager: 'orkestra-contract', identity: 'contract', terminating: new TerminatingNamespaces() });
  const group = `${uniqueName('contract')}.orkestra.dev`;
  const crds: KubeObject[] = [contractCrd(group, 'Widget', 'widgets', true), contractCrd(group, 'Gadget', 'gadgets', false)];
  for (const crd of crds) {
    await c.create(crd);
    cleanups.push(async () => {
      await c.delete(crd, crd.metadata!.name!).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    });
  }
  const withStatus = { apiVersion: `${group}/v1`, kind: 'Widget' };
  const withoutStatus = { apiVersion: `${group}/v1`, kind: 'Gadget' };
  // Served once discovery lists them and a list answers (the CRD is Established).
  for (const ref of [withStatus, withoutStatus]) await waitFor(() => c.list(ref, { namespace: 'default' }), { timeoutMs: 30_000, message: `${ref.kind} served` });
  const afterHooks = { after: (fn: () => Promise<void>) => void cleanups.push(fn) };
  return {
    api: c,
    reader: cluster.reader,
    writer: cluster.writer,
    namespace: () => testNamespace(afterHooks, c, 'contract'),
    withStatus,
    withoutStatus,
    writeRequests: () => tc.requests.samples.filter((s) => WRITES.has(s.verb)).length,
    resetRequests: () => tc.requests.reset(),
    waitFor: (condition, opts) => waitFor(condition, { ...opts, intervalMs: 20 }),
  };
}

clusterContract('real API server', {
  start,
  stop: async () => {
    await cluster?.stop();
    for (const fn of cleanups.splice(0).reverse()) await fn();
    client?.close();
  },
});
