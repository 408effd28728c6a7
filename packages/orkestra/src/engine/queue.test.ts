import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';

import {
  ExponentialBackoffLimiter, MaxOfLimiter, TokenBucketLimiter, WorkQueue, defaultRateLimiter,
  type QueueMetricsSink,
} from './queue.ts';

/** Resolves with whether the promise settled within the current macrotask turn. */
async function settled<T>(p: Promise<T>): Promise<{ done: boolean; value?: T }> {
  let out: { done: boolean; value?: T } = { done: false };
  p.then((value) => { out = { done: true, value }; });
  await new Promise((r) => setImmediate(r));
  return out;
}

describe('WorkQueue: dedup and processing', () => {
  it('deduplicates keys while queued and keeps FIFO order', async () => {
    const q = new WorkQueue();
    for (const k of ['ns/a', 'ns/b', 'ns/a', 'ns/c', 'ns/b']) q.add(k);
    assert.equal(q.len(), 3);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['ns/a', 'ns/b', 'ns/c']);
    assert.equal(q.stats().adds, 3);
  });

  it('a key re-added while processing is not handed out until done, then exactly once', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    assert.equal(await q.get(), 'ns/a');
    q.add('ns/a');
    q.add('ns/a');
    assert.equal(q.len(), 0, 'not queued while processing');
    const second = q.get();
    assert.equal((await settled(second)).done, false, 'a second worker must not receive it');
    q.done('ns/a');
    assert.equal(await second, 'ns/a');
    assert.equal(q.len(), 0, 'two re-adds collapse into one');
    q.done('ns/a');
    assert.equal(q.len(), 0);
    assert.equal((await settled(q.get())).done, false);
  });

  it('get waits for the next add', async () => {
    const q = new WorkQueue();
    const p = q.get();
    assert.equal((await settled(p)).done, false);
    q.add('ns/x');
    assert.equal(await p, 'ns/x');
  });

  it('done without get is ignored', () => {
    const q = new WorkQueue();
    q.done('ns/unknown');
    assert.equal(q.stats().processing, 0);
  });

  it('an aborted signal releases a waiting get', async () => {
    const q = new WorkQueue();
    const ac = new AbortController();
    const p = q.get(ac.signal);
    ac.abort();
    assert.equal(await p, undefined);
    q.add('ns/a');
    assert.equal(q.len(), 1, 'the aborted waiter did not swallow the key');
    assert.equal(await q.get(AbortSignal.abort()), undefined);
  });
});

describe('WorkQueue: depth limit', () => {
  it('rejects new keys beyond maxDepth and counts them; re-adds of pending keys still pass', async () => {
    const rejected: string[] = [];
    const q = new WorkQueue({ maxDepth: 2, metrics: { rejected: (k) => rejected.push(k) } });
    assert.equal(q.add('ns/a'), true);
    assert.equal(q.add('ns/b'), true);
    assert.equal(q.add('ns/c'), false);
    assert.equal(q.add('ns/a'), true, 'already pending');
    assert.deepEqual(rejected, ['ns/c']);
    assert.equal(q.stats().rejected, 1);
    await q.get();
    assert.equal(q.add('ns/c'), true, 'room again after a get');
  });

  it('maxDepth 0 is unlimited and can change at runtime', () => {
    const q = new WorkQueue();
    for (let i = 0; i < 5000; i++) q.add(`ns/k${i}`);
    assert.equal(q.len(), 5000);
    q.setMaxDepth(5000);
    assert.equal(q.add('ns/over'), false);
  });
});

