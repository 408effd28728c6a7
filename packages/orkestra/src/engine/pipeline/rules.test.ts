// The rule stages (normalize → mutate → validate) over the in-memory cluster, driven by hand like
// reconciler.test.ts: the seed README's Website block, read through the operation log.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadKatalogText } from '../../katalog/loader.ts';
import type { KubeObject } from '../../kube/index.ts';
import { MemoryCluster, type Operation } from '../memory/memory-cluster.ts';
import { DryRun } from '../dry-run.ts';
import { crdFromApiTypes } from '../crds.ts';

const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const SERVICE = { apiVersion: 'v1', kind: 'Service' };

// The seed README's "Validation and mutation" block, with children that read the defaulted fields.
const README_RULES = `validation:
  rules:
    - field: spec.image
      prefix: "myorg/"
      message: "images must come from the internal registry"
      action: deny
mutation:
  mutateFirst: true
  rules:
    - field: spec.replicas
      default: "2"
    - field: spec.port
      default: "8080"`;
const CHILDREN = `operatorBox:
  onCreate:
    deployments:
      - name: "{{ .metadata.name }}"
        image: "{{ .spec.image }}"
        replicas: "{{ .spec.replicas }}"
        port: "{{ .spec.port }}"
        reconcile: true
    services:
      - name: "{{ .metadata.name }}"
        port: "{{ .spec.port }}"`;

function katalog(entry: string): string {
  return `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: rules}
spec:
  crds:
    website:
      apiTypes: {group: demo.orkestra.io, version: v1alpha1, kind: Website, plural: websites}
${entry.replace(/^/gm, '      ')}
`;
}

