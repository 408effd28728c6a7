import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Informer } from '../kube/index.ts';
import type { Runtime } from '../engine/runtime.ts';
import { parsePrometheusText, select, sum } from './prom-text.ts';
import { OrkestraMetrics, type BoxView } from './metrics.ts';
import { WatchFreshness } from './freshness.ts';
import { childView } from './views.ts';
import { startApiServer, type LeaderState } from './server.ts';

function fakeInformer(over: Partial<{ lastActivityAt: number; watches: number; events: number; synced: boolean; notFoundSince: number; resource: string }> = {}) {
  const inf = {
    resource: { group: 'apps', version: 'v1', kind: 'Deployment', resource: over.resource ?? 'deployments', namespaced: true },
    name: `${over.resource ?? 'deployments'}.apps in ns`,
    notFoundSince: over.notFoundSince ?? 0,
    lastActivityAt: over.lastActivityAt ?? 0,
    stats: { watches: over.watches ?? 0, events: over.events ?? 0 },
    hasSynced: () => over.synced ?? true,
  };
  return inf as unknown as Informer & { lastActivityAt: number; stats: { watches: number; events: number } };
}

test('the Prometheus text parser reads labels with escapes, special values and types', () => {
  const m = parsePrometheusText(
    [
      '# HELP a_total Things.',
      '# TYPE a_total counter',
      'a_total{crd="web\\"site",path="C:\\\\x",msg="l1\\nl2"} 3',
      'b 1.5e3 1700000000000',
      'c{le="+Inf"} +Inf',
      'd NaN',
      'e Nan',
      'f -inf',
      '',
    ].join('\n'),
  );
  assert.equal(m.types.get('a_total'), 'counter');
  assert.deepEqual(select(m, 'a_total')[0].labels, { crd: 'web"site', path: 'C:\\x', msg: 'l1\nl2' });
  assert.equal(sum(m, 'a_total', { crd: 'web"site' }), 3);
  assert.equal(sum(m, 'b'), 1500);
  assert.equal(select(m, 'c')[0].value, Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(select(m, 'd')[0].value));
  assert.ok(Number.isNaN(select(m, 'e')[0].value), 'prom-client writes Nan; Prometheus accepts any case');
  assert.equal(select(m, 'f')[0].value, Number.NEGATIVE_INFINITY);
  assert.throws(() => parsePrometheusText('x{a="1} 2'), /unterminated/);
  assert.throws(() => parsePrometheusText('x two'), /bad sample value/);
});

