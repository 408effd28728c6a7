// Lifecycle blocks (onCreate / onReconcile / onDelete) → Hooks: resource declarations in order,
// external calls, and provider blocks (any key that is neither a resource kind nor a hook key).
import type { ExternalCall, Hook, HookName, ProviderBlock, ProviderDeclaration, ResourceDecl, ResourceKind, ValueMap } from './model.ts';
import { HOOK_CONTROL_KEYS, RESOURCE_KIND_ALIASES, RESOURCE_SCHEMAS } from './schema.ts';
import { buildGate } from './conditions.ts';
import { buildForEach } from './for-each.ts';
import { asBool, asList, asObj, asStr, isObj, toStringMap, toValue, toValueMap } from './context.ts';
import type { BuildContext, Raw } from './context.ts';
import { closest, formatPath } from './diagnostics.ts';
import type { Path } from './source.ts';

const RESOURCE_KEYS = Object.keys(RESOURCE_SCHEMAS);
const HOOK_KEYS = [...RESOURCE_KEYS, ...HOOK_CONTROL_KEYS, 'groups'];
/** Provider names common enough that they are never taken for a typo of a kind key. */
const WELL_KNOWN_PROVIDERS = new Set(['aws', 'gcp', 'google', 'azure', 'redis', 'postgres', 'mysql', 'mongo', 'mongodb', 'database', 'vault', 'kafka']);
const RESOURCE_CONTROL_KEYS = ['when', 'or', 'anyOf', 'reconcile', 'once', 'rotateAfter', 'forEach'];
const POD_KINDS = new Set(['deployments', 'statefulSets', 'replicaSets', 'pods', 'jobs', 'cronJobs']);

export function emptyHook(name: HookName): Hook {
  return { name, resources: [], external: [], providers: [], when: [], or: [], ordered: false, groups: [] };
}

export function buildHook(raw: unknown, path: Path, name: HookName, ctx: BuildContext): Hook {
  const hook = emptyHook(name);
  if (!isObj(raw)) return hook;
  hook.source = ctx.at(path);
  Object.assign(hook, buildGate(raw, path, ctx));
  hook.ordered = asBool(raw.ordered, false);
  const timeout = asStr(raw.timeout);
  if (timeout !== undefined) hook.timeout = timeout;
  hook.external = asList(raw.external).flatMap((c, i) => (isObj(c) ? [buildExternal(c, [...path, 'external', i], ctx)] : []));
  hook.groups = asList(raw.groups).map((g, i) => buildHook(g, [...path, 'groups', i], name, ctx));
  for (const [key, value] of Object.entries(raw)) {
    if ((HOOK_KEYS as readonly string[]).includes(key) || Object.hasOwn(RESOURCE_KIND_ALIASES, key)) {
      const kind = (Object.hasOwn(RESOURCE_KIND_ALIASES, key) ? RESOURCE_KIND_ALIASES[key]! : key) as ResourceKind;
      if (!RESOURCE_KEYS.includes(kind)) continue;
      asList(value).forEach((item, i) => {
        if (isObj(item)) hook.resources.push(buildResource(kind, item, [...path, key, i], name, ctx));
      });
      continue;
    }
    const block = buildHookProviderBlock(key, value, path, name, ctx);
    if (block !== undefined) hook.providers.push(block);
  }
  return hook;
}

function buildHookProviderBlock(key: string, value: unknown, hookPath: Path, hook: HookName, ctx: BuildContext): ProviderBlock | undefined {
  const path = [...hookPath, key];
  const declared = ctx.declaredProviders;
  if (declared?.has(key) !== true) {
    // Not a declared provider: a key that looks like a kind or hook key is a typo, not a provider.
    const suggestion = WELL_KNOWN_PROVIDERS.has(key) ? undefined : closest(key, [...HOOK_KEYS, ...(declared ?? [])]);
    if (suggestion !== undefined) {
      ctx.error(path, `unknown key \`${key}\` in ${hook}; did you mean \`${suggestion}\`?`, 'unknown-key', true);
      ctx.claim(path);
      return undefined;
    }
    if (!Array.isArray(value)) {
      ctx.error(path, `unknown key \`${key}\` in ${hook}: not a resource kind (${RESOURCE_KEYS.slice(0, 6).join(', ')}, …), not a hook key, and not a provider block (a list of \`- <kind>: {…}\`)`, 'unknown-key', true);
      ctx.claim(path);
      return undefined;
    }
  }
  return buildProviderBlock(key, value, path, hook, ctx);
}

