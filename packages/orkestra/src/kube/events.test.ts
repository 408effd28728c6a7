import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeClient } from './client.ts';
import { EventRecorder, aggregationKey, microTime } from './events.ts';
import { ApiError } from './errors.ts';
import { TerminatingNamespaces, terminatingNamespaces } from './terminating-namespaces.ts';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u-1' } };
const ev = { type: 'Warning' as const, reason: 'Failed', action: 'Apply', note: 'boom' };

test('aggregation key: same regarding, type, reason, action and note aggregate; any difference does not', () => {
  const k = aggregationKey(pod, ev);
  assert.equal(aggregationKey({ ...pod, metadata: { ...pod.metadata } }, { ...ev }), k);
  assert.notEqual(aggregationKey(pod, { ...ev, note: 'other' }), k);
  assert.notEqual(aggregationKey(pod, { ...ev, reason: 'Other' }), k);
  assert.notEqual(aggregationKey(pod, { ...ev, action: 'Delete' }), k);
  assert.notEqual(aggregationKey(pod, { ...ev, type: 'Normal' }), k);
  assert.notEqual(aggregationKey({ ...pod, metadata: { ...pod.metadata, uid: 'u-2' } }, ev), k);
  // Without a uid the object's coordinates identify it.
  const noUid = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' } };
  assert.notEqual(aggregationKey(noUid, ev), aggregationKey({ ...noUid, metadata: { name: 'q', namespace: 'ns' } }, ev));
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
});

test('a namespace refusing creates because it is being deleted gets no more events for a while; others still do', async () => {
  const gone = (path: string) => (path.includes('/namespaces/ns/') ? 'events.events.k8s.io "p.1" is forbidden: unable to create new content in namespace ns because it is being terminated' : undefined);
  const fake = await fakeEventsServer(false, gone);
  const c = client(fake.url);
  let now = 1_000_000;
  const terminating = new TerminatingNamespaces(5_000, () => now);
  const errors: unknown[] = [];
  const rec = new EventRecorder(c, { reportingController: 'x', reportingInstance: 'y', terminating, onError: (e) => errors.push(e), now: () => now });
  await rec.record(pod, ev);
  assert.equal(terminating.remainingMs('ns'), 5_000, 'the refusal marks the namespace');
  await rec.record(pod, { ...ev, note: 'another' });
  await rec.record({ ...pod, metadata: { ...pod.metadata, namespace: 'other', uid: 'u-2' } }, ev);
  assert.deepEqual(fake.calls.map((x) => x.path.split('/')[5]), ['ns', 'other'], 'one refused attempt, then only the other namespace is written');
  assert.equal(rec.stats.dropped, 2);
  assert.equal(errors.length, 0, 'a terminating namespace is not an error');
  now += 5_001;
  assert.equal(terminating.remainingMs('ns'), 0, 'the mark expires (the namespace may be created anew)');
  await rec.record(pod, { ...ev, note: 'later' });
  assert.equal(fake.calls.length, 3);
  c.close();
  await fake.close();
});

test('terminatingNamespaces: only 403s that say the namespace is being terminated, all of them', () => {
  const refused = new ApiError({ statusCode: 403, reason: 'Forbidden', message: 'unable to create new content in namespace x because it is being terminated', verb: 'apply', url: '/apis/batch/v1/namespaces/x/jobs/j' });
  const forbidden = new ApiError({ statusCode: 403, reason: 'Forbidden', message: 'User "u" cannot create resource "jobs"', verb: 'apply', url: '/apis/batch/v1/namespaces/x/jobs/j' });
  assert.deepEqual(terminatingNamespaces(refused), ['x']);
  assert.equal(terminatingNamespaces(forbidden), undefined);
  assert.deepEqual(terminatingNamespaces(new AggregateError([refused, refused])), ['x']);
  assert.equal(terminatingNamespaces(new AggregateError([refused, forbidden])), undefined, 'any other error: not a terminating namespace');
  assert.equal(terminatingNamespaces(new AggregateError([])), undefined);
  const other = new ApiError({ statusCode: 403, reason: 'Forbidden', message: 'unable to create new content in namespace y because it is being terminated', verb: 'apply', url: '/apis/batch/v1/namespaces/y/jobs/j' });
  assert.deepEqual(terminatingNamespaces(new AggregateError([refused, other, refused])), ['x', 'y'], 'the namespaces come from the refusals, not from the CR');
});

