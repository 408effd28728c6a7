import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, type KubeObject } from '../../kube/index.ts';
import { fieldMatcher, labelMatcher } from './selector.ts';

const obj = (labels?: Record<string, string>, name = 'n', namespace = 'ns'): KubeObject => ({ metadata: { name, namespace, labels } });
const names = (selector: string): string[] => {
  const m = labelMatcher(selector);
  const all: [string, KubeObject][] = [
    ['none', obj()],
    ['a1', obj({ a: '1' })],
    ['a2', obj({ a: '2' })],
    ['a1b', obj({ a: '1', b: 'x' })],
    ['empty', obj({ a: '' })],
  ];
  return all.filter(([, o]) => m(o)).map(([n]) => n);
};

describe('label selectors', () => {
  it('equality, inequality, existence and sets, like the API server', () => {
    assert.deepEqual(names(''), ['none', 'a1', 'a2', 'a1b', 'empty']);
    assert.deepEqual(names('a=1'), ['a1', 'a1b']);
    assert.deepEqual(names('a==1'), ['a1', 'a1b']);
    assert.deepEqual(names('a!=1'), ['none', 'a2', 'empty'], '!= also matches objects without the label');
    assert.deepEqual(names('a'), ['a1', 'a2', 'a1b', 'empty']);
    assert.deepEqual(names('!a'), ['none']);
    assert.deepEqual(names('a in (1, 2)'), ['a1', 'a2', 'a1b']);
    assert.deepEqual(names('a notin (1)'), ['none', 'a2', 'empty'], 'notin also matches objects without the label');
    assert.deepEqual(names('a=1,b'), ['a1b']);
    assert.deepEqual(names('a in (1,2),!b'), ['a1', 'a2']);
    assert.deepEqual(names('a='), ['empty']);
    assert.deepEqual(names(' a = 1 , b = x '), ['a1b']);
    assert.ok(labelMatcher('app.kubernetes.io/name=web')(obj({ 'app.kubernetes.io/name': 'web' })));
  });

  it('a malformed selector is a 400 BadRequest', () => {
    for (const bad of ['a=1=2', 'a in 1', 'a in (1', '-a=1', 'a=b c', 'a=(x)']) {
      assert.throws(() => labelMatcher(bad), (e: unknown) => e instanceof ApiError && e.statusCode === 400, bad);
    }
  });
});

describe('field selectors', () => {
  it('metadata.name and metadata.namespace', () => {
    assert.ok(fieldMatcher('metadata.name=n')(obj()));
    assert.ok(!fieldMatcher('metadata.name!=n')(obj()));
    assert.ok(fieldMatcher('metadata.namespace==ns,metadata.name=n')(obj()));
    assert.throws(() => fieldMatcher('spec.nodeName=x'), (e: unknown) => e instanceof ApiError && e.statusCode === 400 && /not supported/.test(e.message));
  });
});
