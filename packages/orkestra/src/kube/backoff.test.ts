import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, jittered } from './backoff.ts';

test('backoff doubles up to the cap and resets', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0, random: () => 0.5 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.next(), 100);
});

test('jitter spreads delays but never beyond the cap', () => {
  const lo = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 });
  const hi = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0.999 });
  assert.equal(lo.next(), 100);
  assert.ok(Math.abs(hi.next() - 149.95) < 0.01);
  for (let i = 0; i < 10; i++) assert.ok(hi.next() <= 1000);
  assert.equal(jittered(1000, 0.5, () => 0), 500);
  assert.equal(jittered(1000, 0.5, () => 1), 1500);
});
