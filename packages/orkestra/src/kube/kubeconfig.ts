// Kubeconfig loading without @kubernetes/client-node (its import alone costs ~80 MB RSS).
// Order: an explicit path, else $KUBECONFIG (colon-separated, merged), else ~/.kube/config,
// else the in-cluster service account. Merge rule, as kubectl's: the first file that defines a
// cluster/user/context name or a current-context wins. Relative file paths are resolved against
// the directory of the file that names them.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KubeConfigError } from './errors.ts';

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  /** The directory relative commands are resolved against (the kubeconfig's). */
  dir: string;
  provideClusterInfo: boolean;
}

export type AuthSource =
  | { type: 'none' }
  | { type: 'token'; token: string }
  /** Re-read on rotation (in-cluster projected tokens rotate hourly). */
  | { type: 'tokenFile'; path: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'exec'; exec: ExecConfig };

export interface TlsConfig {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify: boolean;
  serverName?: string;
}

/** Everything needed to talk to one cluster as one user. */
export interface ClusterAccess {
  /** Where it came from (file list or "in-cluster"), for error messages. */
  source: string;
  context?: string;
  server: string;
  namespace: string;
  tls: TlsConfig;
  auth: AuthSource;
}

interface NamedCluster { server?: string; ca?: Buffer; insecure?: boolean; serverName?: string }
interface NamedUser { cert?: Buffer; key?: Buffer; auth: AuthSource }
interface NamedContext { cluster?: string; user?: string; namespace?: string }

