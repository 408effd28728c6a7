import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ExponentialBackoffLimiter, WorkQueue } from './queue.ts';
import { WorkerPool, type ReconcileOutcome } from './workers.ts';

/** Waits for a condition with a deadline (never a fixed sleep). */
async function waitFor(cond: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

interface Gate { promise: Promise<void>; open: () => void }
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((r) => { open = r; });
  return { promise, open };
}

function fastQueue(): WorkQueue {
  return new WorkQueue({ rateLimiter: new ExponentialBackoffLimiter(1, 4) });
}

function idle(q: WorkQueue, pool: WorkerPool): boolean {
  const s = q.stats();
  return s.depth === 0 && s.processing === 0 && s.waitingDelayed === 0 && pool.busy === 0;
}

describe('WorkerPool', () => {
  it('processes every key with at most N concurrent reconciles', async () => {
    const q = fastQueue();
    let running = 0;
    let peak = 0;
    const done: string[] = [];
    const gates = new Map<string, Gate>();
    const pool = new WorkerPool(q, async (key) => {
      running++;
      peak = Math.max(peak, running);
      const g = gate();
      gates.set(key, g);
      await g.promise;
      running--;
      done.push(key);
    }, { workers: 3 });
    pool.start();
    for (let i = 0; i < 10; i++) q.add(`ns/k${i}`);
    while (done.length < 10) {
      await waitFor(() => [...gates.values()].length > 0, 'a reconcile');
      await waitFor(() => pool.busy === Math.min(3, 10 - done.length), 'workers saturated');
      for (const [k, g] of gates) { gates.delete(k); g.open(); }
      await waitFor(() => pool.busy < 3 || done.length === 10 || gates.size > 0, 'progress');
    }
    assert.equal(peak, 3);
    assert.deepEqual(done.sort(), Array.from({ length: 10 }, (_, i) => `ns/k${i}`).sort());
    await pool.stop(1000);
  });

  it('a key re-added during processing is processed again exactly once after done', async () => {
    const q = fastQueue();
    const calls: string[] = [];
    const first = gate();
    const pool = new WorkerPool(q, async (key) => {
      calls.push(key);
      if (calls.length === 1) await first.promise;
    }, { workers: 4 });
    pool.start();
    q.add('ns/a');
    await waitFor(() => calls.length === 1, 'first reconcile');
    q.add('ns/a');
    q.add('ns/a');
    q.add('ns/a');
    await new Promise((r) => setImmediate(r));
    assert.equal(calls.length, 1, 'not picked up by an idle worker while in flight');
    first.open();
    await waitFor(() => calls.length === 2 && idle(q, pool), 'second reconcile and quiet queue');
    assert.deepEqual(calls, ['ns/a', 'ns/a']);
    await pool.stop(1000);
  });

  it('two workers never hold the same key', async () => {
    const q = fastQueue();
    const holding = new Set<string>();
    let overlaps = 0;
    let reconciles = 0;
    const pool = new WorkerPool(q, async (key) => {
      if (holding.has(key)) overlaps++;
      holding.add(key);
      reconciles++;
      // yield a few times so other workers get a chance to race for the key
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      if (reconciles % 7 === 0) q.add(key); // re-add from inside, like a watch event
      holding.delete(key);
    }, { workers: 8 });
    pool.start();
    for (let round = 0; round < 50; round++) {
      for (const k of ['ns/a', 'ns/b', 'ns/c']) q.add(k);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => idle(q, pool), 'all work done');
    assert.equal(overlaps, 0);
    assert.ok(reconciles >= 3);
    await pool.stop(1000);
  });

  it('retries a failing key with backoff and forgets it after success', async () => {
    const q = fastQueue();
    let attempts = 0;
    const results: boolean[] = [];
    const pool = new WorkerPool(q, async () => {
      attempts++;
      if (attempts < 4) throw new Error(`attempt ${attempts} failed`);
    }, { workers: 1, events: { reconciled: (_k, ok) => results.push(ok) } });
    pool.start();
    q.add('ns/flaky');
    await waitFor(() => attempts === 4 && idle(q, pool), 'success after retries');
    assert.deepEqual(results, [false, false, false, true]);
    assert.equal(q.numRequeues('ns/flaky'), 0, 'forgotten after success');
    assert.equal(q.stats().retries, 3);
    await pool.stop(1000);
  });

  it('survives synchronous throws, non-Error throws and throwing observers', async () => {
    const q = fastQueue();
    const seen: string[] = [];
    const pool = new WorkerPool(q, (key) => {
      seen.push(key);
      if (key === 'ns/sync') throw new Error('sync');
      if (key === 'ns/string') return Promise.reject('just a string');
      return undefined;
    }, {
      workers: 2,
      events: {
        reconciled: () => { throw new Error('observer broke'); },
        utilization: () => { throw new Error('observer broke'); },
      },
    });
    pool.start();
    q.add('ns/sync');
    q.add('ns/string');
    await waitFor(() => q.numRequeues('ns/sync') >= 1 && q.numRequeues('ns/string') >= 1, 'both retried');
    q.add('ns/ok');
    await waitFor(() => seen.includes('ns/ok'), 'pool still serving');
    assert.equal(pool.size, 2);
    await pool.stop(1000);
    q.shutDown();
  });

  it('requeueAfterMs schedules the key again', async () => {
    const q = fastQueue();
    let calls = 0;
    const pool = new WorkerPool(q, async (): Promise<ReconcileOutcome | void> => {
      calls++;
      return calls === 1 ? { requeueAfterMs: 5 } : undefined;
    }, { workers: 1 });
    pool.start();
    q.add('ns/poll');
    await waitFor(() => calls === 2 && idle(q, pool), 'requeued reconcile');
    assert.equal(calls, 2);
    await pool.stop(1000);
  });

  it('grows and shrinks at runtime; busy workers finish before retiring', async () => {
    const q = fastQueue();
    const gates: Gate[] = [];
    const pool = new WorkerPool(q, async () => {
      const g = gate();
      gates.push(g);
      await g.promise;
    }, { workers: 1 });
    const sizes: [number, number][] = [];
    pool.start();
    for (let i = 0; i < 6; i++) q.add(`ns/k${i}`);
    await waitFor(() => pool.busy === 1, 'one busy');
    pool.setWorkers(3);
    assert.equal(pool.size, 3);
    await waitFor(() => pool.busy === 3, 'three busy');
    pool.setWorkers(1);
    assert.equal(pool.size, 1);
    assert.equal(pool.busy, 3, 'in-flight reconciles are not interrupted');
    for (const g of gates.splice(0)) g.open();
    await waitFor(() => pool.busy === 1 && gates.length === 1, 'back to one worker');
    sizes.push([pool.busy, pool.size]);
    gates.splice(0).forEach((g) => g.open());
    await waitFor(() => gates.length === 1, 'next key');
    assert.equal(pool.busy, 1);
    assert.deepEqual(sizes, [[1, 1]]);
    gates.splice(0).forEach((g) => g.open());
    await waitFor(() => gates.length === 1, 'last key');
    gates.splice(0).forEach((g) => g.open());
    await waitFor(() => idle(q, pool), 'all done');
    pool.setWorkers(0);
    assert.equal(pool.size, 1, 'never below one worker');
    await pool.stop(1000);
  });

  it('stop waits for in-flight reconciles up to the deadline', async () => {
    const q = fastQueue();
    const g = gate();
    const pool = new WorkerPool(q, async () => { await g.promise; }, { workers: 2 });
    pool.start();
    q.add('ns/slow');
    await waitFor(() => pool.busy === 1, 'slow reconcile running');
    const stopped = await pool.stop(20);
    assert.deepEqual(stopped, { drained: false, abandoned: ['ns/slow'] });
    g.open();
    await waitFor(() => pool.busy === 0, 'slow reconcile finished');
    q.add('ns/after-stop');
    await new Promise((r) => setImmediate(r));
    assert.equal(q.len(), 1, 'a stopped pool takes no more keys');
  });

  it('stop resolves as soon as in-flight work completes', async () => {
    const q = fastQueue();
    const g = gate();
    const pool = new WorkerPool(q, async () => { await g.promise; }, { workers: 1 });
    pool.start();
    q.add('ns/a');
    await waitFor(() => pool.busy === 1, 'running');
    const stopping = pool.stop(5000);
    g.open();
    assert.deepEqual(await stopping, { drained: true, abandoned: [] });
    assert.equal(q.stats().processing, 0, 'done() was called');
  });
});
