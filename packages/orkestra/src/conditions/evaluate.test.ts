import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  evaluateCondition, evaluateConditions, explainCondition, explainEvaluation, resolveOperator,
  type Condition, type RenderFn,
} from './evaluate.ts';
import { formatValue, lookupPath } from './values.ts';
import type { Condition as KatalogCondition } from '../katalog/model.ts';

// A tiny stand-in for the template engine: `{{ .a.b }}` paths, a few seed notes, and `fail`.
const render: RenderFn = (template, data) =>
  template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const [fn, arg] = expr.split(/\s+/);
    if (fn.startsWith('.')) return formatValue(lookupPath(data, fn));
    if (fn === 'jobSucceeded') {
      const succeeded = lookupPath(data, `${arg}.status.succeeded`);
      return typeof succeeded === 'number' && succeeded > 0 ? 'true' : 'false';
    }
    if (fn === 'phase') return formatValue(lookupPath(data, `${arg}.status.phase`));
    if (fn === 'name') {
      if (!arg.startsWith('.')) throw new Error(`function "${arg.split('.')[0]}" not defined`);
      return formatValue(lookupPath(data, `${arg}.metadata.name`));
    }
    throw new Error(`function "${fn}" not defined`);
  });

const data: Record<string, unknown> = {
  metadata: { name: 'web', namespace: 'default', labels: { tier: 'gold' } },
  spec: {
    environment: 'production', replicas: 3, ratio: 2.5, enabled: true, disabled: false,
    image: 'myorg/nginx:1.25', empty: '', nothing: null, tags: ['a', 'b'], limits: { cpu: '1' },
    region: 'eu-west-1', count: '42', big: 1000000, noValue: '<no value>',
  },
  status: { phase: 'Running/build' },
  external: { healthCheck: { status: 200, called: true, error: '' } },
  metrics: { queueDepth: 350, workersBusyPercent: 71.5 },
  children: { job: { metadata: { name: 'web-build' }, status: { succeeded: 1 } } },
  cross: { db: { status: { phase: 'Ready', endpoint: 'db:5432' } } },
};

function check(c: Condition): boolean {
  return evaluateCondition(c, data, render).pass;
}

describe('field resolution', () => {
  const cases: [string, unknown, string][] = [
    ['spec.environment', 'production', 'production'],
    ['.spec.environment', 'production', 'production'],
    ['spec.replicas', 3, '3'],
    ['spec.ratio', 2.5, '2.5'],
    ['spec.big', 1000000, '1000000'],
    ['spec.enabled', true, 'true'],
    ['spec.disabled', false, 'false'],
    ['spec.missing', undefined, ''],
    ['spec.nothing', undefined, ''],
    ['spec.environment.deeper', undefined, ''],
    ['spec.tags', ['a', 'b'], '[a b]'],
    ['spec.limits', { cpu: '1' }, 'map[cpu:1]'],
  ];
  for (const [path, raw, text] of cases) {
    it(`${path} → ${JSON.stringify(text)}`, () => {
      assert.deepEqual(lookupPath(data, path), raw);
      assert.equal(formatValue(lookupPath(data, path)), text);
    });
  }
  it('formats floats Go style', () => {
    assert.equal(formatValue(0.00001), '1e-05');
    assert.equal(formatValue(1.5e22), '1.5e+22');
    assert.equal(formatValue(-0.25), '-0.25');
  });
});

