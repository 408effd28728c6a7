import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKatalog, loadKatalogText } from './loader.ts';
import { closest, formatDiagnostic, levenshtein } from './diagnostics.ts';
import type { Katalog, LoadResult } from './model.ts';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const fixtures = (kind: 'valid' | 'invalid') => readdirSync(testdata + kind).filter((f) => f.endsWith('.yaml')).sort();

/** `# env: A B` in a fixture header: those variables are set (to a dummy) for the load. */
function envFor(text: string): Record<string, string> {
  const m = /^# env: (.*)$/m.exec(text);
  return Object.fromEntries((m?.[1] ?? '').split(/\s+/).filter(Boolean).map((v) => [v, `test-${v}`]));
}

function mustLoad(r: LoadResult): Katalog {
  if (!r.ok) assert.fail(r.errors.map((e) => formatDiagnostic(e)).join('\n'));
  return r.katalog;
}

/** `# refused: path` lines of a valid fixture: keys the model holds but the runtime does not run yet. */
const refusedIn = (text: string): string[] => [...text.matchAll(/^# refused: (\S+)$/gm)].map((m) => m[1]!).sort();
/** Parse-level load: the model of every key, also of those `ork validate` / `ork run` refuse. */
const parse = { unsupported: 'allow' } as const;

test('every valid fixture (seed fragments completed into whole Katalogs) parses; the CLI load refuses exactly its `# refused:` keys', async (t) => {
  const files = fixtures('valid');
  assert.ok(files.length >= 15, `expected at least 15 valid fixtures, found ${files.length}`);
  for (const f of files) {
    await t.test(f, async () => {
      const text = readFileSync(testdata + 'valid/' + f, 'utf8');
      mustLoad(await loadKatalog(testdata + 'valid/' + f, { env: envFor(text), ...parse }));
      const r = await loadKatalog(testdata + 'valid/' + f, { env: envFor(text) });
      const errors = r.ok ? [] : r.errors;
      assert.deepEqual(errors.filter((e) => e.code !== 'unsupported').map((e) => formatDiagnostic(e)), []);
      assert.deepEqual(errors.map((e) => e.path).sort(), refusedIn(text));
      for (const e of errors) assert.match(e.message, /^not supported yet: /);
    });
  }
});

test('every malformed fixture fails with the expected message at the expected line:column', async (t) => {
  const files = fixtures('invalid');
  assert.ok(files.length >= 60, `expected at least 60 invalid fixtures, found ${files.length}`);
  for (const f of files) {
    await t.test(f, async () => {
      const text = readFileSync(testdata + 'invalid/' + f, 'utf8');
      const m = /^# expect: (\d+):(\d+) (.*)$/m.exec(text);
      assert.ok(m, `${f} has no "# expect: LINE:COL message" header`);
      const [line, column, message] = [Number(m[1]), Number(m[2]), m[3]!];
      const r = await loadKatalog(testdata + 'invalid/' + f, { env: envFor(text) });
      assert.equal(r.ok, false, `${f} loaded without errors`);
      if (r.ok) return;
      const hit = r.errors.find((e) => e.line === line && e.column === column && e.message.includes(message));
      assert.ok(hit, `${f}: no error "${message}" at ${line}:${column}; got:\n${r.errors.map((e) => formatDiagnostic(e)).join('\n')}`);
      assert.equal(hit.file, testdata + 'invalid/' + f);
    });
  }
});

test('the seed README double-quote form is recovered with a warning, not an error', async () => {
  const k = await loadKatalog(testdata + 'valid/readme-status.yaml');
  assert.equal(k.ok, true);
  const w = k.warnings.find((d) => d.code === 'yaml-quoted-template');
  assert.ok(w);
  assert.equal(w.line, 24);
  assert.equal(w.column, 22);
  assert.match(w.message, /single quotes outside/);
  const fields = mustLoad(k).crds[0]!.operatorBox.status.fields;
  assert.equal(fields[2]!.value, '{{ get .children.deployment "status" "readyReplicas" }}');
  assert.equal(fields[0]!.value, '{{ ternary .spec.suspend "Suspended" "Active" }}');
});

test('without the recovery-shaped line, bad quotes stay a YAML error', () => {
  const r = loadKatalogText('apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: "a"b"}\n', '/tmp/k.yaml');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.errors[0]!.code, 'yaml-syntax');
});

test('quick start: apiTypes defaults, declarations in order with positions, templates compiled', async () => {
  const k = mustLoad(await loadKatalog(testdata + 'valid/readme-quickstart.yaml'));
  const crd = k.crds[0]!;
  assert.equal(crd.name, 'website');
  assert.deepEqual(crd.apiTypes, {
    group: 'demo.orkestra.io', version: 'v1alpha1', kind: 'Website', plural: 'websites', scope: 'Namespaced', versions: ['v1alpha1'], apiPath: '/apis',
  });
  assert.equal(crd.operatorBox.workers, 2);
  assert.equal(crd.operatorBox.workersDeclared, false);
  const [dep, svc] = crd.operatorBox.onCreate.resources;
  assert.equal(dep!.kind, 'deployments');
  assert.equal(dep!.spec.replicas, '{{ .spec.replicas }}');
  assert.equal(dep!.reconcile, true);
  assert.deepEqual(dep!.source, { file: testdata + 'valid/readme-quickstart.yaml', line: 17, column: 15 });
  assert.equal(dep!.path, 'spec.crds.website.operatorBox.onCreate.deployments[0]');
  assert.equal(svc!.kind, 'services');
  assert.equal(svc!.spec.port, 80);
  assert.ok(k.templates.get('{{ .spec.image }}'));
  assert.equal(k.templates.get('{{ .spec.image }}')!.render({ spec: { image: 'nginx' } }), 'nginx');
});

test('eras A and C load into the same model shape', async () => {
  const a = mustLoad(await loadKatalog(testdata + 'valid/era-a-shapes.yaml', parse));
  const ca = a.crds[0]!;
  assert.equal(ca.operatorBox.workers, 3);
  assert.equal(ca.operatorBox.resync, '30s');
  assert.equal(ca.operatorBox.status.fields[0]!.type, 'int');
  assert.equal(ca.validation!.rules[0]!.condition.operator, 'prefix');
  assert.equal(ca.mutation!.rules[0]!.default, 2);
  const dep = ca.operatorBox.onCreate.resources[0]!;
  assert.deepEqual(dep.spec.env, [{ name: 'MODE', value: 'production' }]);
  assert.equal(dep.or[0]!.field, 'spec.enabled');

  const c = mustLoad(await loadKatalog(testdata + 'valid/era-c-shapes.yaml', parse));
  const web = c.crds.find((x) => x.name === 'website')!;
  assert.equal(web.operatorBox.workers, 4);
  assert.equal(web.operatorBox.onReconcile.resources[0]!.kind, 'deployments');
  assert.equal(web.operatorBox.onReconcile.resources[0]!.reconcile, true);
  assert.equal(web.operatorBox.status.fields[0]!.path, 'database');
  assert.equal(web.operatorBox.cross[0]!.as, 'db');
  assert.equal(web.operatorBox.autoscale!.do.workers, 8);
  assert.equal(web.operatorBox.autoscale!.when[0]!.operator, 'gt');
  assert.equal(web.validation!.rules[0]!.condition.operator, 'between');
  assert.equal(web.mutation!.rules[0]!.override, 'standard');
});

test('env map/list forms and envFrom normalize to one list form', async () => {
  const k = mustLoad(await loadKatalog(testdata + 'valid/readme-env.yaml'));
  const hook = k.crds[0]!.operatorBox.onCreate;
  const dep = hook.resources.find((r) => r.kind === 'deployments')!;
  assert.deepEqual(dep.spec.env, [
    { name: 'USERNAME', valueFrom: { secretKeyRef: { name: '{{ .metadata.name }}-creds', key: 'username' } } },
    { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: '{{ .metadata.name }}-creds', key: 'password' } } },
    { name: 'REGION', valueFrom: { configMapKeyRef: { name: '{{ .metadata.name }}-cfg', key: 'region' } } },
  ]);
  assert.deepEqual(dep.spec.envFrom, [
    { configMapRef: { name: '{{ .metadata.name }}-cfg' } },
    { secretRef: { name: '{{ .metadata.name }}-creds' } },
  ]);
  const secret = hook.resources.find((r) => r.kind === 'secrets')!;
  assert.equal(secret.once, true);
  assert.equal(secret.rotateAfter, '30d');
  assert.equal(secret.spec.once, undefined);
  // Declaration order is kept across kinds.
  assert.deepEqual(hook.resources.map((r) => r.kind), ['secrets', 'configMaps', 'deployments']);
});

