// The one door to the API server: every request (and every watch) passes through `send`, which
// adds credentials, turns non-2xx answers into ApiError and unreachable servers into
// ConnectionError, and reports one RequestSample per HTTP attempt to the observers (metrics,
// and tests that count requests).
import { http, https } from '../node-http.ts';
import type { Agent, IncomingMessage } from 'node:http';
import { ApiError, ConnectionError } from './errors.ts';
import { Credentials, type Credential } from './credentials.ts';
import type { ClusterAccess } from './kubeconfig.ts';

export interface RequestSample {
  /** get, list, watch, create, update, patch, apply, delete, … */
  verb: string;
  /** "deployments.apps", "pods", "discovery", … */
  resource: string;
  method: string;
  /** HTTP status; 0 when no answer arrived (connection error, abort, timeout). */
  code: number;
  durationMs: number;
}
export type RequestObserver = (sample: RequestSample) => void;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  contentType?: string;
  verb: string;
  resource: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TransportOptions {
  /** Per-request timeout for non-watch requests. */
  timeoutMs?: number;
  userAgent?: string;
  /** Idle keep-alive sockets kept per host; watches hold one socket each and are not limited. */
  maxFreeSockets?: number;
}

/** A stream of watch events (newline-delimited JSON objects). */
export interface JsonStream extends AsyncIterable<unknown> {
  close(): void;
}

export class Transport {
  readonly access: ClusterAccess;
  readonly server: URL;
  private readonly credentials: Credentials;
  private readonly observers = new Set<RequestObserver>();
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly maxFreeSockets: number;
  private agents = new Map<string, Agent>();

  constructor(access: ClusterAccess, opts: TransportOptions = {}) {
    this.access = access;
    this.server = new URL(access.server);
    this.credentials = new Credentials(access);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.userAgent = opts.userAgent ?? 'orkestra/0.1';
    this.maxFreeSockets = opts.maxFreeSockets ?? 32;
  }

  /** Adds a metrics observer; returns the function that removes it. */
  observe(fn: RequestObserver): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  /** Sends one request and returns the parsed JSON body (undefined for an empty body). */
  async request<T = unknown>(spec: RequestSpec): Promise<T> {
    const res = await this.send(spec, false);
    const body = await readBody(res);
    return (body.length ? JSON.parse(body.toString('utf8')) : undefined) as T;
  }

  /** Opens a streaming GET (a watch). The caller closes it; errors surface from the iterator. */
  async stream(spec: RequestSpec): Promise<JsonStream> {
    const res = await this.send(spec, true);
    return {
      close: () => res.destroy(),
      [Symbol.asyncIterator]: () => jsonLines(res),
    };
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private async send(spec: RequestSpec, streaming: boolean): Promise<IncomingMessage> {
    let cred = await this.credentials.get();
    let res: IncomingMessage;
    try {
      res = await this.attempt(spec, cred, streaming);
    } catch (e) {
      // A keep-alive socket the server closed while idle fails at once on reuse; the request never
      // reached the server, so an idempotent one is sent again on a fresh connection.
      if (!(e instanceof ConnectionError && staleSocket.has(e)) || spec.method === 'POST') throw e;
      res = await this.attempt(spec, cred, streaming);
    }
    if (res.statusCode === 401 && this.credentials.refreshable) {
      res.resume();
      this.credentials.invalidate();
      cred = await this.credentials.get();
      res = await this.attempt(spec, cred, streaming);
    }
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw await toApiError(res, spec, this.describe(spec));
    return res;
  }

  private describe(spec: RequestSpec): string {
    return `${this.server.origin}${spec.path}`;
  }

  private attempt(spec: RequestSpec, cred: Credential, streaming: boolean): Promise<IncomingMessage> {
    const started = performance.now();
    const record = (code: number): void => {
      const sample: RequestSample = { verb: spec.verb, resource: spec.resource, method: spec.method, code, durationMs: performance.now() - started };
      for (const o of this.observers) {
        try {
          o(sample);
        } catch {
          // A broken metrics hook must not break the request path.
        }
      }
    };
    const qs = spec.query ? encodeQuery(spec.query) : '';
    const base = this.server.pathname === '/' ? '' : this.server.pathname;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.userAgent };
    if (cred.authorization) headers.Authorization = cred.authorization;
    let payload: Buffer | undefined;
    if (spec.body !== undefined) {
      payload = Buffer.from(typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body));
      headers['Content-Type'] = spec.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const isHttps = this.server.protocol === 'https:';
    const mod = isHttps ? https : http;
    return new Promise((resolve, reject) => {
      if (spec.signal?.aborted) {
        record(0);
        return reject(new ConnectionError(this.server.origin, 'ABORTED'));
      }
      const req = mod.request({
        protocol: this.server.protocol,
        hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
        port: this.server.port || (isHttps ? 443 : 80),
        method: spec.method,
        path: base + spec.path + qs,
        headers,
        agent: this.agentFor(cred),
        servername: this.access.tls.serverName,
      });
      let settled = false;
      const onAbort = (): void => void req.destroy(Object.assign(new Error('aborted'), { code: 'ABORTED' }));
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('response', (res) => {
        settled = true;
        record(res.statusCode ?? 0);
        if (!streaming) req.setTimeout(0);
        res.on('close', () => spec.signal?.removeEventListener('abort', onAbort));
        resolve(res);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        spec.signal?.removeEventListener('abort', onAbort);
        if (settled) return; // surfaces through the response stream instead
        settled = true;
        record(0);
        const ce = new ConnectionError(this.server.origin, err.code ?? 'ERROR', err.message);
        if (req.reusedSocket && err.code === 'ECONNRESET') staleSocket.add(ce);
        reject(ce);
      });
      if (!streaming) {
        req.setTimeout(spec.timeoutMs ?? this.timeoutMs, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      }
      req.end(payload);
    });
  }

  private agentFor(cred: Credential): Agent {
    const key = cred.cert ? cred.cert.toString('base64').slice(-32) : '';
    let agent = this.agents.get(key);
    if (!agent) {
      const tls = this.access.tls;
      const common = { keepAlive: true, maxFreeSockets: this.maxFreeSockets, keepAliveMsecs: 30_000 };
      agent =
        this.server.protocol === 'https:'
          ? new https.Agent({
              ...common,
              ca: tls.ca,
              cert: cred.cert ?? tls.cert,
              key: cred.key ?? tls.key,
              rejectUnauthorized: !tls.insecureSkipTlsVerify,
            })
          : new http.Agent(common);
      this.agents.set(key, agent);
    }
    return agent;
  }
}

/** Errors that came from reusing a keep-alive socket the server had already closed. */
const staleSocket = new WeakSet<ConnectionError>();

export function encodeQuery(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function toApiError(res: IncomingMessage, spec: RequestSpec, url: string): Promise<ApiError> {
  let body = '';
  try {
    body = (await readBody(res)).toString('utf8');
  } catch {
    // The body is only a better message; the status code is enough.
  }
  let status: { reason?: string; message?: string; details?: unknown } = {};
  try {
    status = JSON.parse(body) as typeof status;
  } catch {
    status = { message: body.slice(0, 500).trim() };
  }
  return new ApiError({ statusCode: res.statusCode ?? 0, reason: status.reason, message: status.message, details: status.details, verb: spec.verb, url });
}

async function* jsonLines(res: IncomingMessage): AsyncGenerator<unknown> {
  res.setEncoding('utf8');
  let buf = '';
  for await (const chunk of res) {
    buf += chunk as string;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) yield JSON.parse(line);
    }
  }
  if (buf.trim()) yield JSON.parse(buf);
}