describe('operator resolution precedence (§14.3)', () => {
  const cases: [Condition, string, unknown][] = [
    [{ field: 'a', exists: true, equals: 'x' }, 'exists', undefined],
    [{ field: 'a', notExists: true, equals: 'x' }, 'notExists', undefined],
    [{ field: 'a', equals: 'x', notEquals: 'y' }, 'equals', 'x'],
    [{ field: 'a', suffix: 'x', contains: 'y' }, 'suffix', 'x'],
    [{ field: 'a', hasSuffix: '-build' }, 'suffix', '-build'],
    [{ field: 'a', hasPrefix: 'pre' }, 'prefix', 'pre'],
    [{ field: 'a', regex: 'x', greaterThan: '1' }, 'regex', 'x'],
    [{ field: 'a', min: '1', max: '3' }, 'gte', '1'],
    [{ field: 'a', max: '3' }, 'lte', '3'],
    [{ field: 'a', greaterThan: '1', in: 'a' }, 'gt', '1'],
    [{ field: 'a', between: '1,3', in: 'a' }, 'between', '1,3'],
    [{ field: 'a', in: 'a,b', operator: 'equals', value: 'z' }, 'in', 'a,b'],
    [{ field: 'a', operator: 'notEquals', value: 'z' }, 'notEquals', 'z'],
    [{ field: 'a', value: 'z' }, 'equals', 'z'],
    [{ field: 'a' }, 'exists', undefined],
    [{ field: 'a', exists: false }, 'notExists', undefined],
    [{ field: 'a', equals: '' }, 'equals', ''],
  ];
  for (const [c, op, expected] of cases) {
    it(`${JSON.stringify(c)} → ${op}`, () => {
      assert.deepEqual(resolveOperator(c), { operator: op, expected });
    });
  }
});

