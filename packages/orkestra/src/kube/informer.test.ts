// The informer against a scripted fake API server on 127.0.0.1: paging, watch events, bookmarks,
// errors, 410 relists with synthesized differences, inactivity, resync, frozen cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeClient } from './client.ts';
import { Informer, type InformerOptions, type RecoveryInfo, type RetryInfo } from './informer.ts';
import { RequestCounter } from './metrics.ts';
import type { KubeObject, ResourceInfo } from './types.ts';

const CM: ResourceInfo = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: [], subresources: [] };

type WatchScript = (res: http.ServerResponse, url: URL) => void;

class FakeServer {
  items = new Map<string, KubeObject>();
  rv = 100;
  watchScripts: WatchScript[] = [];
  openWatches = new Set<http.ServerResponse>();
  listQueries: URL[] = [];
  watchQueries: URL[] = [];
  /** Answer 404 for the resource, as the API server does once its CRD is deleted. */
  missing = false;
  server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const w of this.openWatches) w.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  put(name: string, data: Record<string, string> = {}): KubeObject {
    const obj = { metadata: { name, namespace: 'ns', resourceVersion: String(++this.rv), uid: `uid-${name}`, managedFields: [{ manager: 'x' }] }, data };
    this.items.set(name, obj);
    return obj;
  }

  send(type: string, object: unknown): void {
    for (const w of this.openWatches) w.write(JSON.stringify({ type, object }) + '\n');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (this.missing) {
      if (url.searchParams.get('watch') === 'true') this.watchQueries.push(url);
      else this.listQueries.push(url);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      this.watchQueries.push(url);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      this.openWatches.add(res);
      res.on('close', () => this.openWatches.delete(res));
      const script = this.watchScripts.shift();
      script?.(res, url);
      return;
    }
    this.listQueries.push(url);
    const all = [...this.items.values()].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
    const limit = Number(url.searchParams.get('limit') ?? 0) || all.length;
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = all.slice(start, start + limit);
    const cont = start + limit < all.length ? String(start + limit) : undefined;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: String(this.rv), continue: cont }, items: page }));
  }
}

async function setup(opts: InformerOptions = {}): Promise<{ fake: FakeServer; informer: Informer; counter: RequestCounter; client: KubeClient; log: string[] }> {
  const fake = new FakeServer();
  const server = await fake.start();
  const client = KubeClient.fromKubeConfig({ access: { source: 'test', server, namespace: 'default', tls: { insecureSkipTlsVerify: false }, auth: { type: 'none' } } });
  const counter = new RequestCounter().attach(client.transport);
  const informer = new Informer(client, CM, { backoff: { initialMs: 20, maxMs: 100 }, ...opts });
  const log: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => log.push(`add:${o.metadata?.name}`),
    onUpdate: (a, b) => log.push(`update:${b.metadata?.name}${a === b ? ':resync' : ''}`),
    onDelete: (o) => log.push(`delete:${o.metadata?.name}`),
  });
  return { fake, informer, counter, client, log };
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('the initial list is paged, objects are frozen and lose managedFields, watch events update the cache', async () => {
  const { fake, informer, counter, client, log } = await setup({ pageSize: 2 });
  for (const n of ['a', 'b', 'c', 'd', 'e']) fake.put(n);
  informer.start();
  await informer.waitForSync(5000);
  assert.equal(counter.count({ verb: 'list' }), 3, 'five objects in pages of two');
  assert.deepEqual(fake.listQueries.map((u) => u.searchParams.get('limit')), ['2', '2', '2']);
  assert.equal(informer.size, 5);
  const a = informer.get('a', 'ns')!;
  assert.equal(a.metadata?.managedFields, undefined);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.metadata));
  assert.equal(a.kind, 'ConfigMap');

  await waitFor(() => fake.openWatches.size === 1, 'a watch');
  fake.send('ADDED', fake.put('f'));
  fake.send('MODIFIED', fake.put('a', { k: 'v' }));
  const d = fake.items.get('d')!;
  fake.items.delete('d');
  fake.send('DELETED', { ...d, metadata: { ...d.metadata, resourceVersion: String(++fake.rv) } });
  fake.send('BOOKMARK', { metadata: { resourceVersion: '555' } });
  await waitFor(() => informer.resourceVersion === '555', 'the bookmark');
  assert.deepEqual(log.slice(5), ['add:f', 'update:a', 'delete:d']);
  assert.deepEqual((informer.get('a', 'ns') as { data: unknown }).data, { k: 'v' });
  assert.equal(informer.byIndex('namespace', 'ns').length, 5);
  await informer.stop();
  client.close();
  await fake.close();
});

test('a 410 inside the watch stream leads to a relist whose differences become update/delete events', async () => {
  const { fake, informer, client, log } = await setup();
  fake.put('a');
  fake.put('b');
  fake.watchScripts.push((res) => {
    // The server no longer has our position; meanwhile a changed and b vanished.
    fake.put('a', { changed: 'yes' });
    fake.items.delete('b');
    res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }) + '\n');
  });
  informer.start();
  await waitFor(() => informer.stats.relists === 1, 'a relist');
  assert.deepEqual(log, ['add:a', 'add:b', 'update:a', 'delete:b']);
  assert.equal(informer.stats.gone, 1);
  assert.equal(informer.size, 1);
  await informer.stop();
  client.close();
  await fake.close();
});

