import { test } from 'node:test';
import assert from 'node:assert/strict';
import { katalogSchema } from './schema.ts';
import { SUPPORT } from './support.ts';
import { schemaKeys } from './unsupported.ts';
import { loadKatalogText } from './loader.ts';
import { formatDiagnostic } from './diagnostics.ts';

const keys = schemaKeys(katalogSchema);

test('every key the schema accepts is either consumed by the runtime or refused (support.ts)', (t) => {
  const missing = keys.filter((k) => k.support === undefined).map((k) => `${k.section}: ${k.key}`);
  assert.deepEqual(missing, [], `classify these keys in katalog/support.ts (use(consumer) or later()):\n${missing.join('\n')}`);
  const bySection = new Map<string, string[]>();
  for (const k of keys) {
    if (k.support?.status !== 'supported') continue;
    bySection.set(k.section, [...(bySection.get(k.section) ?? []), `${k.key} ← ${k.support.consumer}`]);
  }
  for (const [section, list] of bySection) t.diagnostic(`supported in ${section}:\n  ${list.join('\n  ')}`);
  const refused = keys.filter((k) => k.support?.status === 'refused').map((k) => `${k.section}: ${k.key}`);
  t.diagnostic(`refused (not supported yet): ${refused.length} keys:\n  ${refused.join('\n  ')}`);
});

test('the table names no key the schema lacks', () => {
  const known = new Set(keys.map((k) => `${k.section}\0${k.key}`));
  const stale = Object.entries(SUPPORT).flatMap(([section, entries]) =>
    Object.keys(entries).filter((key) => !known.has(`${section}\0${key}`)).map((key) => `${section}: ${key}`));
  assert.deepEqual(stale, []);
});

const HEAD = 'apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\nmetadata: {name: k}\n';
const load = (body: string) => loadKatalogText(HEAD + body, '/k/katalog.yaml', { env: {} });
const refusals = (body: string): string[] => {
  const r = load(body);
  return r.ok ? [] : r.errors.filter((e) => e.code === 'unsupported').map((e) => formatDiagnostic(e));
};
const crd = (box: string, entry = '') => `spec:
  crds:
    web:
      apiTypes: {group: g.io, version: v1, kind: Web, plural: webs}
${entry}      operatorBox:
${box}`;