async function harness(entry: string, spec: Record<string, unknown>) {
  const loaded = loadKatalogText(katalog(entry), '/unit/katalog.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  const clock = { t: Date.parse('2026-06-01T00:00:00Z'), now() { return this.t; } };
  const cluster = new MemoryCluster({ clock });
  cluster.load([crdFromApiTypes(loaded.katalog.crds[0]!), { ...WEBSITE, metadata: { name: 'site', namespace: 'default' }, spec }]);
  const run = new DryRun(loaded.katalog, cluster, { log: quiet, clock });
  await run.start();
  const reconciler = run.runtime.boxes.get('website')!.reconciler!;
  return {
    cluster, reconciler,
    async reconcile(): Promise<Operation[]> {
      cluster.takeOperations();
      cluster.takeEvents();
      await reconciler.reconcile('default/site');
      return cluster.takeOperations();
    },
    cr: (): KubeObject => cluster.objects(WEBSITE)[0]!,
    edit: (patch: Record<string, unknown>) => cluster.patch(WEBSITE, 'site', { spec: patch }, { namespace: 'default' }),
    stop: () => run.stop(),
  };
}

const brief = (ops: Operation[]) => ops.map((o) => `${o.verb} ${o.resource}/${o.name}`);
type Cond = { type: string; status: string; reason: string; message: string };
const condition = (o: KubeObject, type: string) => (o.status?.conditions as Cond[] | undefined)?.find((c) => c.type === type);

describe('rule stages at reconcile (seed README Website)', () => {
  it('a deny stops the reconcile before any child write; the fixed CR gets its children', async () => {
    const h = await harness(`${README_RULES}\n${CHILDREN}`, { image: 'nginx:1.27' });
    const ops = brief(await h.reconcile());
    assert.deepEqual(ops, ['patch websites/site', 'patchStatus websites/site'], 'the finalizer and the status, no child');
    const ready = condition(h.cr(), 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready?.reason, 'ValidationFailed');
    assert.equal(ready?.message, 'images must come from the internal registry');
    assert.deepEqual(h.cr().status?.errors, [{ path: 'spec.image', reason: 'ValidationFailed', message: 'images must come from the internal registry' }]);
    const warnings = h.cluster.recordedEvents().filter((e) => e.type === 'Warning');
    assert.deepEqual(warnings.map((e) => [e.reason, e.note]), [['WebsiteReconcileError', 'images must come from the internal registry']]);
    assert.deepEqual(h.cluster.objects(DEPLOYMENT), []);
    const last = h.reconciler.last.get('default/site');
    assert.equal(last?.terminal, true, 'terminal: not retried with backoff');

    // A resync meets the same denial: no write, no second event.
    assert.deepEqual(await h.reconcile(), []);
    assert.deepEqual(h.cluster.takeEvents(), []);

    await h.edit({ image: 'myorg/nginx:1.27' });
    assert.deepEqual(brief(await h.reconcile()).sort(), ['apply deployments/site', 'apply services/site', 'patchStatus websites/site']);
    assert.equal(condition(h.cr(), 'Ready')?.status, 'True');
    assert.equal(h.cr().status?.errors, undefined);
    await h.stop();
  });

  it('mutation defaults are what the templates see (replicas 2, port 8080); the stored CR keeps what the user wrote', async () => {
    const h = await harness(`${README_RULES}\n${CHILDREN}`, { image: 'myorg/web' });
    await h.reconcile();
    const dep = h.cluster.objects(DEPLOYMENT)[0]!;
    const spec = dep.spec as { replicas: number; template: { spec: { containers: { image: string; ports: { containerPort: number }[] }[] } } };
    assert.equal(spec.replicas, 2);
    assert.equal(spec.template.spec.containers[0]!.ports[0]!.containerPort, 8080);
    assert.equal((h.cluster.objects(SERVICE)[0]!.spec as { ports: { port: number }[] }).ports[0]!.port, 8080);
    assert.deepEqual(h.cr().spec, { image: 'myorg/web' }, 'reconcile-time mutation never writes the CR');

    // A value the user sets wins over the default.
    await h.edit({ replicas: 5 });
    await h.reconcile();
    assert.equal((h.cluster.objects(DEPLOYMENT)[0]!.spec as { replicas: number }).replicas, 5);
    await h.stop();
  });

  it('mutateFirst decides whether validation sees the defaults', async () => {
    const rules = (first: boolean) => `validation: [{field: spec.port, exists: true, message: a port is needed}]
mutation:
  mutateFirst: ${first}
  rules: [{field: spec.port, default: 8080, valueType: int}]
${CHILDREN}`;
    const after = await harness(rules(true), { image: 'myorg/web' });
    await after.reconcile();
    assert.equal(condition(after.cr(), 'Ready')?.status, 'True');
    await after.stop();
    const before = await harness(rules(false), { image: 'myorg/web' });
    await before.reconcile();
    assert.equal(condition(before.cr(), 'Ready')?.message, 'a port is needed');
    assert.deepEqual(before.cluster.objects(DEPLOYMENT), []);
    await before.stop();
  });

  it('a warn rule shows a ValidationWarning condition and does not block; the condition goes when it holds', async () => {
    const h = await harness(`validation:
  rules:
    - {field: spec.image, prefix: "myorg/"}
    - {field: spec.image, notSuffix: ":latest", action: warn, message: "pin the image tag"}
    - {field: spec.owner, exists: true, action: warn}
${CHILDREN}`, { image: 'myorg/web:latest', replicas: 1, port: 80 });
    const ops = brief(await h.reconcile());
    assert.ok(ops.includes('apply deployments/site'), ops.join(', '));
    assert.equal(condition(h.cr(), 'Ready')?.status, 'True');
    const warn = condition(h.cr(), 'ValidationWarning');
    assert.equal(warn?.status, 'True');
    assert.equal(warn?.message, 'pin the image tag; spec.owner must be set (not set; rule spec.crds.website.validation.rules[2])');
    assert.deepEqual(h.reconciler.last.get('default/site')?.warnings, ['pin the image tag', 'spec.owner must be set (not set; rule spec.crds.website.validation.rules[2])']);
    assert.deepEqual(await h.reconcile(), [], 'a steady warning costs no write');

    await h.edit({ image: 'myorg/web:1.0', owner: 'team-a' });
    await h.reconcile();
    assert.equal(condition(h.cr(), 'ValidationWarning'), undefined);
    assert.equal(condition(h.cr(), 'Ready')?.status, 'True');
    await h.stop();
  });

  it('every deny is reported together; a rule whose template fails denies with that error', async () => {
    const h = await harness(`validation:
  rules:
    - {field: spec.image, prefix: "myorg/", message: "images must come from the internal registry"}
    - {field: spec.replicas, max: "10", valueType: int}
    - {field: spec.image, suffix: '{{ .spec.tag | required "spec.tag is required" }}'}
${CHILDREN}`, { image: 'nginx', replicas: 20, port: 80 });
    await h.reconcile();
    const errors = h.cr().status?.errors as { path: string; reason: string; message: string }[];
    assert.deepEqual(errors.map((e) => [e.path, e.reason]), [
      ['spec.image', 'ValidationFailed'], ['spec.replicas', 'ValidationFailed'], ['spec.crds.website.validation.rules[2]', 'ValidationFailed'],
    ]);
    assert.match(errors[2]!.message, /rules\[2\]\.value: .*spec\.tag is required/);
    assert.equal(h.cluster.recordedEvents().filter((e) => e.type === 'Warning').length, 1);
    assert.deepEqual(h.cluster.objects(DEPLOYMENT), []);
    await h.stop();
  });

  it('normalize rewrites what the templates see, from the raw CR; a failing mutation stops the reconcile as a TemplateError', async () => {
    const h = await harness(`normalize:
  spec:
    image: "myorg/{{ .spec.image }}"
    replicas: "{{ .spec.size }}"
${CHILDREN}`, { image: 'web', size: '3', port: 80 });
    await h.reconcile();
    const dep = h.cluster.objects(DEPLOYMENT)[0]!.spec as { replicas: number; template: { spec: { containers: { image: string }[] } } };
    assert.equal(dep.template.spec.containers[0]!.image, 'myorg/web');
    assert.equal(dep.replicas, 3);
    assert.deepEqual(h.cr().spec, { image: 'web', size: '3', port: 80 });
    await h.stop();

    const m = await harness(`mutation: [{field: spec.replicas, default: '{{ fail "no default replicas" }}'}]\n${CHILDREN}`, { image: 'web', port: 80 });
    assert.deepEqual(brief(await m.reconcile()), ['patch websites/site', 'patchStatus websites/site']);
    const ready = condition(m.cr(), 'Ready');
    assert.equal(ready?.reason, 'TemplateError');
    assert.match(ready?.message ?? '', /spec\.crds\.website\.mutation\[0\]\.default: .*no default replicas/);
    await m.stop();
  });

  it('a deleted CR is cleaned up even while its validation denies', async () => {
    const h = await harness(`${README_RULES}\n${CHILDREN}`, { image: 'myorg/web' });
    await h.reconcile();
    await h.edit({ image: 'nginx' });
    await h.reconcile();
    assert.equal(condition(h.cr(), 'Ready')?.reason, 'ValidationFailed');
    await h.cluster.delete(WEBSITE, 'site', { namespace: 'default' });
    const ops = brief(await h.reconcile());
    assert.ok(ops.includes('delete deployments/site') && ops.includes('patch websites/site'), ops.join(', '));
    assert.deepEqual(h.cluster.objects(WEBSITE), []);
    await h.stop();
  });
});