export function buildProviderBlock(provider: string, value: unknown, path: Path, hook: HookName | undefined, ctx: BuildContext): ProviderBlock {
  const declared = ctx.declaredProviders;
  if (declared === undefined) {
    ctx.warn(path, `provider block \`${provider}\`: the Katalog declares no top-level \`providers:\`, so the name is not checked; add \`providers: [{name: ${provider}}]\``, 'provider-undeclared', true);
  } else if (!declared.has(provider)) {
    ctx.warn(path, `provider block \`${provider}\` is not declared in top-level \`providers:\` (${[...declared].join(', ')}); it will be skipped`, 'provider-undeclared', true);
  }
  const declarations: ProviderDeclaration[] = [];
  asList(value).forEach((item, i) => {
    if (!isObj(item)) return;
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      ctx.error([...path, i], `a provider declaration has exactly one key (its kind, e.g. \`- s3: {…}\`), got ${keys.length}: ${keys.join(', ')}`, 'provider-declaration');
      return;
    }
    const kind = keys[0]!;
    const fields = asObj(item[kind]);
    declarations.push({
      kind,
      fields: toValueMap(fields, ['when', 'or', 'anyOf']),
      ...buildGate(fields, [...path, i, kind], ctx),
      source: ctx.at([...path, i]),
    });
  });
  const block: ProviderBlock = { provider, declared: declared?.has(provider) === true, declarations, source: ctx.where.keyAt(path) };
  if (hook !== undefined) block.hook = hook;
  return block;
}

function buildResource(kind: ResourceKind, item: Raw, path: Path, hook: HookName, ctx: BuildContext): ResourceDecl {
  const spec = toValueMap(item, RESOURCE_CONTROL_KEYS);
  if (POD_KINDS.has(kind)) {
    if (item.env !== undefined) spec.env = normalizeEnv(item.env);
    if (item.envFrom !== undefined) spec.envFrom = normalizeEnvFrom(item.envFrom);
  }
  const gate = buildGate(item, path, ctx);
  const once = asBool(item.once, false);
  const reconcile = hook === 'onReconcile' ? true : asBool(item.reconcile, false);
  const decl: ResourceDecl = {
    kind, spec, ...gate, reconcile, once, path: formatPath(path), source: ctx.at(path),
  };
  const name = asStr(item.name);
  if (name !== undefined) decl.name = name;
  const namespace = asStr(item.namespace);
  if (namespace !== undefined) decl.namespace = namespace;
  const rotateAfter = asStr(item.rotateAfter);
  if (rotateAfter !== undefined) decl.rotateAfter = rotateAfter;
  const tls = kind === 'secrets' && item.tls !== undefined && item.tls !== null;
  if (tls) checkTls(item, path, ctx);
  const forEach = tls ? undefined : buildForEach(item, path, hook, ctx);
  if (forEach !== undefined) decl.forEach = forEach;
  if (once && item.reconcile === true) ctx.warn([...path, 'once'], '`once: true` is ignored with `reconcile: true` (the resource is updated on every reconcile)', 'ignored-field', true);
  if (rotateAfter !== undefined && !once && !tls) ctx.warn([...path, 'rotateAfter'], '`rotateAfter` needs `once: true` to have an effect', 'ignored-field', true);
  if (kind === 'jobs' && item.reconcile === true) ctx.warn([...path, 'reconcile'], 'Jobs are always created once; `reconcile: true` is ignored', 'ignored-field', true);
  return decl;
}

/**
 * A `tls` Secret (reference §10.5) generates its data, one certificate per declaration; the keys
 * that would give it data from elsewhere, or several objects, contradict it.
 */
