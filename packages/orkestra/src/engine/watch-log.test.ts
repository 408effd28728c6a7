import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RetryInfo } from '../kube/index.ts';
import { WatchLog } from './watch-log.ts';

function capture() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: object, msg: string) => lines.push({ level, msg, fields: fields as Record<string, unknown> });
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } };
}

const notFound = (informer: string, attempt: number): RetryInfo => ({ informer, resource: 'things.x.io', attempt, retryInMs: 1000 * 2 ** (attempt - 1), notFound: true });
const err = new Error('watch …/things: 404 NotFound');

test('a deleted resource watched by two informers: one line per backoff step, the step and its wait in the line', () => {
  const { lines, log } = capture();
  const w = new WatchLog(log);
  for (const attempt of [1, 2, 3]) {
    w.error(err, 'watch', notFound('things.x.io in a', attempt));
    w.error(err, 'list', notFound('things.x.io in a [managed]', attempt));
  }
  assert.deepEqual(lines.map((l) => [l.level, l.fields.attempt, l.fields.retryInMs]), [['warn', 1, 1000], ['warn', 2, 2000], ['warn', 3, 4000]]);
  assert.match(lines[0].msg, /no longer served/);
  assert.match(lines[1].msg, /still not served/);
  assert.equal(lines[0].fields.resource, 'things.x.io');

  w.recovered({ informer: 'things.x.io in a', resource: 'things.x.io', downMs: 7000, wasNotFound: true });
  assert.equal(lines.at(-1)?.msg, 'resource served again; relisted');
  // Gone again later: the new streak is logged from its first step.
  w.error(err, 'list', notFound('things.x.io in a', 1));
  assert.equal(lines.at(-1)?.fields.attempt, 1);
  assert.equal(lines.length, 5);
});

test('other watch errors stay one line per attempt of each informer', () => {
  const { lines, log } = capture();
  const w = new WatchLog(log);
  const down = { resource: 'things.x.io', attempt: 1, retryInMs: 500, notFound: false };
  w.error(new Error('ECONNREFUSED'), 'watch', { ...down, informer: 'a' });
  w.error(new Error('ECONNREFUSED'), 'watch', { ...down, informer: 'b' });
  w.error(new Error('handler threw'), 'handler');
  assert.deepEqual(lines.map((l) => [l.msg, l.fields.informer]), [['watch error; retrying', 'a'], ['watch error; retrying', 'b'], ['watch error; retrying', undefined]]);
  w.recovered({ informer: 'a', resource: 'things.x.io', downMs: 1200, wasNotFound: false });
  assert.equal(lines.at(-1)?.msg, 'watch recovered');
});