test('provider blocks: inside hooks (list form) and under operatorBox.providers; auth $ENV expanded', async () => {
  const list = mustLoad(await loadKatalog(testdata + 'valid/provider-model-list-form.yaml', parse));
  const box = list.crds[0]!.operatorBox;
  assert.equal(box.onCreate.providers[0]!.provider, 'aws');
  assert.equal(box.onCreate.providers[0]!.hook, 'onCreate');
  assert.deepEqual(box.providers[0]!.declarations[0]!.fields, { bucket: '{{ .metadata.name }}-{{ .metadata.namespace }}-assets', region: '{{ .spec.region }}' });
  assert.equal(box.providers[0]!.declarations[0]!.kind, 's3');

  const env = { AWS_ACCESS_KEY_ID: 'AKIA-SECRET', AWS_SECRET_ACCESS_KEY: 'shh', AWS_REGION: 'eu-west-1', MONGODB_URL: 'mongodb://x' };
  const r = await loadKatalog(testdata + 'valid/readme-providers-security.yaml', { env, ...parse });
  const k = mustLoad(r);
  assert.deepEqual(k.providers[0]!.auth, { accessKeyId: 'AKIA-SECRET', secretAccessKey: 'shh', region: 'eu-west-1' });
  assert.deepEqual(k.providers[0]!.authEnv.accessKeyId, ['AWS_ACCESS_KEY_ID']);
  assert.equal(k.crds[0]!.operatorBox.providers.length, 2);
  assert.ok(k.crds[0]!.operatorBox.providers.every((p) => p.declared));
  assert.equal(k.security!.deletionProtection.enabled, true);
  assert.equal(k.security!.webhooks.failurePolicy, 'Fail');
  assert.equal(k.security!.conversion.enabled, true);
  assert.equal(k.security!.namespaceProtection!.enabled, true);
  assert.equal(r.warnings.length, 0);
});