test('metrics: reconciles, API requests, queue counters forwarded from engine stats, health and freshness', async () => {
  const metrics = new OrkestraMetrics({ defaultMetrics: false });
  const stats = { depth: 2, adds: 7, retries: 1, rejected: 0, longestRunningSeconds: 0.5, unfinishedWorkSeconds: 0.7 };
  const health = { status: 'degraded', healthy: false, consecutiveFails: 5 };
  const box: BoxView = { crd: 'website', queueStats: () => stats, workers: () => ({ size: 3, busy: 1 }), health: () => health };
  let now = 10_000;
  const inf = fakeInformer({ lastActivityAt: 4_000, watches: 1, events: 4 });
  const freshness = new WatchFreshness(() => [inf], () => now);
  metrics.attach({ boxes: () => [box], freshness, isLeader: () => true });
  metrics.reconciled('website', true, 0.02);
  metrics.reconciled('website', false, 0.2);
  let m = parsePrometheusText(await metrics.text());
  assert.equal(sum(m, 'orkestra_reconcile_total', { crd: 'website', result: 'success' }), 1);
  assert.equal(sum(m, 'orkestra_reconcile_total', { crd: 'website', result: 'error' }), 1);
  assert.equal(sum(m, 'orkestra_reconcile_duration_seconds_count', { crd: 'website' }), 2);
  assert.equal(m.types.get('orkestra_reconcile_duration_seconds'), 'histogram');
  assert.equal(sum(m, 'orkestra_queue_depth', { crd: 'website' }), 2);
  assert.equal(sum(m, 'orkestra_queue_adds_total', { crd: 'website' }), 7);
  assert.equal(sum(m, 'orkestra_queue_retries_total', { crd: 'website' }), 1);
  assert.equal(sum(m, 'orkestra_queue_rejected_total', { crd: 'website' }), 0, 'zero series exist from the start');
  assert.equal(sum(m, 'orkestra_workers', { crd: 'website' }), 3);
  assert.equal(sum(m, 'orkestra_workers_busy', { crd: 'website' }), 1);
  assert.equal(sum(m, 'orkestra_crd_healthy', { crd: 'website' }), 0);
  assert.equal(sum(m, 'orkestra_crd_state', { crd: 'website', state: 'degraded' }), 1);
  assert.equal(sum(m, 'orkestra_crd_consecutive_failures', { crd: 'website' }), 5);
  assert.equal(sum(m, 'orkestra_crd_served', { crd: 'website' }), 1, 'served unless the box says otherwise');
  assert.equal(sum(m, 'orkestra_leader'), 1);
  // The watch opened before the tracker first looked: the open counts from the first sample on.
  assert.equal(select(m, 'orkestra_watch_freshness_seconds', { resource: 'deployments.apps' })[0]?.value, 0);
  assert.equal(sum(m, 'orkestra_watch_events_total', { resource: 'deployments.apps' }), 4);

  // Counters only move forward by the engine's deltas; gauges follow the state.
  stats.adds = 10;
  stats.depth = 0;
  inf.stats.events = 6;
  now = 25_000;
  m = parsePrometheusText(await metrics.text());
  assert.equal(sum(m, 'orkestra_queue_adds_total', { crd: 'website' }), 10);
  assert.equal(sum(m, 'orkestra_queue_depth', { crd: 'website' }), 0);
  assert.equal(sum(m, 'orkestra_watch_events_total', { resource: 'deployments.apps' }), 6);
  assert.equal(sum(m, 'orkestra_watch_freshness_seconds', { resource: 'deployments.apps' }), 15);
});

test('freshness: events, bookmarks and watch reopens count as contact; silence does not', () => {
  let now = 1_000;
  const inf = fakeInformer({ lastActivityAt: 1_000, watches: 1 });
  const f = new WatchFreshness(() => [inf], () => now);
  f.tick();
  now = 31_000;
  assert.equal(f.samples()[0].seconds, 30);
  inf.stats.watches = 2; // the watch timed out and reopened: the server answered
  assert.equal(f.samples()[0].seconds, 0);
  now = 101_000;
  assert.equal(f.stale(60).length, 1);
  inf.lastActivityAt = 100_000; // a bookmark
  assert.equal(f.stale(60).length, 0);
  assert.equal(f.samples()[0].seconds, 1);
  const never = fakeInformer({ synced: false });
  const g = new WatchFreshness(() => [never], () => now);
  assert.equal(g.samples()[0].seconds, Number.POSITIVE_INFINITY);
  assert.equal(g.stale(60).length, 1, 'an unsynced watch is not ready');
});

test('a Secret child shows its name, type and keys, never its data', () => {
  const v = childView({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'Opaque', data: { password: 'c2VjcmV0' }, stringData: { token: 'plain' } } as never);
  assert.deepEqual(v.keys, ['password', 'token']);
  const text = JSON.stringify(v);
  assert.ok(!text.includes('c2VjcmV0') && !text.includes('plain'), text);
  const d = childView({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 } });
  assert.deepEqual(d.spec, { replicas: 2 });
});

