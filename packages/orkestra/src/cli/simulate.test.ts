// `ork simulate` end to end, in process: a Simulate file whose expectations hold, one whose
// expectations fail (exit 1 with what happened instead), and bad input with file:line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulate } from './simulate.ts';

const repo = join(import.meta.dirname, '..', '..', '..', '..');
const example = (p: string) => join(repo, 'examples', p);

test('examples/website/simulate.yaml: every expectation met', async () => {
  const r = await runSimulate({ file: example('website/simulate.yaml') });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /\+ create deployments default\/my-site/);
  assert.match(r.stdout, /✓ website: every expectation met/);
});

test('an unmet expectation exits 1 naming what was expected and what the cycle had', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ork-sim-'));
  await writeFile(join(dir, 'simulate.yaml'), `apiVersion: orkestra.orkspace.io/v1
kind: Simulate
metadata: {name: wrong}
spec:
  katalog: ${example('website/katalog.yaml')}
  cr: ${example('website/website.yaml')}
  cycles: 2
  expect:
    steady: true
    ops:
      - {cycle: 2, verb: create, resource: services, name: my-site}
    absent:
      - {resource: deployments, name: my-site}
`);
  const r = await runSimulate({ file: join(dir, 'simulate.yaml') });
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /expected create services\/my-site in cycle 2; it had: status websites\/my-site/);
  assert.match(r.stderr, /expected a steady state by cycle 2; it still changed: status websites\/my-site/);
  assert.match(r.stderr, /expected no deployments\/my-site after the last cycle, but it exists/);
});

test('a Simulate file with an unknown field, and a bad --cr file, get file:line errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ork-sim-'));
  await writeFile(join(dir, 'simulate.yaml'), `apiVersion: orkestra.orkspace.io/v1
kind: Simulate
spec:
  katalog: k.yaml
  cr: cr.yaml
  cycle: 3
`);
  const r = await runSimulate({ file: join(dir, 'simulate.yaml') });
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /simulate\.yaml:6:3: error: unknown key `cycle`; did you mean `cycles`\? \(at spec\.cycle\)/);

  await writeFile(join(dir, 'cr.yaml'), 'apiVersion: demo.orkestra.io/v1alpha1\nkind: Website\nmetadata:\n  name: [oops]\n');
  const c = await runSimulate({ katalog: example('website/katalog.yaml'), cr: [join(dir, 'cr.yaml')] });
  assert.equal(c.exitCode, 1);
  assert.match(c.stderr, /cr\.yaml:4:9: error: expected a string/);

  await writeFile(join(dir, 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  const o = await runSimulate({ katalog: example('website/katalog.yaml'), cr: [join(dir, 'other.yaml')] });
  assert.equal(o.exitCode, 1);
  assert.match(o.stderr, /other\.yaml:1:1: error: v1 ConfigMap is not a CRD of this Katalog/);
});

test('imports run every case; an import cycle is an error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ork-sim-'));
  await writeFile(join(dir, 'all.yaml'), `apiVersion: orkestra.orkspace.io/v1\nkind: Simulate\nimports: [${example('website/simulate.yaml')}]\n`);
  const r = await runSimulate({ file: join(dir, 'all.yaml') });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /== website/);
  await writeFile(join(dir, 'loop.yaml'), `apiVersion: orkestra.orkspace.io/v1\nkind: Simulate\nimports: [loop.yaml]\n`);
  const l = await runSimulate({ file: join(dir, 'loop.yaml') });
  assert.equal(l.exitCode, 1);
  assert.match(l.stderr, /imports itself/);
});

test('--output json has the operations per cycle', async () => {
  const r = await runSimulate({ katalog: example('website/katalog.yaml'), cr: [example('website/website.yaml')], cycles: 2, output: 'json' });
  assert.equal(r.exitCode, 0, r.stderr);
  const [one] = JSON.parse(r.stdout) as { cycles: { operations: { verb: string; resource: string }[] }[] }[];
  assert.deepEqual(one!.cycles[0]!.operations.map((o) => `${o.verb} ${o.resource}`), ['patch websites', 'create deployments', 'create services', 'status websites']);
});

test('ork simulate runs the validation and mutation rules: the seed README Website is denied until its image is fixed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ork-sim-'));
  await writeFile(join(dir, 'katalog.yaml'), `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: rules}
spec:
  crds:
    website:
      apiTypes: {group: demo.orkestra.io, version: v1alpha1, kind: Website, plural: websites}
      validation:
        rules:
          - {field: spec.image, prefix: "myorg/", message: "images must come from the internal registry", action: deny}
      mutation:
        mutateFirst: true
        rules: [{field: spec.replicas, default: "2"}]
      operatorBox:
        onCreate:
          deployments: [{name: "{{ .metadata.name }}", image: "{{ .spec.image }}", replicas: "{{ .spec.replicas }}"}]
`);
  const cr = (image: string) => `apiVersion: demo.orkestra.io/v1alpha1\nkind: Website\nmetadata: {name: site, namespace: default}\nspec: {image: "${image}"}\n`;
  await writeFile(join(dir, 'bad.yaml'), cr('nginx:1.27'));
  await writeFile(join(dir, 'good.yaml'), cr('myorg/nginx:1.27'));
  const bad = await runSimulate({ katalog: join(dir, 'katalog.yaml'), cr: [join(dir, 'bad.yaml')], cycles: 2 });
  assert.equal(bad.exitCode, 0, bad.stderr);
  assert.match(bad.stdout, /Ready=False \(ValidationFailed\)/);
  assert.match(bad.stdout, /! default\/site: ValidationFailed: images must come from the internal registry/);
  assert.match(bad.stdout, /event Warning WebsiteReconcileError default\/site: images must come from the internal registry/);
  assert.doesNotMatch(bad.stdout, /deployments/);
  const good = await runSimulate({ katalog: join(dir, 'katalog.yaml'), cr: [join(dir, 'good.yaml')], cycles: 2 });
  assert.match(good.stdout, /\+ create deployments default\/site/);
  assert.match(good.stdout, /Ready=True/);
});

test('examples/state-machine written with include: runs the very operations of the inline Katalog', async () => {
  const run = async (katalog: string) => {
    const r = await runSimulate({ katalog: example(katalog), cr: [example('state-machine/pipeline.yaml')], cycles: 6, output: 'json' });
    assert.equal(r.exitCode, 0, r.stderr);
    const [one] = JSON.parse(r.stdout.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<time>"')) as { name: string; cycles: unknown[] }[];
    return one!;
  };
  const inline = await run('state-machine/katalog.yaml');
  const included = await run('state-machine/include/katalog.yaml');
  assert.deepEqual(included.cycles, inline.cycles);
  const jobs = (inline.cycles as { operations: { verb: string; resource: string; name: string }[] }[])
    .flatMap((c) => c.operations).filter((o) => o.resource === 'jobs').map((o) => `${o.verb} ${o.name}`);
  assert.deepEqual(jobs, ['create release-build', 'create release-test', 'create release-notify'], 'the three steps run (from steps.yaml in the included version)');
});