describe('operator semantics (§14.5)', () => {
  const cases: [string, Condition, boolean][] = [
    ['equals string', { field: 'spec.environment', equals: 'production' }, true],
    ['equals mismatch', { field: 'spec.environment', equals: 'staging' }, false],
    ['equals bool vs "true"', { field: 'spec.enabled', equals: 'true' }, true],
    ['equals bool vs YAML bool', { field: 'spec.enabled', equals: true }, true],
    ['equals number vs "3"', { field: 'spec.replicas', equals: '3' }, true],
    ['equals number vs YAML number', { field: 'spec.replicas', equals: 3 }, true],
    ['equals missing vs ""', { field: 'spec.missing', equals: '' }, true],
    ['notEquals', { field: 'spec.environment', notEquals: 'production' }, false],
    ['notEquals missing', { field: 'spec.missing', notEquals: 'production' }, true],
    ['contains', { field: 'spec.image', contains: 'nginx' }, true],
    ['notContains', { field: 'spec.image', notContains: 'nginx' }, false],
    ['prefix', { field: 'spec.image', prefix: 'myorg/' }, true],
    ['notPrefix', { field: 'spec.image', notPrefix: 'myorg/' }, false],
    ['suffix', { field: 'spec.image', suffix: ':1.25' }, true],
    ['notSuffix', { field: 'spec.image', notSuffix: ':1.25' }, false],
    ['exists present', { field: 'spec.environment', exists: true }, true],
    ['exists empty string', { field: 'spec.empty', exists: true }, false],
    ['exists <no value>', { field: 'spec.noValue', exists: true }, false],
    ['exists false bool is present', { field: 'spec.disabled', exists: true }, true],
    ['exists missing', { field: 'spec.missing', operator: 'exists' }, false],
    ['notExists missing', { field: 'status.missing', operator: 'notExists' }, true],
    ['notExists present', { field: 'status.phase', operator: 'notExists' }, false],
    ['gt', { field: 'metrics.queueDepth', greaterThan: '300' }, true],
    ['gt equal', { field: 'metrics.queueDepth', greaterThan: 350 }, false],
    ['gte equal', { field: 'metrics.queueDepth', greaterThanOrEqual: '350' }, true],
    ['lt', { field: 'metrics.queueDepth', lessThan: '300' }, false],
    ['lte', { field: 'metrics.queueDepth', lessThanOrEqual: '350' }, true],
    ['gt float', { field: 'metrics.workersBusyPercent', greaterThan: '70' }, true],
    ['gt numeric string field', { field: 'spec.count', operator: 'gt', value: '41' }, true],
    ['gt missing = 0', { field: 'spec.missing', greaterThan: '-1' }, true],
    ['lt missing = 0', { field: 'spec.missing', lessThan: '1' }, true],
    ['gt non-numeric field', { field: 'spec.environment', greaterThan: '1' }, false],
    ['gt non-numeric expected', { field: 'spec.replicas', greaterThan: 'many' }, false],
    ['min', { field: 'spec.replicas', min: '3' }, true],
    ['max', { field: 'spec.replicas', max: '2' }, false],
    ['in', { field: 'spec.environment', in: 'staging, production' }, true],
    ['in with tabs', { field: 'spec.environment', in: 'staging,\tproduction\t' }, true],
    ['in YAML list', { field: 'spec.environment', in: ['staging', 'production'] }, true],
    ['in miss', { field: 'spec.environment', in: 'dev,staging' }, false],
    ['in empty item matches absent', { field: 'status.missing', in: 'Pending,' }, true],
    ['in without empty item, absent', { field: 'status.missing', in: 'Pending' }, false],
    ['notIn', { field: 'spec.environment', notIn: 'dev,staging' }, true],
    ['notIn hit', { field: 'spec.environment', notIn: 'production' }, false],
    ['between inclusive lo', { field: 'spec.replicas', between: '3,5' }, true],
    ['between inclusive hi', { field: 'spec.replicas', between: '1,3' }, true],
    ['between outside', { field: 'spec.replicas', between: '4,5' }, false],
    ['between non-numeric field', { field: 'spec.environment', between: '1,5' }, false],
    ['between malformed', { field: 'spec.replicas', between: '1' }, false],
    ['notBetween', { field: 'spec.replicas', notBetween: '4,5' }, true],
    ['notBetween inside', { field: 'spec.replicas', notBetween: '1,5' }, false],
    ['notBetween non-numeric', { field: 'spec.environment', notBetween: '1,5' }, false],
    ['regex', { field: 'spec.region', regex: '^eu-(west|north)-\\d$' }, true],
    ['regex unanchored', { field: 'spec.image', regex: 'nginx' }, true],
    ['regex Go flag (?i)', { field: 'spec.environment', regex: '(?i)^PRODUCTION$' }, true],
    ['regex Go named group', { field: 'spec.region', regex: '^(?P<area>eu)-' }, true],
    ['regex invalid', { field: 'spec.region', regex: '([' }, false],
    ['typeOf number', { field: 'spec.replicas', operator: 'typeOf', value: 'number' }, true],
    ['typeOf slice', { field: 'spec.tags', operator: 'typeOf', value: 'slice' }, true],
    ['typeOf list alias', { field: 'spec.tags', operator: 'typeOf', value: 'list' }, true],
    ['typeOf map', { field: 'spec.limits', operator: 'typeOf', value: 'map' }, true],
    ['typeOf null', { field: 'spec.missing', operator: 'typeOf', value: 'null' }, true],
    ['typeMap', { field: 'spec.limits', operator: 'typeMap' }, true],
    ['typeList', { field: 'spec.tags', operator: 'typeList' }, true],
    ['typeString', { field: 'spec.count', operator: 'typeString' }, true],
    ['typeNumber on numeric string', { field: 'spec.count', operator: 'typeNumber' }, false],
    ['typeBool', { field: 'spec.enabled', operator: 'typeBool' }, true],
    ['typeNull', { field: 'spec.nothing', operator: 'typeNull' }, true],
    ['unique without checker passes', { field: 'spec.region', operator: 'unique' }, true],
    ['unknown operator', { field: 'spec.region', operator: 'startsWithish', value: 'eu' }, false],
    ['negate', { field: 'spec.environment', equals: 'production', negate: true }, false],
    ['negate failing', { field: 'spec.environment', equals: 'dev', negate: true }, true],
  ];
  for (const [name, c, want] of cases) {
    it(name, () => assert.equal(check(c), want));
  }

  it('unique delegates to the injected checker with field and value', () => {
    const seen: [string, string][] = [];
    const r = evaluateCondition({ field: 'spec.region', operator: 'unique' }, data, render, {
      unique: (field, value) => { seen.push([field, value]); return false; },
    });
    assert.equal(r.pass, false);
    assert.deepEqual(seen, [['spec.region', 'eu-west-1']]);
  });
});

