// `ork plan` / `ork diff` against the real control plane: after a Katalog change they show the
// field that would change, and they send no write — counted on the client they use.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient, RequestCounter, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';
import type { RunningOperator } from '../../packages/orkestra/src/cli/run.ts';
import { planCommand, runPlan } from '../../packages/orkestra/src/cli/plan.ts';
import { kubeconfigPath, repoDir } from '../../testenv/cluster.ts';
import { createNamespace, deleteNamespace, getOrUndefined, runKatalog, stopAndClean, testClient, waitFor } from './operator-support.ts';

const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const katalog = join(repoDir, 'examples/website/katalog.yaml');

let client: KubeClient;
let ns: string;
let op: RunningOperator | undefined;
let dir: string;

const ready = (o: KubeObject | undefined) => ((o?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')?.status;

before(async () => {
  client = testClient();
  ns = await createNamespace(client, 'plan');
  dir = await mkdtemp(join(tmpdir(), 'ork-plan-'));
  op = await runKatalog(katalog, ns);
  await client.create({ ...WEBSITE, metadata: { name: 'site', namespace: ns }, spec: { image: 'nginx:1.27', replicas: 1, port: 8080 } });
  // Converged: Ready, the Service there, and the pod's readiness reported in status.
  await waitFor('the Website converged', async () => {
    const cr = await getOrUndefined(client, WEBSITE, 'site', ns);
    return ready(cr) === 'True' && (cr?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1 && (await getOrUndefined(client, SERVICE, 'site', ns)) !== undefined;
  }, 60_000);
  // The plan reads the cluster as the operator left it: stop the operator first.
  await op.stop();
  op = undefined;
});

after(async () => {
  await stopAndClean(op, client, ns);
  // The operator is stopped: the CR's finalizer must go by hand, or the namespace never goes.
  await client.patch(WEBSITE, 'site', { metadata: { finalizers: null } }, { namespace: ns }).catch(() => undefined);
  await deleteNamespace(client, ns);
  client.close();
});

/** A client that counts what it sends, and the writes among that. */
function countingClient(): { client: KubeClient; writes: () => number; requests: RequestCounter } {
  const c = KubeClient.fromKubeConfig({ path: kubeconfigPath });
  const requests = new RequestCounter().attach(c.transport);
  const writes = () => requests.samples.filter((r) => !['get', 'list', 'watch'].includes(r.verb)).length;
  return { client: c, writes, requests };
}

test('plan of the Katalog the CR converged with: nothing would change (exit 0), no write sent', async () => {
  const { client: c, writes } = countingClient();
  try {
    const outcome = await planCommand({ katalog, namespace: ns, client: c }, 'plan');
    assert.equal(outcome.exitCode, 0, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /No changes: 1 CR match/);
    assert.equal(writes(), 0);
  } finally {
    c.close();
  }
});

test('plan after a Katalog change shows the field that would change (exit 2) and sends 0 writes; diff shows it as a unified diff', async () => {
  const changed = join(dir, 'katalog.yaml');
  await writeFile(changed, (await readFile(katalog, 'utf8')).replace('port: 80\n', 'port: 8081\n'));
  const { client: c, writes, requests } = countingClient();
  try {
    const outcome = await planCommand({ katalog: changed, namespace: ns, client: c }, 'plan');
    assert.equal(outcome.exitCode, 2, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, new RegExp(`~ update Service ${ns}/site`));
    assert.match(outcome.stdout, /spec\.ports\[port=8081\]|spec\.ports.*80 → .*8081|port/);
    const report = await runPlan({ katalog: changed, namespace: ns, client: c });
    const svc = report.crs[0]!.changes.find((x) => x.kind === 'Service')!;
    assert.equal(svc.action, 'update');
    assert.ok(svc.fields!.some((f) => f.path.startsWith('spec.ports')), JSON.stringify(svc.fields));
    assert.deepEqual(report.writes.map((w) => `${w.verb} ${w.kind}`), ['apply Service'], 'exactly the one write the real run would send');
    const diff = await planCommand({ katalog: changed, namespace: ns, client: c }, 'diff');
    assert.equal(diff.exitCode, 2);
    assert.match(diff.stdout, new RegExp(`^--- live/Service/${ns}/site$`, 'm'));
    assert.match(diff.stdout, /^-\s+- port: 80$/m);
    assert.match(diff.stdout, /^\+\s+- port: 8081$/m);
    assert.equal(writes(), 0, `requests sent: ${JSON.stringify([...requests.totals().keys()])}`);
  } finally {
    c.close();
  }
  // Nothing changed on the cluster.
  const svc = await getOrUndefined(client, SERVICE, 'site', ns);
  assert.equal((svc?.spec as { ports: { port: number }[] }).ports[0]!.port, 80);
});

test('plan --cr of a CR the cluster does not have shows what it would create; a bad --cr file gets file:line errors', async () => {
  const crFile = join(dir, 'new.yaml');
  await writeFile(crFile, `apiVersion: demo.orkestra.io/v1alpha1\nkind: Website\nmetadata:\n  name: fresh\n  namespace: ${ns}\nspec:\n  image: nginx:1.27\n  replicas: 2\n  port: 8080\n`);
  const { client: c, writes } = countingClient();
  try {
    const outcome = await planCommand({ katalog, cr: crFile, client: c }, 'plan');
    assert.equal(outcome.exitCode, 2, outcome.stdout + outcome.stderr);
    assert.match(outcome.stdout, /Website .*\/fresh \(not in the cluster yet\)/);
    assert.match(outcome.stdout, new RegExp(`\\+ create Deployment ${ns}/fresh`));
    assert.match(outcome.stdout, new RegExp(`\\+ create Service ${ns}/fresh`));
    assert.doesNotMatch(outcome.stdout, /\/site/, 'only the CR of the file is planned');
    assert.equal(writes(), 0);

    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'apiVersion: demo.orkestra.io/v1alpha1\nkind: Website\nmetadata:\n  namespace: x\nspec: {}\n');
    const b = await planCommand({ katalog, cr: bad, client: c }, 'plan');
    assert.equal(b.exitCode, 1);
    assert.match(b.stderr, /bad\.yaml:4:3: error: missing required field `name` \(at metadata\)/);
  } finally {
    c.close();
  }
});
