import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { denials, validate, warnings, type Violation } from './validate.ts';
import { entryWith, render } from './test-helper.ts';

const RULE = 'spec.crds.web.validation.rules';
const atReconcile = { at: 'reconcile' } as const;

/** Validates `spec` against rules written as YAML flow maps (one per line). */
function run(rules: string, spec: Record<string, unknown>, at: 'reconcile' | 'admission' = 'reconcile'): Violation[] {
  const entry = entryWith(`validation:\n  rules:\n${rules.trim().split('\n').map((r) => `    - ${r.trim()}`).join('\n')}`);
  return validate(entry.validation, { metadata: { name: 'w', labels: { team: 'a' } }, spec }, render, { at });
}
const holds = (rule: string, spec: Record<string, unknown>): boolean => run(rule, spec).length === 0;

describe('validation rules (§12.1)', () => {
  it('each shorthand: what passes, what fails, and what a missing field does', () => {
    const cases: [string, unknown, boolean][] = [
      ['equals: web', 'web', true], ['equals: web', 'api', false], ['equals: web', undefined, false],
      ['notEquals: web', 'api', true], ['notEquals: web', 'web', false], ['notEquals: web', undefined, true],
      ['prefix: myorg/', 'myorg/nginx', true], ['prefix: myorg/', 'nginx', false], ['prefix: myorg/', undefined, false],
      ['notPrefix: test-', 'web', true], ['notPrefix: test-', 'test-web', false], ['notPrefix: test-', undefined, false],
      ['suffix: ":1.0"', 'nginx:1.0', true], ['suffix: ":1.0"', 'nginx:2', false],
      ['notSuffix: ":latest"', 'nginx:1', true], ['notSuffix: ":latest"', 'nginx:latest', false], ['notSuffix: ":latest"', undefined, false],
      ['hasPrefix: my', 'myorg', true], ['hasSuffix: org', 'myorg', true],
      ['contains: org', 'myorg/x', true], ['contains: org', 'x', false],
      ['notContains: evil', 'good', true], ['notContains: evil', 'evil-x', false], ['notContains: evil', undefined, false],
      ['regex: "^[a-z]+$"', 'abc', true], ['regex: "^[a-z]+$"', 'ABC', false], ['regex: "(?i)^[a-z]+$"', 'ABC', true],
      ['min: 2', 2, true], ['min: 2', 1, false], ['max: 10', 10, true], ['max: 10', 11, false], ['max: 10', undefined, false],
      ['greaterThan: 2', 3, true], ['greaterThan: 2', 2, false], ['lessThan: 2', 1, true], ['lessThan: 2', 2, false],
      ['greaterThanOrEqual: 2', 2, true], ['lessThanOrEqual: 2', 3, false], ['max: 10', 'ten', false],
      ['between: "1,10"', 1, true], ['between: "1,10"', 10, true], ['between: "1,10"', 11, false],
      ['notBetween: "1,10"', 11, true], ['notBetween: "1,10"', 5, false],
      ['in: "dev, prod"', 'prod', true], ['in: [dev, prod]', 'dev', true], ['in: "dev,prod"', 'qa', false], ['in: "dev,"', undefined, false],
      ['notIn: "dev,prod"', 'qa', true], ['notIn: "dev,prod"', 'dev', false], ['notIn: "dev,prod"', undefined, false],
      ['exists: true', 'x', true], ['exists: true', '', false], ['notExists: true', undefined, true], ['notExists: true', 'x', false],
      ['operator: typeOf, value: string', 'x', true], ['operator: typeNumber', 'x', false],
    ];
    for (const [rule, value, pass] of cases) {
      assert.equal(holds(`{field: spec.v, ${rule}}`, value === undefined ? {} : { v: value }), pass, `${rule} on ${JSON.stringify(value)}`);
    }
  });

  it('precedence: the first shorthand wins, min/max before greaterThan, a bare value means exists', () => {
    // equals beats prefix: "myorg/x" starts with myorg/ but is not "web".
    assert.equal(holds('{field: spec.v, prefix: myorg/, equals: web}', { v: 'myorg/x' }), false);
    assert.equal(holds('{field: spec.v, prefix: myorg/, equals: web}', { v: 'web' }), true);
    // max (⇒ lte 10) is checked, greaterThan is not.
    assert.equal(holds('{field: spec.v, greaterThan: "5", max: "10"}', { v: 3 }), true);
    assert.equal(holds('{field: spec.v, greaterThan: "5", max: "10"}', { v: 11 }), false);
    // A shorthand beats operator + value.
    assert.equal(holds('{field: spec.v, operator: equals, value: a, notEquals: b}', { v: 'c' }), true);
    // Without any operator a rule asks for the field; a bare value does not make it `equals`.
    assert.equal(holds('{field: spec.v, value: web}', { v: 'anything' }), true);
    assert.equal(holds('{field: spec.v, value: web}', {}), false);
    assert.equal(holds('{field: spec.v, operator: gte, value: "3"}', { v: 3 }), true);
  });

  it('valueType reads the field and the value as that type', () => {
    assert.equal(holds('{field: spec.v, equals: "2", valueType: int}', { v: '02' }), true, '"02" is the integer 2');
    assert.equal(holds('{field: spec.v, equals: "2"}', { v: '02' }), false, 'as strings they differ');
    assert.equal(holds('{field: spec.v, equals: "true", valueType: bool}', { v: 'TRUE' }), true);
    assert.equal(holds('{field: spec.v, in: "1,2", valueType: int}', { v: 2.0 }), true);
    const [bad] = run('{field: spec.v, max: "10", valueType: int}', { v: 'ten' });
    assert.equal(bad?.message, 'spec.v must be an integer: got "ten"');
    assert.equal(bad?.action, 'deny');
    assert.deepEqual(run('{field: spec.v, max: "10", valueType: float}', { v: '2.5' }), []);
  });

  it('templated field, value and message; link is the reported field', () => {
    const [v] = run(`{field: '{{ printf "%s-%s" .metadata.name .spec.env }}', equals: '{{ .metadata.name }}-prod', message: 'name {{ .metadata.name }} needs env prod, not {{ .spec.env }}', link: env}`, { env: 'dev' });
    assert.deepEqual(v, { rule: `${RULE}[0]`, field: 'env', action: 'deny', message: 'name w needs env prod, not dev' });
    assert.deepEqual(run(`{field: '{{ printf "%s-%s" .metadata.name .spec.env }}', equals: 'w-prod'}`, { env: 'prod' }), []);
    // A templated field is "set" when it renders non-empty.
    assert.equal(run(`{field: '{{ .spec.nothing }}', exists: true}`, {}).length, 1);
  });

  it('action warn does not deny; deny is the default; all violations come back together', () => {
    const vs = run(`
      {field: spec.image, prefix: myorg/, message: images must come from the internal registry}
      {field: metadata.labels.owner, exists: true, action: warn, message: declare an owner}
      {field: spec.replicas, max: "10", action: deny}
      {field: spec.port, exists: true}`, { image: 'nginx', replicas: 20, port: 80 });
    assert.deepEqual(vs.map((v) => [v.action, v.message]), [
      ['deny', 'images must come from the internal registry'],
      ['warn', 'declare an owner'],
      ['deny', `spec.replicas must be at most "10" (got "20"; rule ${RULE}[2])`],
    ]);
    assert.equal(denials(vs).length, 2);
    assert.equal(warnings(vs).length, 1);
  });

  it('a rule without message gets one naming the field, what the rule wants and the rule', () => {
    assert.deepEqual(run('{field: spec.image, prefix: myorg/}', {}).map((v) => v.message), [`spec.image must start with "myorg/" (not set; rule ${RULE}[0])`]);
    assert.deepEqual(run('{field: spec.env, in: "dev,prod"}', { env: 'qa' }).map((v) => v.message), [`spec.env must be one of "dev,prod" (got "qa"; rule ${RULE}[0])`]);
  });

  it('when / or decide whether a rule applies', () => {
    const rule = '{field: spec.replicas, min: "2", when: [{field: spec.env, equals: prod}], or: [{field: spec.tier, equals: gold}, {field: spec.tier, equals: silver}]}';
    assert.equal(run(rule, { env: 'prod', tier: 'gold', replicas: 1 }).length, 1);
    assert.equal(run(rule, { env: 'dev', tier: 'gold', replicas: 1 }).length, 0, 'when false');
    assert.equal(run(rule, { env: 'prod', tier: 'bronze', replicas: 1 }).length, 0, 'no or passes');
    assert.equal(run(rule, { env: 'prod', tier: 'silver', replicas: 3 }).length, 0, 'applies and holds');
  });

  it('fires.reconcile: false rules run at admission only', () => {
    const rule = '{field: spec.image, prefix: myorg/, fires: {reconcile: false}}';
    assert.equal(run(rule, { image: 'nginx' }, 'reconcile').length, 0);
    assert.equal(run(rule, { image: 'nginx' }, 'admission').length, 1);
  });

  it('negate inverts the rule', () => {
    assert.equal(holds('{field: spec.image, suffix: ":latest", negate: true}', { image: 'nginx:latest' }), false);
    assert.equal(holds('{field: spec.image, suffix: ":latest", negate: true}', { image: 'nginx:1' }), true);
  });

  it('a rule that cannot be evaluated denies with the error, even a warn rule, and never throws', () => {
    const vs = run(`
      {field: '{{ .spec.x | required "x is needed" }}', exists: true, action: warn}
      {field: spec.image, prefix: '{{ fail "no registry configured" }}'}
      {field: spec.missing, exists: true, message: '{{ fail "bad message" }}'}
      {field: spec.image, regex: "([a-z"}
      {field: spec.replicas, max: '{{ .spec.limit }}'}
      {field: spec.image, exists: true, when: [{field: '{{ fail "broken gate" }}', equals: x}]}
      {field: spec.replicas, max: "ten", valueType: int}`, { image: 'nginx', replicas: 3 });
    assert.equal(vs.length, 7);
    for (const v of vs) {
      assert.equal(v.action, 'deny', v.message);
      assert.ok(v.error, v.message);
    }
    const msg = vs.map((v) => v.message);
    assert.match(msg[0]!, new RegExp(`^${RULE.replaceAll('.', '\\.')}\\[0\\]\\.field: .*x is needed`));
    assert.match(msg[1]!, /rules\[1\]\.value: .*no registry configured/);
    assert.match(msg[2]!, /rules\[2\]\.message: .*bad message/);
    assert.match(msg[3]!, /invalid regex/);
    assert.match(msg[4]!, /expected a number to compare with, got ""/);
    assert.match(msg[5]!, /rules\[5\]\.when\[0\]: .*broken gate/);
    assert.match(msg[6]!, /its value expected an integer, got "ten"/);
    assert.deepEqual(run('{field: spec.image, prefix: "{{ .spec.registry }}/"}', { image: 'r/x', registry: 'r' }), [], 'the same templates work when they can');
  });
});

describe('a rule set applied to one object', () => {
  it('reads the data it is given and changes nothing in it', () => {
    const entry = entryWith('validation: [{field: spec.image, prefix: myorg/}]');
    const data = Object.freeze({ spec: Object.freeze({ image: 'myorg/x' }) });
    assert.deepEqual(validate(entry.validation, data, render, atReconcile), []);
    assert.deepEqual(validate(undefined, data, render, atReconcile), []);
  });
});
