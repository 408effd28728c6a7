import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mutate } from './mutate.ts';
import { normalize } from './normalize.ts';
import { entryWith, render } from './test-helper.ts';

type Obj = { metadata: { name: string }; spec: Record<string, unknown> };
const cr = (spec: Record<string, unknown>): Obj => ({ metadata: { name: 'w' }, spec });
const asData = (o: Obj): Record<string, unknown> => ({ ...o });

function mutated(block: string, object: Obj, at: 'reconcile' | 'admission' = 'reconcile') {
  return mutate(object, entryWith(block).mutation, asData, render, { at });
}

describe('mutation rules (§12.2)', () => {
  it('default sets an absent (missing, null, "") field only; override always; the input is untouched', () => {
    const block = `mutation:
  rules:
    - {field: spec.replicas, default: "2"}
    - {field: spec.port, default: 8080}
    - {field: spec.tier, default: standard}
    - {field: spec.owner, default: team-a}
    - {field: spec.registry, override: myorg}`;
    const input = cr({ replicas: 5, tier: '', owner: null, registry: 'docker.io' });
    const before = structuredClone(input);
    const r = mutated(block, input);
    assert.deepEqual(input, before);
    assert.deepEqual(r.object.spec, { replicas: 5, port: 8080, tier: 'standard', owner: 'team-a', registry: 'myorg' });
    assert.deepEqual(r.changes, [
      { path: 'spec.port', new: 8080 },
      { path: 'spec.tier', old: '', new: 'standard' },
      { path: 'spec.owner', old: null, new: 'team-a' },
      { path: 'spec.registry', old: 'docker.io', new: 'myorg' },
    ]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(mutated(block, cr({ replicas: 5, port: 8080, tier: 't', owner: 'o', registry: 'myorg' })).changes, [], 'an override already in place is no change');
  });

  it('valueType reads the value as that type; a value that is not is a problem and changes nothing', () => {
    const r = mutated(`mutation:
  - {field: spec.replicas, default: "2", valueType: int}
  - {field: spec.ratio, default: "0.5", valueType: float}
  - {field: spec.debug, default: "TRUE", valueType: bool}
  - {field: spec.version, default: 3, valueType: string}
  - {field: spec.size, default: "{{ .spec.wanted }}", valueType: integer}`, cr({ wanted: 'big' }));
    assert.deepEqual(r.object.spec, { wanted: 'big', replicas: 2, ratio: 0.5, debug: true, version: '3' });
    assert.deepEqual(r.problems, [{
      path: 'spec.crds.web.mutation[4].default', kind: 'value',
      message: 'spec.crds.web.mutation[4].default: expected an integer, got "big" (valueType: integer)',
    }]);
  });

  it('templates see the object as mutated so far; nested paths and lists; maps as values', () => {
    const r = mutated(`mutation:
  - {field: spec.host, default: "{{ .metadata.name }}.example.com"}
  - {field: spec.url, default: "https://{{ .spec.host }}"}
  - {field: spec.resources.requests.cpu, default: 100m}
  - {field: spec.containers.0.image, override: "myorg/{{ .spec.image }}"}
  - {field: spec.labels, default: {team: "{{ .metadata.name }}"}}`, cr({ image: 'nginx', containers: [{ name: 'c' }] }));
    assert.deepEqual(r.problems, []);
    assert.equal(r.object.spec.url, 'https://w.example.com');
    assert.deepEqual(r.object.spec.resources, { requests: { cpu: '100m' } });
    assert.deepEqual(r.object.spec.containers, [{ name: 'c', image: 'myorg/nginx' }]);
    assert.deepEqual(r.object.spec.labels, { team: 'w' });
  });

  it('when / or gate a rule; fires.reconcile: false runs at admission only; mutateFirst is read', () => {
    const block = `mutation:
  mutateFirst: true
  rules:
    - {field: spec.replicas, default: 3, when: [{field: spec.env, equals: prod}]}
    - {field: spec.replicas, default: 1, or: [{field: spec.env, equals: dev}, {field: spec.env, equals: qa}]}
    - {field: spec.stamp, default: admitted, fires: {reconcile: false}}`;
    assert.equal(mutated(block, cr({ env: 'prod' })).object.spec.replicas, 3);
    assert.equal(mutated(block, cr({ env: 'qa' })).object.spec.replicas, 1);
    assert.equal(mutated(block, cr({ env: 'other' })).object.spec.replicas, undefined);
    assert.equal(mutated(block, cr({})).object.spec.stamp, undefined);
    assert.equal(mutated(block, cr({}), 'admission').object.spec.stamp, 'admitted');
    assert.equal(entryWith(block).mutation?.mutateFirst, true);
  });

  it('a failing template (value or when) is a problem naming the rule; the other rules still apply', () => {
    const r = mutated(`mutation:
  - {field: spec.a, default: '{{ fail "no default for a" }}'}
  - {field: spec.b, default: x, when: [{field: '{{ fail "broken" }}', equals: y}]}
  - {field: spec.c, default: z}`, cr({}));
    assert.deepEqual(r.object.spec, { c: 'z' });
    assert.deepEqual(r.problems.map((p) => [p.path, p.kind]), [
      ['spec.crds.web.mutation[0].default', 'template'],
      ['spec.crds.web.mutation[1].when[0]', 'template'],
    ]);
    assert.match(r.problems[0]!.message, /no default for a/);
    assert.match(r.problems[1]!.message, /broken/);
  });
});

describe('normalize.spec (§12.3)', () => {
  it('rewrites declared paths on a copy; every template sees the raw object; results read as YAML scalars', () => {
    const entry = entryWith(`normalize:
  spec:
    replicas: "{{ .spec.replicas }}"
    enabled: "{{ .spec.enabled }}"
    schedule: "{{ .spec.schedule | upper }}"
    echo: "{{ .spec.schedule }}"
    empty: "{{ .spec.nothing }}"
    containers.0.image: "myorg/{{ index .spec.containers 0 \\"image\\" }}"
    resources.requests.cpu: "{{ .spec.cpu }}"`);
    const input = cr({ replicas: '3', enabled: 'true', schedule: 'daily', containers: [{ image: 'nginx' }], cpu: '0.5' });
    const before = structuredClone(input);
    const r = normalize(input, entry.normalize, { ...input }, render);
    assert.deepEqual(input, before);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.object.spec, {
      replicas: 3, enabled: true, schedule: 'DAILY', echo: 'daily', empty: '', containers: [{ image: 'myorg/nginx' }], cpu: '0.5',
      resources: { requests: { cpu: 0.5 } },
    });
    assert.deepEqual(r.changes.map((c) => c.path), ['spec.replicas', 'spec.enabled', 'spec.schedule', 'spec.echo', 'spec.empty', 'spec.containers.0.image', 'spec.resources.requests.cpu']);
  });

  it('an entry whose template fails changes nothing and is reported', () => {
    const entry = entryWith(`normalize:
  spec:
    a: '{{ fail "cannot normalize a" }}'
    b: fixed`);
    const r = normalize(cr({ a: 1 }), entry.normalize, {}, render);
    assert.deepEqual(r.object.spec, { a: 1, b: 'fixed' });
    assert.deepEqual(r.problems.map((p) => p.path), ['spec.crds.web.normalize.spec.a']);
    assert.match(r.problems[0]!.message, /cannot normalize a/);
  });
});