describe('templates in field and value', () => {
  it('renders a templated field', () => {
    assert.equal(check({ field: '{{ phase .cross.db }}', equals: 'Ready' }), true);
  });
  it('renders a templated expected value', () => {
    assert.equal(check({ field: 'children.job.metadata.name', equals: '{{ .metadata.name }}-build' }), true);
  });
  it('a field render error makes the condition false, even negated, and records why', () => {
    const r = evaluateCondition({ field: '{{ nope }}', equals: 'x', negate: true }, data, render);
    assert.equal(r.pass, false);
    assert.match(r.error ?? '', /^field: function "nope" not defined/);
  });
  it('a value render error makes the condition false', () => {
    const r = evaluateCondition({ field: 'spec.region', equals: '{{ nope }}' }, data, render);
    assert.equal(r.pass, false);
    assert.match(r.error ?? '', /^value:/);
  });
  it('typeOf on a templated field sees the rendered string', () => {
    assert.equal(check({ field: '{{ .spec.replicas }}', operator: 'typeString' }), true);
  });
});

describe('block logic (§14.2)', () => {
  const yes: Condition = { field: 'spec.environment', equals: 'production' };
  const no: Condition = { field: 'spec.environment', equals: 'dev' };
  const cases: [string, Condition[] | undefined, Condition[] | undefined, boolean][] = [
    ['both empty', [], [], true],
    ['both undefined', undefined, undefined, true],
    ['when all pass', [yes, yes], undefined, true],
    ['when one fails', [yes, no], undefined, false],
    ['or one passes', undefined, [no, yes], true],
    ['or none pass', undefined, [no, no], false],
    ['when passes, or fails', [yes], [no], false],
    ['when fails, or passes', [no], [yes], false],
    ['both pass', [yes], [no, yes], true],
  ];
  for (const [name, when, or, want] of cases) {
    it(name, () => assert.equal(evaluateConditions(when, or, data, render).pass, want));
  }
  it('short-circuits: conditions after a failing when are not evaluated', () => {
    let calls = 0;
    const counting: RenderFn = (t, d) => { calls++; return render(t, d); };
    const e = evaluateConditions([no, { field: '{{ .spec.region }}', exists: true }], [yes], data, counting);
    assert.equal(e.pass, false);
    assert.equal(calls, 0);
    assert.equal(e.results.length, 1);
  });
  it('labels results with block and index', () => {
    const e = evaluateConditions([yes], [no, yes], data, render);
    assert.deepEqual(e.results.map((r) => [r.block, r.index, r.pass]), [
      ['when', 0, true], ['or', 0, false], ['or', 1, true],
    ]);
  });
});

