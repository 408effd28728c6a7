// Leader election on a real Lease: exactly one of two contenders leads; when it stops (released
// or abandoned) the other leads within leaseDuration + 2 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LeaderElector, type KubeClient } from '../../packages/orkestra/src/kube/index.ts';
import { testClient, testNamespace, waitFor } from '../support/kube.ts';

const LEASE_MS = 4000;

function contender(client: KubeClient, ns: string, identity: string, log: string[]): LeaderElector {
  return new LeaderElector(client, {
    namespace: ns,
    name: 'orkestra-e2e',
    identity,
    leaseDurationMs: LEASE_MS,
    renewDeadlineMs: 3000,
    retryPeriodMs: 500,
    onStartedLeading: () => log.push(`${identity}:started`),
    onStoppedLeading: () => log.push(`${identity}:stopped`),
    onNewLeader: (who) => log.push(`${identity}:sees:${who}`),
  });
}

for (const release of [true, false]) {
  test(`two contenders: exactly one leads; after the leader ${release ? 'stops and releases' : 'vanishes without releasing'}, the other leads within the lease duration + 2 s`, async (t) => {
    const { client } = testClient();
    t.after(() => client.close());
    const ns = await testNamespace(t, client, release ? 'leader-release' : 'leader-abandon');
    const log: string[] = [];
    const a = contender(client, ns, 'a', log);
    const b = contender(client, ns, 'b', log);
    t.after(() => Promise.all([a.stop(), b.stop()]).then(() => undefined));
    a.start();
    b.start();
    const first = await waitFor(() => (a.isLeader() ? a : b.isLeader() ? b : undefined), { timeoutMs: 10_000, message: 'a leader' });
    const other = first === a ? b : a;
    // Both agree on who leads, and it stays that way across several renewals.
    await waitFor(() => other.leader === first.identity, { timeoutMs: 5_000, message: 'the follower sees the leader' });
    const until = Date.now() + 2 * 500 * 3;
    await waitFor(() => {
      assert.ok(!(a.isLeader() && b.isLeader()), 'never two leaders');
      assert.ok(first.isLeader(), 'the leader keeps leading while it renews');
      return Date.now() > until;
    }, { timeoutMs: 10_000, intervalMs: 20, message: 'a stable leader' });
    const lease = await client.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' }, 'orkestra-e2e', { namespace: ns });
    assert.equal(lease.spec?.holderIdentity, first.identity);

    const stoppedAt = Date.now();
    await first.stop({ release });
    assert.equal(first.isLeader(), false);
    assert.ok(log.includes(`${first.identity}:stopped`));
    await waitFor(() => other.isLeader(), { timeoutMs: LEASE_MS + 2000, intervalMs: 20, message: `${other.identity} leads` });
    const takeoverMs = Date.now() - stoppedAt;
    if (release) assert.ok(takeoverMs < 2000, `a released lease is taken at the next retry (took ${takeoverMs} ms)`);
    const after = await client.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' }, 'orkestra-e2e', { namespace: ns });
    assert.equal(after.spec?.holderIdentity, other.identity);
    assert.equal(after.spec?.leaseTransitions, 1);
    assert.ok(log.includes(`${other.identity}:started`));
    console.error(`[kube-leader] ${release ? 'released' : 'abandoned'} lease taken over in ${takeoverMs} ms (lease ${LEASE_MS} ms)`);
  });
}