async function fakeEventsServer(failCreates = false, refuse?: (path: string) => string | undefined): Promise<{ url: string; calls: { method: string; path: string; body: Record<string, unknown> }[]; close: () => Promise<void> }> {
  const calls: { method: string; path: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (req.url?.startsWith('/apis/events.k8s.io/v1') && !req.url.includes('/namespaces')) {
        res.end(JSON.stringify({ resources: [{ name: 'events', namespaced: true, kind: 'Event', verbs: ['create', 'patch'] }] }));
        return;
      }
      const body = data ? (JSON.parse(data) as Record<string, unknown>) : {};
      calls.push({ method: req.method ?? '', path: req.url ?? '', body });
      const refusal = refuse?.(req.url ?? '');
      if (refusal !== undefined) {
        res.statusCode = 403;
        res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: refusal }));
        return;
      }
      if (failCreates) {
        res.statusCode = 500;
        res.end(JSON.stringify({ kind: 'Status', reason: 'InternalError', message: 'nope' }));
        return;
      }
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function client(server: string): KubeClient {
  return KubeClient.fromKubeConfig({ access: { source: 't', server, namespace: 'default', tls: { insecureSkipTlsVerify: false }, auth: { type: 'none' } } });
}

test('repeats within the window become one Event with a series; the burst limit drops the excess', async () => {
  const fake = await fakeEventsServer();
  const c = client(fake.url);
  let now = 1_000_000;
  const rec = new EventRecorder(c, { reportingController: 'orkestra.dev/test', reportingInstance: 'pod-1', seriesFlushMs: 10, burst: 2, refillPerSecond: 0, now: () => now });
  for (let i = 0; i < 5; i++) {
    now += 1000;
    await rec.record(pod, ev);
  }
  await rec.flush();
  const creates = fake.calls.filter((x) => x.method === 'POST');
  const patches = fake.calls.filter((x) => x.method === 'PATCH');
  assert.equal(creates.length, 1);
  assert.equal(creates[0].body.reportingController, 'orkestra.dev/test');
  assert.deepEqual(creates[0].body.regarding, { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns', uid: 'u-1' });
  assert.ok(patches.length >= 1 && patches.length <= 4);
  assert.deepEqual((patches.at(-1)!.body as { series: unknown }).series, { count: 5, lastObservedTime: microTime(now) });
  assert.ok(patches.every((p) => p.path === `/apis/events.k8s.io/v1/namespaces/ns/events/${String((creates[0].body.metadata as { name: string }).name)}`));

  // A different note is a new Event; with burst 2 the third distinct one is dropped.
  await rec.record(pod, { ...ev, note: 'second' });
  await rec.record(pod, { ...ev, note: 'third' });
  assert.equal(fake.calls.filter((x) => x.method === 'POST').length, 2);
  assert.equal(rec.stats.dropped, 1);

  // After the window a repeat starts a new Event.
  now += 11 * 60_000;
  const rec2 = new EventRecorder(c, { reportingController: 'x', reportingInstance: 'y', now: () => now });
  await rec2.record(pod, ev);
  now += 11 * 60_000;
  await rec2.record(pod, ev);
  assert.equal(rec2.stats.created, 2);
  c.close();
  await fake.close();
});

test('recording never throws, even when the server refuses every write', async () => {
  const fake = await fakeEventsServer(true);
  const c = client(fake.url);
  const errors: unknown[] = [];
  const rec = new EventRecorder(c, { reportingController: 'x', reportingInstance: 'y', onError: (e) => errors.push(e) });
  await rec.record(pod, ev);
  await rec.record({ kind: 'Nope' }, ev); // no apiVersion: cannot even be mapped
  await rec.flush();
  assert.equal(rec.stats.failed, 2);
  assert.equal(errors.length, 2);
  c.close();
  await fake.close();
});