describe('seed README conditions', () => {
  const env = (environment: string) => ({ ...data, spec: { environment } });
  it('LoadBalancer only in production, debug ConfigMap everywhere else', () => {
    const lb = [{ field: 'spec.environment', equals: 'production' }];
    const debug = [{ field: 'spec.environment', notEquals: 'production' }];
    assert.equal(evaluateConditions(lb, [], env('production'), render).pass, true);
    assert.equal(evaluateConditions(debug, [], env('production'), render).pass, false);
    assert.equal(evaluateConditions(lb, [], env('staging'), render).pass, false);
    assert.equal(evaluateConditions(debug, [], env('staging'), render).pass, true);
  });
  it('cross gating: deployment waits for the database to be Ready', () => {
    const when = [{ field: '{{ phase .cross.db }}', equals: 'Ready' }];
    assert.equal(evaluateConditions(when, [], data, render).pass, true);
    const pending = { ...data, cross: { db: { status: { phase: 'Provisioning' } } } };
    assert.equal(evaluateConditions(when, [], pending, render).pass, false);
    assert.equal(evaluateConditions(when, [], { ...data, cross: {} }, render).pass, false);
  });
  it('state machine step 1: build when no phase yet', () => {
    const when = [{ field: 'status.phase', operator: 'notExists' }];
    assert.equal(evaluateConditions(when, [], { ...data, status: {} }, render).pass, true);
    assert.equal(evaluateConditions(when, [], data, render).pass, false);
  });
  it('state machine steps 2/3: phase and job success', () => {
    const step2 = [
      { field: 'status.phase', equals: 'Running/build' },
      { field: '{{ jobSucceeded .children.job }}', equals: 'true' },
    ];
    assert.equal(evaluateConditions(step2, [], data, render).pass, true);
    const running = { ...data, children: { job: { status: {} } } };
    assert.equal(evaluateConditions(step2, [], running, render).pass, false);
    const step3 = [
      { field: 'status.phase', equals: 'Running/test' },
      { field: '{{ jobSucceeded .children.job }}', equals: 'true' },
    ];
    assert.equal(evaluateConditions(step3, [], data, render).pass, false);
  });
  it('state machine status: hasSuffix on a templated field', () => {
    const when = [{ field: '{{ name .children.job }}', hasSuffix: '-build' }];
    assert.equal(evaluateConditions(when, [], data, render).pass, true);
    // As printed in the seed (`name children.job`, no dot) the template does not execute; the
    // condition is then false rather than an error that stops the reconcile.
    const asPrinted = [{ field: '{{ name children.job }}', hasSuffix: '-build' }];
    assert.equal(evaluateConditions(asPrinted, [], data, render).pass, false);
  });
  it('external gating', () => {
    assert.equal(check({ field: 'external.healthCheck.status', equals: '200' }), true);
    const flags = [
      { field: 'external.healthCheck.called', equals: 'true' },
      { field: 'external.healthCheck.error', operator: 'notExists' },
    ];
    assert.equal(evaluateConditions(flags, [], data, render).pass, true);
    const failed = { ...data, external: { healthCheck: { called: true, error: 'timeout', status: 0 } } };
    assert.equal(evaluateConditions(flags, [], failed, render).pass, false);
  });
  it('autoscaler: own and cross metrics', () => {
    const when = [
      { field: 'metrics.queueDepth', greaterThan: '300' },
      { field: 'cross.db.metrics.queueDepth', greaterThan: '500' },
    ];
    assert.equal(evaluateConditions(when, [], data, render).pass, false);
    const busy = { ...data, cross: { db: { metrics: { queueDepth: 900 } } } };
    assert.equal(evaluateConditions(when, [], busy, render).pass, true);
  });
  it('validation rule shape: image prefix', () => {
    assert.equal(check({ field: 'spec.image', prefix: 'myorg/', message: 'internal registry only' }), true);
  });
});

describe('explain', () => {
  it('explains a failed equals in one line', () => {
    const r = evaluateCondition({ field: 'spec.environment', equals: 'production' },
      { spec: { environment: 'staging' } }, render);
    assert.equal(explainCondition(r), 'spec.environment equals production: got "staging"');
  });
  it('explains operators without expected value, negation and errors', () => {
    const absent = evaluateCondition({ field: 'status.phase', operator: 'exists' }, {}, render);
    assert.equal(explainCondition(absent), 'status.phase exists: got ""');
    const neg = evaluateCondition({ field: 'spec.environment', equals: 'production', negate: true }, data, render);
    assert.equal(explainCondition(neg), 'spec.environment not equals production: got "production"');
    const bad = evaluateCondition({ field: 'spec.region', regex: '([' }, data, render);
    assert.match(explainCondition(bad), /^spec\.region regex \(\[: invalid regex/);
  });
  it('explains an evaluation: first failing when, or all failing ors', () => {
    const e1 = evaluateConditions([{ field: 'spec.environment', equals: 'dev' }], [], data, render);
    assert.equal(explainEvaluation(e1), 'spec.environment equals dev: got "production"');
    const e2 = evaluateConditions([], [
      { field: 'spec.environment', equals: 'dev' }, { field: 'spec.replicas', greaterThan: 5 },
    ], data, render);
    assert.equal(explainEvaluation(e2),
      'none of 2 or-conditions passed: spec.environment equals dev: got "production"; spec.replicas gt 5: got "3"');
    assert.equal(explainEvaluation(evaluateConditions([], [], data, render)), '');
  });
});

describe('Katalog model conditions', () => {
  it('accepts the normalized shape (operator + stringified value) as is', () => {
    const source = { file: 'k.yaml', line: 1, column: 1 } as unknown as KatalogCondition['source'];
    const normalized: KatalogCondition[] = [
      { field: 'spec.environment', operator: 'in', value: 'staging,production', negate: false, source },
      { field: 'status.phase', operator: 'notExists', negate: true, source },
    ];
    assert.equal(evaluateConditions(normalized, [], data, render).pass, true);
  });
});
