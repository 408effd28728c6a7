import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKatalogText } from '../katalog/loader.ts';
import { OperatorBox, type BoxDeps } from './operator-box.ts';
import type { CacheView } from './ports.ts';
import { MemoryCluster } from './memory/memory-cluster.ts';

const KATALOG = `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: { name: k }
spec:
  crds:
    thing:
      apiTypes: { group: x.io, version: v1, kind: Thing, plural: things }
      operatorBox:
        onCreate:
          configMaps:
            - name: "{{ .metadata.name }}"
              data: { a: b }
`;

function box(): OperatorBox {
  const r = loadKatalogText(KATALOG, '/tmp/k.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  // healthSnapshot reads only the box's own state and its CR view.
  return new OperatorBox(r.katalog.crds[0]!, { katalog: r.katalog, cluster: new MemoryCluster() } as unknown as BoxDeps);
}

test('a CRD deleted under a running box: waiting, not served, since when and why; healthy again once served', () => {
  const b = box();
  const view = { notFoundSince: 0, lastError: undefined as unknown, list: () => [] };
  b.crInformer = view as unknown as CacheView;
  b.startWorkers();
  assert.deepEqual([b.healthSnapshot().status, b.healthSnapshot().healthy, b.healthSnapshot().crdServed], ['healthy', true, true]);

  view.notFoundSince = Date.parse('2030-01-01T00:00:00Z');
  view.lastError = new Error('watch https://k/apis/x.io/v1/things: 404 NotFound: 404 page not found');
  const h = b.healthSnapshot();
  assert.equal(h.status, 'waiting');
  assert.equal(h.state, 'running', 'workers stay on for when the CRD is back');
  assert.equal(h.healthy, false);
  assert.equal(h.crdServed, false);
  assert.equal(h.crdMissingSince, '2030-01-01T00:00:00.000Z');
  assert.match(h.lastError ?? '', /^CRD things\.x\.io is no longer served: .*404 NotFound/);

  view.notFoundSince = 0;
  assert.deepEqual([b.healthSnapshot().status, b.healthSnapshot().crdServed], ['healthy', true]);
  void b.stop(0);
});

test('a CRD not served at start is waiting and not served; a stopped box stays stopped even if its CRD is gone', async () => {
  const b = box();
  b.setWaiting(new Error('the server has no resource for kind Thing in x.io/v1'));
  assert.deepEqual([b.healthSnapshot().status, b.healthSnapshot().crdServed], ['waiting', false]);
  b.crInformer = { notFoundSince: 1 } as unknown as CacheView;
  await b.stop(0);
  assert.equal(b.healthSnapshot().status, 'stopped');
});