function checkTls(item: Raw, path: Path, ctx: BuildContext): void {
  for (const k of ['data', 'stringData', 'encodedData']) {
    if (item[k] !== undefined) ctx.error([...path, k], `a tls Secret generates its data (tls.crt, tls.key, ca.crt); remove \`${k}\``, 'invalid-value', true);
  }
  for (const k of ['fromSecret', 'fromNamespace', 'toNamespaces']) {
    if (item[k] !== undefined) ctx.error([...path, k], `a tls Secret generates its certificate; it cannot also be a copy (\`${k}\`): declare the copy separately`, 'invalid-value', true);
  }
  if (item.forEach !== undefined) {
    ctx.error([...path, 'forEach'], 'not supported yet: forEach on a tls Secret (declare one Secret per certificate, or list the names in tls.dnsNames)', 'unsupported', true);
  }
}

/** Map form `NAME: {value|secretKeyRef|configMapKeyRef}` and list form → the list form. */
function normalizeEnv(env: unknown): ValueMap[] {
  if (Array.isArray(env)) return env.filter(isObj).map((e) => toValueMap(e));
  return Object.entries(asObj(env)).map(([name, v]): ValueMap => {
    if (!isObj(v)) return { name, value: toValue(v) };
    if (v.value !== undefined) return { name, value: toValue(v.value) };
    const valueFrom: ValueMap = {};
    for (const k of ['secretKeyRef', 'configMapKeyRef', 'fieldRef']) if (v[k] !== undefined) valueFrom[k] = toValue(v[k]);
    return { name, valueFrom };
  });
}

/** `- configMapRef: name`, `{name, prefix}` objects and the v0.7.13 grouped form → one entry per source. */
function normalizeEnvFrom(envFrom: unknown): ValueMap[] {
  const out: ValueMap[] = [];
  const push = (kind: 'configMapRef' | 'secretRef', ref: unknown, prefix: unknown) => {
    for (const r of Array.isArray(ref) ? ref : [ref]) {
      const entry: ValueMap = isObj(r) ? toValueMap(r) : { name: toValue(r) };
      if (prefix !== undefined && entry.prefix === undefined) entry.prefix = toValue(prefix);
      out.push({ [kind]: entry });
    }
  };
  for (const item of Array.isArray(envFrom) ? envFrom : [envFrom]) {
    if (!isObj(item)) continue;
    if (item.configMapRef !== undefined) push('configMapRef', item.configMapRef, item.prefix);
    if (item.secretRef !== undefined) push('secretRef', item.secretRef, item.prefix);
  }
  return out;
}

export function buildExternal(raw: Raw, path: Path, ctx: BuildContext): ExternalCall {
  const name = asStr(raw.name) ?? '';
  if (name !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    ctx.warn([...path, 'name'], `external call name \`${name}\` is not an identifier; \`.external.${name}.…\` will not be reachable from templates (use camelCase)`, 'external-name');
  }
  const call: ExternalCall = {
    name,
    protocol: asStr(raw.protocol) ?? 'http',
    url: asStr(raw.url) ?? '',
    method: asStr(raw.method) ?? 'GET',
    headers: toStringMap(raw.headers),
    continueOnError: asBool(raw.continueOnError, false),
    ...buildGate(raw, path, ctx),
    extra: toValueMap(raw, ['name', 'protocol', 'url', 'method', 'query', 'body', 'headers', 'timeout', 'expectedStatus', 'continueOnError', 'cacheFor', 'auth', 'when', 'or', 'anyOf']),
    source: ctx.at(path),
  };
  if (raw.url === undefined && raw.include === undefined) ctx.error(path, 'missing required field `url`', 'missing-field');
  const query = asStr(raw.query);
  if (query !== undefined) call.query = query;
  if (raw.body !== undefined) call.body = typeof raw.body === 'string' ? raw.body : JSON.stringify(raw.body);
  const timeout = asStr(raw.timeout);
  if (timeout !== undefined) call.timeout = timeout;
  if (typeof raw.expectedStatus === 'number') call.expectedStatus = raw.expectedStatus;
  else if (typeof raw.expectedStatus === 'string' && /^\d+$/.test(raw.expectedStatus.trim())) call.expectedStatus = Number(raw.expectedStatus);
  const cacheFor = asStr(raw.cacheFor);
  if (cacheFor !== undefined) call.cacheFor = cacheFor;
  if (isObj(raw.auth)) call.auth = toValueMap(raw.auth);
  return call;
}

