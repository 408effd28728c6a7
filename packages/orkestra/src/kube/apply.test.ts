// The applier's answer to "did this write change anything?" when the informer cache lags behind
// our own writes. The client here is a stand-in that plays an API server's resourceVersions (the
// end-to-end behaviour against a real server is in test/e2e/kube-client.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Applier } from './apply.ts';
import type { KubeClient } from './client.ts';
import type { KubeObject } from './types.ts';

/** Bumps resourceVersion only when the applied content differs from what it holds. */
function versionedServer(): { client: KubeClient; requests: () => number; edit: (body: KubeObject) => KubeObject } {
  let rv = 100;
  let held: string | undefined;
  let count = 0;
  const write = (body: KubeObject, part: string) => {
    count++;
    const content = JSON.stringify({ ...body, metadata: { ...body.metadata, resourceVersion: undefined } }) + part;
    if (content !== held) {
      held = content;
      rv++;
    }
    return { ...body, metadata: { ...body.metadata, resourceVersion: String(rv) } } as KubeObject;
  };
  const client = {
    apply: async (body: KubeObject) => write(body, ''),
    patchStatus: async (live: KubeObject, status: Record<string, unknown>) => write({ ...live, status }, '/status'),
  } as unknown as KubeClient;
  // Someone else's write: the server moves on, the request is not ours to count.
  const edit = (body: KubeObject) => {
    const out = write(body, '');
    count--;
    return out;
  };
  return { client, requests: () => count, edit };
}

const cm = (value: string, rv?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns', ...(rv ? { resourceVersion: rv } : {}) }, data: { k: value } });

test('a write the server already had (stale cache) is not reported as a change; a real one is', async () => {
  const server = versionedServer();
  const applier = new Applier(server.client, { fieldManager: 'test' });

  const created = await applier.apply(cm('a'), undefined);
  assert.equal(created.changed, true, 'a new object is a change');
  // The watch has not delivered the create yet: the cache still has nothing.
  const again = await applier.apply(cm('a'), undefined);
  assert.equal(again.changed, false, 'the same create answered with our own version is no change');

  // Someone edits the object; our correction is a change, then a reconcile on the stale cache
  // (still showing the edit) sends the correction again: no second change.
  const edited = server.edit(cm('edited'));
  const corrected = await applier.apply(cm('a'), edited);
  assert.equal(corrected.changed, true);
  const repeated = await applier.apply(cm('a'), edited);
  assert.equal(repeated.changed, false, 'the repeat of our own correction is no change');
  assert.equal(server.requests(), 4, 'the stale cache still costs a request; only the report differs');

  // A real change after that is reported.
  assert.equal((await applier.apply(cm('b'), edited)).changed, true);
});

test('status patches: the repeat of our own status write on a stale cache is no change', async () => {
  const server = versionedServer();
  const applier = new Applier(server.client, { fieldManager: 'test' });
  const live = cm('a', '100');
  assert.equal((await applier.applyStatus(live, { phase: 'Ready' })).changed, true);
  assert.equal((await applier.applyStatus(live, { phase: 'Ready' })).changed, false);
  assert.equal((await applier.applyStatus(live, { phase: 'Failed' })).changed, true);
});
