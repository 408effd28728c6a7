// `ork simulate` against the real thing: for every example, the write requests the simulation
// reports per cycle (verb and resource) are the write requests the same engine sends to the real
// control plane for the same CR, cycle by cycle. The real side is driven like the simulation —
// each CR reconciled once per cycle, no workers — and between cycles it waits for what the
// simulator plays: workloads available, Jobs finished, and the caches current with the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KubeClient, RequestCounter, TerminatingNamespaces, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import { loadKatalog } from '../../packages/orkestra/src/katalog/loader.ts';
import { readObjectsFile } from '../../packages/orkestra/src/katalog/objects.ts';
import { DryRun } from '../../packages/orkestra/src/engine/dry-run.ts';
import { Simulation } from '../../packages/orkestra/src/engine/simulator.ts';
import { KubeCluster } from '../../packages/orkestra/src/engine/cluster/kube-cluster.ts';
import { installCrds } from '../../packages/orkestra/src/engine/crds.ts';
import { kubeconfigPath, repoDir } from '../../testenv/cluster.ts';
import { createNamespace, deleteNamespace, testClient, waitFor } from './operator-support.ts';

const EXAMPLES: { dir: string; cr: string }[] = [
  { dir: 'website', cr: 'website/website.yaml' },
  { dir: 'website-lite', cr: 'website/website.yaml' },
  { dir: 'website-ops', cr: 'website/website.yaml' },
  { dir: 'conditional', cr: 'conditional/app.yaml' },
  { dir: 'status', cr: 'status/serviceapp.yaml' },
  { dir: 'env-from-secrets', cr: 'env-from-secrets/backend.yaml' },
  { dir: 'state-machine', cr: 'state-machine/pipeline.yaml' },
];
const CYCLES = 5;
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

let admin: KubeClient;
before(() => { admin = testClient(); });
after(() => admin.close());

/** `verb plural` of a write, the same words on both sides: apply, patch, patchStatus, delete, create. */
function realWrite(s: { verb: string; resource: string }): string | undefined {
  if (['get', 'list', 'watch', 'discovery'].includes(s.verb) || s.resource.startsWith('events')) return undefined;
  const [res, sub] = s.resource.split('/');
  const plural = res!.split('.')[0]!;
  return `${s.verb === 'patch' && sub === 'status' ? 'patchStatus' : s.verb} ${plural}`;
}

const tally = (xs: string[]) => xs.sort().join(', ');

/** Between cycles: what the simulator plays (available workloads, finished Jobs), and caches current. */
async function settle(client: KubeClient, run: DryRun, ns: string): Promise<void> {
  await waitFor('workloads available, Jobs finished, caches current', async () => {
    for (const ref of [{ apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'apps/v1', kind: 'StatefulSet' }]) {
      for (const o of (await client.list(ref, { namespace: ns })).items) {
        if (((o.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0) < ((o.spec?.replicas as number | undefined) ?? 1)) return false;
      }
    }
    for (const j of (await client.list({ apiVersion: 'batch/v1', kind: 'Job' }, { namespace: ns })).items) {
      if (!((j.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === 'Complete' && c.status === 'True')) return false;
    }
    for (const box of run.runtime.boxes.values()) {
      const views = [box.crInformer!, ...[...box.kinds.values()].map((k) => k.informer)];
      for (const v of views) {
        const live = (await client.list(v.resource, { namespace: ns, labelSelector: v.scope.labelSelector })).items;
        const cached = v.list().filter((o) => o.metadata?.namespace === ns);
        if (live.length !== cached.length) return false;
        if (live.some((o: KubeObject) => v.get(o.metadata!.name!, ns)?.metadata?.resourceVersion !== o.metadata?.resourceVersion)) return false;
      }
    }
    return true;
  }, 90_000, 100);
}

describe('ork simulate reports the writes the real control plane receives', () => {
  for (const ex of EXAMPLES) {
    test(`examples/${ex.dir}: ${CYCLES} cycles, writes by verb and resource, cycle by cycle`, async () => {
      const loaded = await loadKatalog(join(repoDir, 'examples', ex.dir, 'katalog.yaml'));
      assert.ok(loaded.ok);
      const file = await readObjectsFile(join(repoDir, 'examples', ex.cr));
      assert.deepEqual(file.errors, []);
      const cr = file.objects[0]!.object as KubeObject;

      // The simulation.
      const sim = new Simulation({ katalog: loaded.katalog, crs: [cr], cycles: CYCLES, log: quiet });
      const simulated = (await sim.all()).map((c) => tally(c.crs.flatMap((x) => x.operations.map((o) => `${o.verb} ${o.resource}`))));

      // The same engine on the real control plane.
      const ns = await createNamespace(admin, `sim-${ex.dir}`);
      const client = KubeClient.fromKubeConfig({ path: kubeconfigPath });
      const requests = new RequestCounter().attach(client.transport);
      const kube = new KubeCluster(client, { fieldManager: 'orkestra', identity: 'simulate-vs-real', terminating: new TerminatingNamespaces() });
      const run = new DryRun(loaded.katalog, kube, { log: quiet, namespace: ns });
      try {
        await installCrds(admin, kube.writer, loaded.katalog.crds);
        await admin.create({ ...cr, metadata: { ...cr.metadata, namespace: ns } });
        await run.start();
        await waitFor('the CR in the cache', () => run.runtime.boxes.values().next().value!.crInformer!.list().some((o) => o.metadata?.namespace === ns));
        const real: string[] = [];
        for (let n = 1; n <= CYCLES; n++) {
          requests.reset();
          await run.cycle((_crd, o) => o.metadata?.namespace === ns);
          real.push(tally(requests.samples.map(realWrite).filter((w): w is string => w !== undefined)));
          await settle(admin, run, ns);
        }
        assert.deepEqual(real, simulated, `per cycle, real vs simulated:\n${real.map((r, i) => `  ${i + 1}: ${r || '—'}  |  ${simulated[i] || '—'}`).join('\n')}`);
        assert.equal(simulated[CYCLES - 1], '', 'both reach a steady state');
      } finally {
        await run.stop();
        for (const box of run.runtime.boxes.values()) {
          const ref = { apiVersion: box.apiVersion, kind: box.entry.apiTypes.kind };
          for (const o of (await admin.list(ref, { namespace: ns }).catch(() => ({ items: [] as KubeObject[] }))).items) {
            await admin.patch(ref, o.metadata!.name!, { metadata: { finalizers: null } }, { namespace: ns }).catch(() => undefined);
          }
        }
        await deleteNamespace(admin, ns);
        client.close();
      }
    });
  }
});