test('validation and mutation rules load; the rule keys without a consumer are refused at their key', () => {
  assert.deepEqual(refusals(crd('        onCreate: {}\n', `      validation:
        rules: [{field: spec.image, prefix: "myorg/", message: no}, {field: spec.port, operator: gt, value: "0", valueType: int, action: warn}]
      mutation: {mutateFirst: true, rules: [{field: spec.replicas, default: 2, valueType: int, when: [{field: spec.on, exists: true}]}]}
      normalize: {spec: {schedule: "{{ .spec.schedule }}"}}
`)), []);
  const got = refusals(crd('        onCreate: {}\n', `      validation:
        include: more-rules.yaml
        rules:
          - {field: spec.name, operator: unique, message: taken}
          - {field: spec.x, exists: true, time: {after: "09:00"}}
      mutation: {external: [{name: x, url: "http://x"}], rules: [{field: spec.a, default: 1}]}
      webhooks: {validation: true}
`));
  assert.deepEqual(got.map((l) => l.replace(/ \(at .*$/, '')), [
    '/k/katalog.yaml:9:9: error: not supported yet: spec.crds.web.validation.include (`include:` files (the loader does not read them yet): write the rules inline)',
    '/k/katalog.yaml:11:32: error: not supported yet: spec.crds.web.validation.rules[0].operator: the `unique` operator (it needs a lookup of the other CRs)',
    '/k/katalog.yaml:12:43: error: not supported yet: spec.crds.web.validation.rules[1].time (time-based validation rules)',
    '/k/katalog.yaml:13:18: error: not supported yet: spec.crds.web.mutation.external (external calls (.external))',
    '/k/katalog.yaml:14:7: error: not supported yet: spec.crds.web.webhooks (admission webhooks)',
  ]);
});

test('providers (top level, per box, in a hook) are refused, each where it is written', () => {
  const got = refusals(`providers: [{name: aws}]
${crd(`        providers: {aws: [{s3: {bucket: b}}]}
        onCreate:
          aws: [{s3: {bucket: b}}]
`)}`);
  assert.deepEqual(got.map((l) => l.replace(/ \(.*$/, '')), [
    '/k/katalog.yaml:4:1: error: not supported yet: providers',
    '/k/katalog.yaml:10:9: error: not supported yet: spec.crds.web.operatorBox.providers',
    '/k/katalog.yaml:12:11: error: not supported yet: spec.crds.web.operatorBox.onCreate.aws',
  ]);
});

test('refusals follow the key into every era spelling and nested block', () => {
  const got = refusals(crd(`        reconcile:
          hooks: {}
          onCreate:
            deployments:
              - {image: nginx, sleep: 5s, autoscale: {max: 3}, probes: {liveness: {profile: web}}}
            external: [{name: x, url: "http://x"}]
        observe: {watch: []}
        autoscale: {do: {workers: 3}}
`));
  assert.deepEqual(got.map((l) => / not supported yet: (\S+)/.exec(l)![1]), [
    'spec.crds.web.operatorBox.reconcile.hooks',
    'spec.crds.web.operatorBox.reconcile.onCreate.deployments[0].sleep',
    'spec.crds.web.operatorBox.reconcile.onCreate.deployments[0].autoscale',
    'spec.crds.web.operatorBox.reconcile.onCreate.deployments[0].probes.liveness.profile',
    'spec.crds.web.operatorBox.reconcile.onCreate.external',
    'spec.crds.web.operatorBox.observe.watch',
    'spec.crds.web.operatorBox.autoscale',
  ]);
});

test('onDelete runs Jobs only: another kind there is refused', () => {
  const got = refusals(crd(`        onDelete:
          jobs: [{image: busybox}]
          deployments: [{image: nginx}]
`));
  assert.equal(got.length, 1);
  assert.match(got[0]!, /:11:11: error: not supported yet: spec\.crds\.web\.operatorBox\.onDelete\.deployments \(onDelete runs Jobs only/);
});

test('values without a consumer are refused; the keys a free-form block may hold are listed', () => {
  const got = refusals(crd(`        default: false
        queue: {maxDepth: 10, behaviour: drop}
`));
  assert.deepEqual(got.map((l) => l.replace(/^\S+ error: /, '')), [
    'not supported yet: spec.crds.web.operatorBox.default: typed reconcilers (`default: false`) (at spec.crds.web.operatorBox.default)',
    'not supported yet: spec.crds.web.operatorBox.queue.behaviour (read here: maxDepth, failureThreshold) (at spec.crds.web.operatorBox.queue.behaviour)',
  ]);
});

test('what the runtime consumes loads: Secret/ConfigMap copies, conditions, status, cross', () => {
  const r = load(crd(`        default: true
        queue: {failureThreshold: 3}
        cross: [{crd: web, as: peer, selector: {name: "{{ .metadata.name }}"}}]
        onCreate:
          secrets:
            - {name: s, fromSecret: src, fromNamespace: ns, toNamespaces: [a, b]}
          configMaps:
            - {name: c, fromConfigMap: src, fromNamespace: ns, toNamespaces: "{{ .spec.targets }}"}
          deployments:
            - image: nginx
              env: {A: {secretKeyRef: {name: s, key: k}}, B: plain}
              when: [{field: spec.on, equals: "true", negate: false}]
        onDelete:
          jobs: [{image: busybox, backoffLimit: 1}]
        status: {conditions: true, fields: [{path: phase, value: ok, when: [{time: {after: "09:00"}}]}]}
`));
  assert.equal(r.ok, true, r.ok ? '' : r.errors.map((e) => formatDiagnostic(e)).join('\n'));
});

test('a parse-level load may keep unsupported keys (to check the model), the default load refuses', () => {
  const body = crd('        onCreate: {}\n', '      conversion: {storageVersion: v1}\n');
  assert.equal(load(body).ok, false);
  const r = loadKatalogText(HEAD + body, '/k/katalog.yaml', { env: {}, unsupported: 'allow' });
  assert.equal(r.ok, true);
});
