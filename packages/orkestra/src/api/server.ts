// The runtime HTTP API: one port, read-only JSON, Prometheus text on /metrics. Followers serve it
// too (from their warm caches), so any replica answers. With a token every path except the
// probes (/healthz, /readyz) needs `Authorization: Bearer <token>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { http } from '../node-http.ts';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../kube/index.ts';
import type { Runtime } from '../engine/runtime.ts';
import type { OperatorBox } from '../engine/operator-box.ts';
import type { OrkestraMetrics } from './metrics.ts';
import type { WatchFreshness } from './freshness.ts';
import { boxSummary, childrenView, crSummary, eventView, healthView, lastSeenMs } from './views.ts';

export interface LeaderState {
  /** False when leader election is off (this process always reconciles). */
  enabled: boolean;
  isLeader: boolean;
  identity: string;
  /** The holder last seen on the Lease ("" when free or unknown). */
  leader: string;
  lease?: { namespace: string; name: string };
  /** When this process last became leader. */
  since?: string;
  transitions: number;
}

export interface ApiContext {
  runtime: Runtime;
  metrics: OrkestraMetrics;
  freshness: WatchFreshness;
  leader(): LeaderState;
  /** /readyz fails when a watch has not heard from the API server for longer than this. */
  staleWatchThresholdSeconds: number;
  shuttingDown(): boolean;
  /** Optional bearer token. */
  token?: string;
}

export interface ApiServerOptions {
  port: number;
  /** Default 127.0.0.1; `0.0.0.0` in a Pod. */
  host?: string;
}

export interface ApiServer {
  readonly port: number;
  readonly host: string;
  readonly url: string;
  close(): Promise<void>;
}

const MAX_EVENTS = 20;