describe('WorkQueue: delays and rate limiting (mock timers)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  it('addAfter adds once the delay elapses; the earliest pending delay wins', () => {
    const q = new WorkQueue();
    q.addAfter('ns/a', 100);
    q.addAfter('ns/a', 50);
    q.addAfter('ns/a', 400);
    q.addAfter('ns/b', 200);
    assert.equal(q.stats().waitingDelayed, 2);
    mock.timers.tick(49);
    assert.equal(q.len(), 0);
    mock.timers.tick(1);
    assert.equal(q.len(), 1);
    mock.timers.tick(150);
    assert.equal(q.len(), 2);
    mock.timers.tick(1000);
    assert.equal(q.len(), 2, 'the superseded 100/400 ms delays for ns/a do not fire again');
  });

  it('addAfter with 0 or a negative delay adds immediately', () => {
    const q = new WorkQueue();
    q.addAfter('ns/a', 0);
    q.addAfter('ns/b', -5);
    assert.equal(q.len(), 2);
  });

  it('addRateLimited backs off exponentially per key up to the max; forget resets', () => {
    const retried: string[] = [];
    const q = new WorkQueue({
      rateLimiter: new ExponentialBackoffLimiter(5, 40),
      metrics: { retried: (k) => retried.push(k) },
    });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = Date.now();
      q.addRateLimited('ns/a');
      let waited = 0;
      while (q.len() === 0) { mock.timers.tick(1); waited++; }
      delays.push(waited);
      assert.equal(Date.now() - start, waited);
      q.get();
      q.done('ns/a');
    }
    assert.deepEqual(delays, [5, 10, 20, 40, 40]);
    assert.equal(q.numRequeues('ns/a'), 5);
    assert.equal(q.numRequeues('ns/b'), 0);
    assert.equal(q.stats().retries, 5);
    assert.equal(retried.length, 5);
    q.forget('ns/a');
    assert.equal(q.numRequeues('ns/a'), 0);
  });

  it('the default limiter is per-key backoff (5 ms doubling) combined with a token bucket', () => {
    const limiter = defaultRateLimiter({ qps: 10, burst: 2 });
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('a'), 10);
    assert.equal(limiter.when('b'), 100, 'bucket empty: the overall limit dominates');
    limiter.forget('a');
    assert.equal(limiter.numRequeues('a'), 0);
  });

  it('token bucket allows a burst, then qps', () => {
    const bucket = new TokenBucketLimiter(10, 2);
    assert.deepEqual([bucket.when(), bucket.when(), bucket.when(), bucket.when()], [0, 0, 100, 200]);
    mock.timers.tick(1000);
    assert.equal(bucket.when(), 0);
  });

  it('max-of takes the longest delay', () => {
    const l = new MaxOfLimiter(new ExponentialBackoffLimiter(1, 1000), new ExponentialBackoffLimiter(3, 1000));
    assert.equal(l.when('k'), 3);
    assert.equal(l.when('k'), 6);
    assert.equal(l.numRequeues('k'), 2);
  });

  it('stats report the longest-running key and unfinished work', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    q.add('ns/b');
    await q.get();
    mock.timers.tick(2000);
    await q.get();
    mock.timers.tick(1000);
    const s = q.stats();
    assert.equal(s.processing, 2);
    assert.equal(s.longestRunningSeconds, 3);
    assert.equal(s.unfinishedWorkSeconds, 4);
  });

  it('reports queue latency and processing time', async () => {
    const seen: string[] = [];
    const metrics: QueueMetricsSink = {
      queued: (k, s) => seen.push(`queued ${k} ${s}`),
      processed: (k, s) => seen.push(`processed ${k} ${s}`),
      depth: (d) => seen.push(`depth ${d}`),
    };
    const q = new WorkQueue({ metrics });
    q.add('ns/a');
    mock.timers.tick(500);
    await q.get();
    mock.timers.tick(1500);
    q.done('ns/a');
    assert.deepEqual(seen, ['depth 1', 'depth 0', 'queued ns/a 0.5', 'processed ns/a 1.5']);
  });

  it('shutDown cancels pending delays', () => {
    const q = new WorkQueue();
    q.addAfter('ns/a', 10);
    q.shutDown();
    mock.timers.tick(100);
    assert.equal(q.len(), 0);
  });
});

describe('WorkQueue: shutdown', () => {
  it('shutDown wakes waiters with undefined, rejects adds and drops queued keys', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutDown();
    assert.equal(await waiting, undefined);
    assert.equal(q.add('ns/a'), false);
    assert.equal(await q.get(), undefined);
    assert.equal(q.isShuttingDown(), true);
  });

  it('shutDown while a key is processing: a re-add does not run again', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    await q.get();
    q.add('ns/a');
    q.shutDown();
    q.done('ns/a');
    assert.equal(q.len(), 0);
    assert.equal(await q.get(), undefined);
  });

  it('shutDownWithDrain hands out queued keys and resolves when all are done', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    q.add('ns/b');
    const first = await q.get();
    q.add('ns/a'); // re-added while processing: still runs once during the drain
    const drained = q.shutDownWithDrain();
    assert.equal(q.add('ns/c'), false);
    assert.equal((await settled(drained)).done, false);
    const second = await q.get();
    q.done(first as string);
    const third = await q.get();
    q.done(second as string);
    assert.equal((await settled(drained)).done, false);
    q.done(third as string);
    await drained;
    assert.deepEqual([first, second, third], ['ns/a', 'ns/b', 'ns/a']);
    assert.equal(await q.get(), undefined);
  });

  it('a throwing metrics sink never breaks the queue', async () => {
    const boom = () => { throw new Error('sink down'); };
    const q = new WorkQueue({ metrics: { added: boom, depth: boom, queued: boom, processed: boom } });
    q.add('ns/a');
    assert.equal(await q.get(), 'ns/a');
    q.done('ns/a');
    assert.equal(q.stats().processing, 0);
  });
});