/** A kubeconfig after merging: maps of names, resolved paths, decoded data. */
export interface KubeConfigFile {
  source: string;
  currentContext?: string;
  clusters: Map<string, NamedCluster>;
  users: Map<string, NamedUser>;
  contexts: Map<string, NamedContext>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Parses one kubeconfig document. `dir` resolves relative paths; files are read at once. */
export function parseKubeConfig(text: string, source: string, dir: string): KubeConfigFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new KubeConfigError(source, `not valid YAML: ${(e as Error).message}`);
  }
  if (doc == null) doc = {};
  if (!isObj(doc)) throw new KubeConfigError(source, 'not a kubeconfig (expected a mapping)');
  const out: KubeConfigFile = { source, currentContext: str(doc['current-context']), clusters: new Map(), users: new Map(), contexts: new Map() };
  const path = (p: string): string => (isAbsolute(p) ? p : join(dir, p));
  const data = (field: string, b64: unknown, file: unknown): Buffer | undefined => {
    if (str(b64)) return Buffer.from(b64 as string, 'base64');
    if (str(file)) {
      try {
        return readFileSync(path(file as string));
      } catch (e) {
        throw new KubeConfigError(source, `${field}: cannot read ${path(file as string)}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      }
    }
    return undefined;
  };
  for (const [i, entry] of list(doc.clusters).entries()) {
    const name = str(entry.name);
    const c = entry.cluster;
    if (!name || !isObj(c)) throw new KubeConfigError(source, `clusters[${i}]: needs name and cluster`);
    if (out.clusters.has(name)) continue;
    out.clusters.set(name, {
      server: str(c.server),
      ca: data(`clusters[${i}].certificate-authority`, c['certificate-authority-data'], c['certificate-authority']),
      insecure: c['insecure-skip-tls-verify'] === true,
      serverName: str(c['tls-server-name']),
    });
  }
  for (const [i, entry] of list(doc.users).entries()) {
    const name = str(entry.name);
    const u = isObj(entry.user) ? entry.user : {};
    if (!name) throw new KubeConfigError(source, `users[${i}]: needs a name`);
    if (out.users.has(name)) continue;
    out.users.set(name, {
      cert: data(`users[${i}].client-certificate`, u['client-certificate-data'], u['client-certificate']),
      key: data(`users[${i}].client-key`, u['client-key-data'], u['client-key']),
      auth: userAuth(u, path, `users[${i}]`, source, dir),
    });
  }
  for (const [i, entry] of list(doc.contexts).entries()) {
    const name = str(entry.name);
    const c = isObj(entry.context) ? entry.context : {};
    if (!name) throw new KubeConfigError(source, `contexts[${i}]: needs a name`);
    if (out.contexts.has(name)) continue;
    out.contexts.set(name, { cluster: str(c.cluster), user: str(c.user), namespace: str(c.namespace) });
  }
  return out;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function userAuth(u: Obj, path: (p: string) => string, where: string, source: string, dir: string): AuthSource {
  if (str(u.token)) return { type: 'token', token: u.token as string };
  if (str(u.tokenFile)) return { type: 'tokenFile', path: path(u.tokenFile as string) };
  if (isObj(u.exec)) {
    const e = u.exec;
    if (!str(e.command)) throw new KubeConfigError(source, `${where}.exec: needs a command`);
    return {
      type: 'exec',
      exec: {
        command: e.command as string,
        args: Array.isArray(e.args) ? e.args.map(String) : [],
        env: list(e.env).map((x) => ({ name: String(x.name), value: String(x.value ?? '') })),
        apiVersion: str(e.apiVersion) ?? 'client.authentication.k8s.io/v1',
        dir,
        provideClusterInfo: e.provideClusterInfo === true,
      },
    };
  }
  if (isObj(u['auth-provider'])) throw new KubeConfigError(source, `${where}: auth-provider plugins are not supported; use an exec plugin`);
  if (str(u.username) && str(u.password)) return { type: 'basic', username: u.username as string, password: u.password as string };
  return { type: 'none' };
}

/** Merges files in order: the first definition of a name (or of current-context) wins. */
export function mergeKubeConfigs(files: KubeConfigFile[]): KubeConfigFile {
  const out: KubeConfigFile = { source: files.map((f) => f.source).join(':'), clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) {
    out.currentContext ??= f.currentContext;
    for (const k of ['clusters', 'users', 'contexts'] as const) {
      const into = out[k] as Map<string, unknown>;
      for (const [name, v] of f[k] as Map<string, unknown>) if (!into.has(name)) into.set(name, v);
    }
  }
  return out;
}

/** Picks a context (the given one or current-context) and assembles the ClusterAccess. */
export function resolveContext(cfg: KubeConfigFile, context?: string): ClusterAccess {
  const name = context ?? cfg.currentContext;
  if (!name) throw new KubeConfigError(cfg.source, 'no current-context set and no context given');
  const ctx = cfg.contexts.get(name);
  if (!ctx) throw new KubeConfigError(cfg.source, `context "${name}" not found`);
  const cluster = ctx.cluster ? cfg.clusters.get(ctx.cluster) : undefined;
  if (!cluster) throw new KubeConfigError(cfg.source, `context "${name}": cluster "${ctx.cluster ?? ''}" not found`);
  if (!cluster.server) throw new KubeConfigError(cfg.source, `cluster "${ctx.cluster}": no server`);
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new KubeConfigError(cfg.source, `cluster "${ctx.cluster}": server "${cluster.server}" is not a URL`);
  }
  const user = ctx.user ? cfg.users.get(ctx.user) : undefined;
  if (ctx.user && !user) throw new KubeConfigError(cfg.source, `context "${name}": user "${ctx.user}" not found`);
  if (user && Boolean(user.cert) !== Boolean(user.key)) {
    throw new KubeConfigError(cfg.source, `user "${ctx.user}": client certificate and key must be given together`);
  }
  return {
    source: cfg.source,
    context: name,
    server: server.origin + server.pathname.replace(/\/$/, ''),
    namespace: ctx.namespace ?? 'default',
    tls: { ca: cluster.ca, cert: user?.cert, key: user?.key, insecureSkipTlsVerify: cluster.insecure ?? false, serverName: cluster.serverName },
    auth: user?.auth ?? { type: 'none' },
  };
}

export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The in-cluster configuration: service host/port from the environment, token file, CA, namespace. */
export function inClusterAccess(env: NodeJS.ProcessEnv = process.env, dir = serviceAccountDir): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new KubeConfigError('in-cluster', 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  const tokenPath = join(dir, 'token');
  if (!existsSync(tokenPath)) throw new KubeConfigError('in-cluster', `no service account token at ${tokenPath}`);
  let ca: Buffer | undefined;
  try {
    ca = readFileSync(join(dir, 'ca.crt'));
  } catch {
    throw new KubeConfigError('in-cluster', `no CA certificate at ${join(dir, 'ca.crt')}`);
  }
  let namespace = 'default';
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || 'default';
  } catch {
    // An old cluster without the namespace file: keep "default".
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return { source: 'in-cluster', server: `https://${h}:${port}`, namespace, tls: { ca, insecureSkipTlsVerify: false }, auth: { type: 'tokenFile', path: tokenPath } };
}

export interface LoadOptions {
  /** A kubeconfig file; wins over $KUBECONFIG. */
  path?: string;
  context?: string;
  /** Overrides the context's namespace. */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the in-cluster token/CA/namespace live (tests point it elsewhere). */
  serviceAccountDir?: string;
}

export function loadKubeConfig(opts: LoadOptions = {}): ClusterAccess {
  const env = opts.env ?? process.env;
  let paths: string[];
  if (opts.path) paths = [opts.path];
  else if (env.KUBECONFIG) paths = env.KUBECONFIG.split(':').filter(Boolean);
  else {
    const home = env.HOME ?? homedir();
    const def = join(home, '.kube', 'config');
    if (!existsSync(def) && env.KUBERNETES_SERVICE_HOST) {
      const access = inClusterAccess(env, opts.serviceAccountDir);
      return opts.namespace ? { ...access, namespace: opts.namespace } : access;
    }
    paths = [def];
  }
  const files: KubeConfigFile[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      // kubectl skips missing files in a KUBECONFIG list; an explicit single file must exist.
      if (paths.length > 1 && (e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new KubeConfigError(abs, `cannot read kubeconfig: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    files.push(parseKubeConfig(text, abs, dirname(abs)));
  }
  if (files.length === 0) throw new KubeConfigError(paths.join(':'), 'no kubeconfig file found');
  const access = resolveContext(mergeKubeConfigs(files), opts.context);
  return opts.namespace ? { ...access, namespace: opts.namespace } : access;
}