export async function startApiServer(ctx: ApiContext, opts: ApiServerOptions): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
  });
  // Probes and scrapes are short; a stuck client must not hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    port: addr.port,
    host: addr.address,
    url: `http://${shownHost}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function handle(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, { error: 'the runtime API is read-only' });
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (path === '/healthz' || path === '/health') return send(res, 200, { status: 'ok' });
  if (path === '/readyz' || path === '/ready') return readyz(ctx, res);
  if (ctx.token && !authorized(ctx.token, req.headers.authorization)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="orkestra"');
    return send(res, 401, { error: 'missing or wrong bearer token' });
  }
  if (path === '/metrics') {
    const text = await ctx.metrics.text();
    res.writeHead(200, { 'Content-Type': ctx.metrics.contentType });
    res.end(text);
    return;
  }
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts[0] !== 'katalog') return send(res, 404, { error: `no route ${path}` });
  if (parts.length === 1) return send(res, 200, katalogView(ctx));
  const box = findBox(ctx.runtime, parts[1]);
  if (!box) return send(res, 404, { error: `no CRD ${parts[1]} in Katalog ${ctx.runtime.katalog.metadata.name}` });
  if (parts.length === 2) return send(res, 200, { ...boxSummary(box), health: healthView(box), queue: box.queue.stats() });
  if (parts[2] === 'health' && parts.length === 3) {
    const h = box.healthSnapshot();
    // A follower's `pending` is not a fault; degraded, waiting (CRD not served) and stopped are.
    const ok = h.status === 'healthy' || h.status === 'pending';
    return send(res, ok ? 200 : 503, healthView(box));
  }
  if (parts[2] === 'cr') {
    const inf = box.crInformer;
    if (parts.length === 3) {
      const items = (inf?.list() ?? []).map(crSummary);
      items.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
      return send(res, 200, { crd: box.entry.name, synced: inf?.hasSynced() ?? false, count: items.length, items });
    }
    // /cr/{namespace}/{name}, or /cr/{name} for cluster-scoped CRs.
    if (parts.length === 4 || parts.length === 5) {
      const [ns, name] = parts.length === 5 ? [parts[3], parts[4]] : [undefined, parts[3]];
      const cr = inf?.get(name, ns);
      if (!cr) return send(res, 404, { error: `${box.entry.apiTypes.kind} ${ns ? `${ns}/` : ''}${name} not found in the cache` });
      return send(res, 200, await crDetail(ctx, box, cr));
    }
  }
  return send(res, 404, { error: `no route ${path}` });
}

function katalogView(ctx: ApiContext): Record<string, unknown> {
  const l = ctx.leader();
  return {
    katalog: ctx.runtime.katalog.metadata.name,
    identity: l.identity,
    isLeader: l.isLeader,
    // The name the Go original used for the same flag.
    isKonductor: l.isLeader,
    leader: l,
    crds: [...ctx.runtime.boxes.values()].map(boxSummary),
  };
}

function readyz(ctx: ApiContext, res: ServerResponse): void {
  const threshold = ctx.staleWatchThresholdSeconds;
  const watches = ctx.freshness.samples();
  // A watch on a deleted CRD is not heard from either, but it is that CRD's health (503 on
  // /katalog/{crd}/health) and not the process's readiness: like a CRD not served at start.
  const stale = watches.filter((w) => !w.missing && (!w.synced || w.seconds > threshold));
  const reasons: string[] = [];
  if (ctx.shuttingDown()) reasons.push('shutting down');
  for (const w of stale) reasons.push(w.synced ? `watch ${w.informer} stale for ${Math.round(w.seconds)} s (threshold ${threshold} s)` : `watch ${w.informer} not synced`);
  const body = {
    ready: reasons.length === 0,
    reasons,
    staleWatchThresholdSeconds: threshold,
    /** CRDs whose box waits for the API server to serve them (they do not fail readiness). */
    waiting: [...ctx.runtime.boxes.values()].filter((b) => b.healthSnapshot().status === 'waiting').map((b) => b.entry.name),
    watches: watches.map((w) => ({ informer: w.informer, synced: w.synced, ...(w.missing ? { missing: true } : {}), freshnessSeconds: Number.isFinite(w.seconds) ? Math.round(w.seconds * 10) / 10 : null })),
  };
  send(res, reasons.length ? 503 : 200, body);
}

async function crDetail(ctx: ApiContext, box: OperatorBox, cr: KubeObject): Promise<Record<string, unknown>> {
  const key = cr.metadata?.namespace ? `${cr.metadata.namespace}/${cr.metadata.name}` : (cr.metadata?.name ?? '');
  let events: Record<string, unknown>[] = [];
  let eventsError: string | undefined;
  try {
    // Events are not cached: one list per request, filtered by the server.
    const sel = [`involvedObject.name=${cr.metadata?.name}`, `involvedObject.kind=${box.entry.apiTypes.kind}`];
    if (cr.metadata?.uid) sel.push(`involvedObject.uid=${cr.metadata.uid}`);
    if (!ctx.runtime.kube) throw new Error('events are read from the API server, and this runtime has none');
    const list = await ctx.runtime.kube.client.list({ apiVersion: 'v1', kind: 'Event' }, { namespace: cr.metadata?.namespace, fieldSelector: sel.join(','), timeoutMs: 10_000 });
    events = list.items.map(eventView).sort((a, b) => lastSeenMs(b) - lastSeenMs(a)).slice(0, MAX_EVENTS);
  } catch (err) {
    eventsError = err instanceof Error ? err.message : String(err);
  }
  return {
    crd: box.entry.name,
    summary: crSummary(cr),
    object: cr,
    children: childrenView(box, cr),
    lastReconcile: box.reconciler?.last.get(key) ?? null,
    events,
    ...(eventsError ? { eventsError } : {}),
  };
}

/** `website`, `websites.demo.orkestra.io`, the kind or the plural all name the same box. */
export function findBox(runtime: Runtime, name: string): OperatorBox | undefined {
  const direct = runtime.boxes.get(name);
  if (direct) return direct;
  const n = name.toLowerCase();
  for (const b of runtime.boxes.values()) {
    if (b.crdName === n || b.entry.apiTypes.plural === n || b.entry.apiTypes.kind.toLowerCase() === n) return b;
  }
  return undefined;
}

function authorized(token: string, header: string | undefined): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body, null, 2);
  res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
