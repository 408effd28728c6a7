// The Runtime's start path over the memory cluster: a box whose CRD is not served waits and tries
// again with a growing delay, one log line per attempt, and starts once the CRD appears; preparing
// a box twice (a retry after a sync timeout) does not wire it twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKatalogText } from '../katalog/loader.ts';
import { MemoryCluster } from './memory/memory-cluster.ts';
import { Runtime } from './runtime.ts';
import { crdFromApiTypes } from './crds.ts';

/** Polls `done` until it holds, or fails after `timeoutMs`. */
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const KATALOG = `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: k}
spec:
  crds:
    thing:
      apiTypes: {group: x.io, version: v1, kind: Thing, plural: things}
      operatorBox:
        onCreate:
          configMaps:
            - name: "{{ .metadata.name }}"
              data: {a: b}
`;

test('a box waiting for its CRD retries with a growing delay, logs once per attempt, and starts when the CRD appears', async () => {
  const loaded = loadKatalogText(KATALOG, '/k/katalog.yaml');
  assert.ok(loaded.ok);
  const attempts: { at: number; attempt: number; retryInMs: number }[] = [];
  const log = {
    info() {}, error() {}, debug() {},
    warn(o: object, msg: string) {
      if (msg === 'operator waiting for its CRD') attempts.push({ at: performance.now(), ...(o as { attempt: number; retryInMs: number }) });
    },
  };
  const cluster = new MemoryCluster();
  const rt = new Runtime(loaded.katalog, { cluster, log, retryMs: 20 });
  await rt.startInformers(1_000);
  const box = rt.boxes.get('thing')!;
  assert.equal(box.healthSnapshot().state, 'waiting');
  await waitUntil(() => attempts.length >= 4, 5_000);
  assert.deepEqual(attempts.slice(0, 4).map((a) => [a.attempt, a.retryInMs]), [[1, 20], [2, 40], [3, 80], [4, 160]]);
  for (let i = 1; i < 4; i++) assert.ok(attempts[i]!.at - attempts[i - 1]!.at >= attempts[i - 1]!.retryInMs - 2, `attempt ${i + 1} came after the announced wait`);

  cluster.load([crdFromApiTypes(loaded.katalog.crds[0]!)]);
  await waitUntil(() => box.reconciler !== undefined, 5_000);
  const reconciler = box.reconciler;
  await box.prepare();
  assert.equal(box.reconciler, reconciler, 'a second prepare leaves the box as it was wired');
  await rt.stop(1_000);
});
