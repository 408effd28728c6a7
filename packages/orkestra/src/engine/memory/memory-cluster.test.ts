// The cluster contract against the memory cluster (no control plane), plus what only the memory
// cluster offers: the operation log, seeding, explicit resync, frozen answers, speed.
import assert from 'node:assert/strict';
import { clusterContract, contractCrd, type ContractTarget } from '../cluster/contract.ts';
import { MemoryCluster } from './memory-cluster.ts';

let namespaces = 0;

async function memoryTarget(cluster: MemoryCluster): Promise<ContractTarget> {
  const group = 'contract.orkestra.dev';
  await cluster.create(contractCrd(group, 'Widget', 'widgets', true));
  await cluster.create(contractCrd(group, 'Gadget', 'gadgets', false));
  return {
    api: cluster,
    reader: cluster.reader,
    writer: cluster.writer,
    namespace: async () => {
      const name = `contract-${++namespaces}`;
      await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      return name;
    },
    withStatus: { apiVersion: `${group}/v1`, kind: 'Widget' },
    withoutStatus: { apiVersion: `${group}/v1`, kind: 'Gadget' },
    writeRequests: () => cluster.writeRequests(),
    resetRequests: () => cluster.resetRequests(),
    // Everything is synchronous here: a condition that does not hold at once never will.
    waitFor: async (condition, opts) => {
      const v = await condition();
      if (!v) throw new Error(`not so at once (the memory cluster does not lag): ${opts.message}`);
      return v as NonNullable<Awaited<typeof v>>;
    },
  };
}

let current: MemoryCluster | undefined;
clusterContract('memory', {
  start: () => memoryTarget((current = new MemoryCluster())),
  stop: async () => {
    await current?.stop();
    assert.deepEqual(current?.handlerErrors, []);
  },
});
