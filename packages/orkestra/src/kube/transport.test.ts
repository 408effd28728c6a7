import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from './errors.ts';
import { RequestCounter } from './metrics.ts';
import { Transport } from './transport.ts';

test('Status bodies become ApiError; a 401 re-reads the token file once; every attempt is a sample', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ork-transport-'));
  const tokenPath = join(dir, 'token');
  writeFileSync(tokenPath, 'old');
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
    res.setHeader('Content-Type', 'application/json');
    if (req.headers.authorization !== 'Bearer new') {
      res.statusCode = 401;
      res.end(JSON.stringify({ kind: 'Status', reason: 'Unauthorized', message: 'token expired' }));
    } else if (req.url?.startsWith('/conflict')) {
      res.statusCode = 409;
      res.end(JSON.stringify({ kind: 'Status', reason: 'Conflict', message: 'the object has been modified', details: { name: 'x' } }));
    } else res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = new Transport({ source: 't', server: url, namespace: 'd', tls: { insecureSkipTlsVerify: false }, auth: { type: 'tokenFile', path: tokenPath } });
  const counter = new RequestCounter().attach(t);

  // A token the server refuses: one refresh (same file content), then the 401 is the answer.
  const unauthorized = await t.request({ method: 'GET', path: '/ok', verb: 'get', resource: 'things' }).catch((e: unknown) => e);
  assert.ok(unauthorized instanceof ApiError && unauthorized.statusCode === 401 && unauthorized.reason === 'Unauthorized');
  // The token rotates on disk: the cached one gets a 401, the re-read one succeeds.
  writeFileSync(tokenPath, 'new');
  assert.deepEqual(await t.request({ method: 'GET', path: '/ok', query: { a: 1, b: undefined }, verb: 'get', resource: 'things' }), { ok: true });
  assert.ok(seen.at(-1)?.startsWith('GET /ok?a=1 Bearer new'));

  const err = await t.request({ method: 'PUT', path: '/conflict', body: {}, verb: 'update', resource: 'things' }).catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.statusCode, 409);
  assert.equal(err.reason, 'Conflict');
  assert.deepEqual(err.details, { name: 'x' });
  assert.match(err.message, /update http:\/\/127\.0\.0\.1:\d+\/conflict: 409 Conflict: the object has been modified/);
  assert.equal(counter.count({ code: 401 }), 3);
  assert.equal(counter.count({ verb: 'update', code: 409 }), 1);
  t.close();
  await new Promise((r) => server.close(r));
});