test('errors and silent watches never stop the informer: it reconnects with backoff and resumes from its resourceVersion', async () => {
  const { fake, informer, client } = await setup({ inactivityMs: 150 });
  fake.put('a');
  let resumedFrom = '';
  fake.watchScripts.push((res) => res.destroy()); // connection dropped
  fake.watchScripts.push((res) => {
    res.statusCode = 500; // too late for a status, so answer with an in-stream error instead
    res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 500, reason: 'InternalError', message: 'boom' } }) + '\n');
  });
  fake.watchScripts.push(() => {}); // silent: must be abandoned after inactivityMs
  fake.watchScripts.push((_res, url) => (resumedFrom = url.searchParams.get('resourceVersion') ?? ''));
  const errors: unknown[] = [];
  informer.start();
  await waitFor(() => resumedFrom !== '', 'the fourth watch', 5000);
  assert.equal(resumedFrom, String(fake.rv), 'resumed from the listed resourceVersion, no relist');
  assert.equal(informer.stats.lists, 1);
  assert.ok(informer.stats.errors >= 2, `errors counted: ${informer.stats.errors}`);
  assert.equal(informer.stats.inactivityTimeouts, 1);
  assert.ok(errors.length === 0);
  await informer.stop();
  client.close();
  await fake.close();
});

test('resync re-emits every cached object as an update; late handlers get the cache as adds', async () => {
  const { fake, informer, client, log } = await setup({ resyncMs: 50 });
  fake.put('a');
  informer.start();
  await waitFor(() => log.includes('update:a:resync'), 'a resync');
  const late: string[] = [];
  informer.addEventHandler({ onAdd: (o, initial) => late.push(`${o.metadata?.name}:${initial}`) });
  assert.deepEqual(late, ['a:true']);
  assert.ok(informer.lastActivityAt > 0);
  await informer.stop();
  client.close();
  await fake.close();
});

test('a handler that throws does not break delivery to others', async () => {
  const { fake, informer, client, log } = await setup();
  const errs: string[] = [];
  const inf2 = new Informer(client, CM, { onError: (_e, phase) => errs.push(phase) });
  inf2.addEventHandler({
    onAdd: () => {
      throw new Error('bad handler');
    },
  });
  const seen: string[] = [];
  inf2.addEventHandler({ onAdd: (o) => seen.push(String(o.metadata?.name)) });
  fake.put('a');
  inf2.start();
  await inf2.waitForSync(5000);
  assert.deepEqual(seen, ['a']);
  assert.deepEqual(errs, ['handler']);
  assert.deepEqual(log, []);
  await inf2.stop();
  await informer.stop();
  client.close();
  await fake.close();
});

test('a resource that disappears (404): notFoundSince, slower growing steps, a relist when it is back, one recovery', async () => {
  const retries: RetryInfo[] = [];
  const recoveries: RecoveryInfo[] = [];
  const { fake, informer, client, log } = await setup({
    notFoundBackoff: { initialMs: 40, maxMs: 160, jitter: 0 },
    onError: (_e, _phase, r) => r && retries.push(r),
    onRecovered: (r) => recoveries.push(r),
  });
  fake.put('a');
  fake.put('b');
  informer.start();
  await informer.waitForSync(5000);
  await waitFor(() => fake.openWatches.size === 1, 'a watch');
  assert.equal(informer.notFoundSince, 0);

  // The CRD goes away while nobody watched: the server drops the watch and answers 404 from now on.
  fake.missing = true;
  const [lists0, watches0] = [fake.listQueries.length, fake.watchQueries.length];
  fake.items.delete('b');
  for (const w of fake.openWatches) w.destroy();
  // (The dropped connection itself may count as one ordinary watch error first.)
  const nf = (): RetryInfo[] => retries.filter((r) => r.notFound);
  await waitFor(() => nf().length >= 4, 'four not-found retries');
  assert.ok(informer.notFoundSince > 0);
  assert.deepEqual(nf().slice(0, 4).map((r) => [r.attempt, r.retryInMs]), [[1, 40], [2, 80], [3, 160], [4, 160]], 'one step per attempt, doubling, capped');
  assert.equal(nf()[0].resource, 'configmaps');
  // After the first 404 the informer lists again instead of watching from a stale position.
  assert.equal(fake.watchQueries.length - watches0, 1, 'one watch met the 404');
  assert.ok(fake.listQueries.length - lists0 >= 3, `lists tried: ${fake.listQueries.length - lists0}`);
  assert.equal(informer.size, 2, 'the cache keeps its last contents while the resource is gone');
  assert.equal(recoveries.length, 0);

  fake.missing = false;
  await waitFor(() => recoveries.length === 1, 'the recovery');
  assert.equal(informer.notFoundSince, 0);
  assert.equal(recoveries[0].wasNotFound, true);
  assert.ok(recoveries[0].downMs >= 40 + 80 + 160);
  assert.equal(informer.stats.relists, 1);
  assert.ok(log.includes('delete:b'), 'the relist emits what vanished meanwhile');
  await waitFor(() => fake.openWatches.size === 1, 'a watch again');
  const lastWatch = fake.watchQueries.at(-1)!;
  assert.equal(lastWatch.searchParams.get('resourceVersion'), String(fake.rv), 'watching from the new list');
  assert.equal(recoveries.length, 1, 'the watch opening after the relist is no second recovery');

  // A second disappearance starts again at the first step.
  const before = retries.length;
  fake.missing = true;
  for (const w of fake.openWatches) w.destroy();
  await waitFor(() => retries.slice(before).some((r) => r.notFound), 'a retry after the second disappearance');
  const again = retries.slice(before).find((r) => r.notFound)!;
  assert.deepEqual([again.attempt, again.retryInMs], [1, 40]);
  await informer.stop();
  client.close();
  await fake.close();
});