test('a missing env var names the variable and never prints a secret value', async () => {
  const r = await loadKatalog(testdata + 'valid/readme-providers-security.yaml', { env: { AWS_ACCESS_KEY_ID: 'AKIA-VERY-SECRET' } });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const text = [...r.errors, ...r.warnings].map((d) => formatDiagnostic(d)).join('\n');
  assert.match(text, /environment variable AWS_SECRET_ACCESS_KEY is not set/);
  assert.match(text, /environment variable MONGODB_URL is not set/);
  assert.doesNotMatch(text, /AKIA-VERY-SECRET/);
});

test('a provider not declared at the top level is a warning', () => {
  const r = loadKatalogText(`apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: x}
providers: [{name: aws}]
spec:
  crds:
    a:
      apiTypes: {group: g.io, version: v1, kind: A, plural: as}
      operatorBox:
        providers:
          gcp:
            - bucket: {name: b}
`, '/tmp/k.yaml', { env: {}, ...parse });
  assert.equal(r.ok, true);
  assert.equal(r.warnings[0]!.code, 'provider-undeclared');
  assert.equal(r.warnings[0]!.line, 11);
});

test('crdFile supplies apiTypes and served versions', async () => {
  const k = mustLoad(await loadKatalog(testdata + 'valid/crdfile.yaml', parse));
  const crd = k.crds[0]!;
  assert.equal(crd.apiTypes.kind, 'Website');
  assert.equal(crd.apiTypes.version, 'v1');
  assert.deepEqual(crd.apiTypes.versions, ['v1alpha1', 'v1']);
  assert.equal(crd.crdFile, testdata + 'crds/website-crd.yaml');
});

test('all errors are reported at once, sorted by position', () => {
  const r = loadKatalogText(`apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: x}
spec:
  crds:
    a:
      operatorBox:
        onCreate:
          deployments:
            - name: web
              replcas: 2
              when:
                - field: spec.x
                  operator: equal
              image: "{{ .spec.image "
    a2:
      apiTypes: {group: g.io, version: v1, kind: A, plural: As}
`, '/tmp/k.yaml');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.errors.map((e) => `${e.line}:${e.column} ${e.code}`), [
    '7:7 missing-field', '11:15 unknown-key', '14:29 unknown-operator', '15:38 template-syntax', '17:61 invalid-format',
  ]);
  assert.equal(formatDiagnostic(r.errors[1]!), '/tmp/k.yaml:11:15: error: unknown key `replcas`; did you mean `replicas`? (at spec.crds.a.operatorBox.onCreate.deployments[0].replcas)');
});

test('template errors map into the YAML scalar (plain, quoted with escapes, block)', () => {
  const base = (value: string) => `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: x}
spec:
  crds:
    a:
      apiTypes: {group: g.io, version: v1, kind: A, plural: as}
      operatorBox:
        status:
          fields:
            - path: p
              value: ${value}
`;
  const col = (value: string) => {
    const r = loadKatalogText(base(value), '/tmp/k.yaml');
    assert.equal(r.ok, false);
    return r.ok ? '' : `${r.errors[0]!.line}:${r.errors[0]!.column}`;
  };
  // `{{ if }}` fails at the `}}` after `if` (template offset 6 past the action's start).
  assert.equal(col('x {{ if }}'), '12:30');
  assert.equal(col(`'it''s {{ if }}'`), '12:35');
  assert.equal(col('"\\"q\\" {{ if }}"'), '12:35');
  assert.equal(col('|\n                line one\n                {{ if }}'), '14:23');
});

test('levenshtein and closest', () => {
  assert.equal(levenshtein('replcas', 'replicas'), 1);
  assert.equal(closest('replcas', ['image', 'replicas', 'ports']), 'replicas');
  assert.equal(closest('zzzzzz', ['image', 'replicas']), undefined);
  assert.equal(closest('Configmaps', ['configMaps']), 'configMaps');
});