test('the server: probes open, everything else behind the bearer token, read-only, 404s', async () => {
  const metrics = new OrkestraMetrics({ defaultMetrics: false });
  const freshness = new WatchFreshness(() => []);
  const runtime = { katalog: { metadata: { name: 'k' } }, boxes: new Map(), client: {} } as unknown as Runtime;
  const leader: LeaderState = { enabled: true, isLeader: false, identity: 'me', leader: 'other', transitions: 0 };
  let down = false;
  const api = await startApiServer({ runtime, metrics, freshness, leader: () => leader, staleWatchThresholdSeconds: 60, shuttingDown: () => down, token: 's3cret' }, { port: 0 });
  try {
    assert.equal(api.host, '127.0.0.1');
    const get = (path: string, token?: string, method = 'GET') => fetch(`${api.url}${path}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/readyz')).status, 200);
    assert.equal((await get('/katalog')).status, 401);
    assert.equal((await get('/metrics', 'wrong')).status, 401);
    const k = await get('/katalog', 's3cret');
    assert.equal(k.status, 200);
    const body = (await k.json()) as { isLeader: boolean; leader: { leader: string }; crds: unknown[] };
    assert.equal(body.isLeader, false);
    assert.equal(body.leader.leader, 'other');
    assert.equal((await get('/metrics', 's3cret')).headers.get('content-type')?.startsWith('text/plain'), true);
    assert.equal((await get('/katalog/nope/health', 's3cret')).status, 404);
    assert.equal((await get('/katalog', 's3cret', 'DELETE')).status, 405);
    down = true;
    assert.equal((await get('/readyz')).status, 503);
  } finally {
    await api.close();
  }
});

test('/readyz: a watch on a deleted CRD does not fail readiness (its box waits and says so); any other stale watch does', async () => {
  const metrics = new OrkestraMetrics({ defaultMetrics: false });
  let now = 1_000;
  const gone = fakeInformer({ resource: 'things', lastActivityAt: 1_000, watches: 1, notFoundSince: 2_000 });
  const live = fakeInformer({ resource: 'deployments', lastActivityAt: 1_000, watches: 1 });
  const freshness = new WatchFreshness(() => [gone, live], () => now);
  const health = { status: 'waiting', healthy: false, consecutiveFails: 0, crdServed: false };
  const box = { entry: { name: 'thing' }, healthSnapshot: () => health };
  const runtime = { katalog: { metadata: { name: 'k' } }, boxes: new Map([['thing', box]]) } as unknown as Runtime;
  metrics.attach({ boxes: () => [{ crd: 'thing', queueStats: () => ({ depth: 0, adds: 0, retries: 0, rejected: 0, longestRunningSeconds: 0, unfinishedWorkSeconds: 0 }), workers: () => ({ size: 2, busy: 0 }), health: () => health }], freshness, isLeader: () => true });
  const leader: LeaderState = { enabled: false, isLeader: true, identity: 'me', leader: '', transitions: 0 };
  const api = await startApiServer({ runtime, metrics, freshness, leader: () => leader, staleWatchThresholdSeconds: 60, shuttingDown: () => false }, { port: 0 });
  try {
    now = 30_000;
    type Ready = { reasons: string[]; waiting: string[]; watches: { informer: string; missing?: boolean }[] };
    let r = await fetch(`${api.url}/readyz`);
    let body = (await r.json()) as Ready;
    assert.equal(r.status, 200);
    assert.deepEqual(body.waiting, ['thing']);
    assert.deepEqual(body.watches.map((w) => [w.informer, w.missing ?? false]), [['things.apps in ns', true], ['deployments.apps in ns', false]]);
    now = 100_000; // both past the threshold: only the served one counts
    r = await fetch(`${api.url}/readyz`);
    body = (await r.json()) as Ready;
    assert.equal(r.status, 503);
    assert.deepEqual(body.reasons, ['watch deployments.apps in ns stale for 70 s (threshold 60 s)']);
    const m = parsePrometheusText(await metrics.text());
    assert.equal(sum(m, 'orkestra_crd_served', { crd: 'thing' }), 0);
    assert.equal(sum(m, 'orkestra_crd_state', { crd: 'thing', state: 'waiting' }), 1);
  } finally {
    await api.close();
  }
});
