// Container and pod fields shared by deployments, statefulSets, replicaSets, pods, jobs and
// cronJobs: image, ports, env (map and list forms), envFrom, resources, probes, security.

import { isObject, toJson, type Fields } from './coerce.ts';
import type { ObjectMeta } from './meta.ts';
import type { Json } from './types.ts';

const RESOURCE_PROFILES: Readonly<Record<string, { requests: Record<string, string>; limits: Record<string, string> }>> = {
  small: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
  medium: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  large: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  xlarge: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
};

const SECURITY_PROFILES: Readonly<Record<string, Json>> = {
  baseline: { allowPrivilegeEscalation: false },
  restricted: {
    allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  hardened: {
    allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true,
    runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' },
  },
};

const POD_SECURITY_PROFILES: Readonly<Record<string, Json>> = {
  baseline: {},
  restricted: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  hardened: { fsGroup: 65532, runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
};

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

function keyRef(f: Fields, v: unknown, path: string): Json | undefined {
  const o = f.objectAt(v, path);
  if (!o) return f.error(path, 'expected {name, key}');
  const name = f.stringAt(o.name, `${path}.name`);
  const key = f.stringAt(o.key, `${path}.key`);
  if (name === undefined) f.error(`${path}.name`, 'required');
  if (key === undefined) f.error(`${path}.key`, 'required');
  const optional = f.boolAt(o.optional, `${path}.optional`);
  return toJson({ key, name, optional });
}

/** One env entry's source: a literal, or a reference to a Secret/ConfigMap key or a field. */
function envSource(f: Fields, name: string, v: unknown, path: string): Json | undefined {
  if (!isObject(v)) {
    const value = v === null || v === undefined ? '' : f.stringAt(v, path);
    return value === undefined ? undefined : { name, value };
  }
  const from = isObject(v.valueFrom) ? v.valueFrom : v;
  const fromPath = isObject(v.valueFrom) ? `${path}.valueFrom` : path;
  if (from.secretKeyRef !== undefined) {
    return { name, valueFrom: { secretKeyRef: keyRef(f, from.secretKeyRef, `${fromPath}.secretKeyRef`) ?? null } };
  }
  if (from.configMapKeyRef !== undefined) {
    return { name, valueFrom: { configMapKeyRef: keyRef(f, from.configMapKeyRef, `${fromPath}.configMapKeyRef`) ?? null } };
  }
  if (from.fieldRef !== undefined || from.resourceFieldRef !== undefined) {
    return { name, valueFrom: toJson(from) };
  }
  if (Object.hasOwn(v, 'value')) {
    const value = v.value === null || v.value === undefined ? '' : f.stringAt(v.value, `${path}.value`);
    return value === undefined ? undefined : { name, value };
  }
  return f.error(path, 'expected value, secretKeyRef, configMapKeyRef or fieldRef');
}

/** `env` in the map form (`NAME: {secretKeyRef: …}` / `NAME: literal`) or the Kubernetes list form. */
export function buildEnv(f: Fields): Json[] | undefined {
  const raw = f.raw('env');
  if (raw === undefined || raw === null) return undefined;
  const out: Json[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const path = `env[${i}]`;
      if (!isObject(item)) return f.error(path, 'expected {name, value | valueFrom}');
      const name = f.stringAt(item.name, `${path}.name`);
      if (name === undefined) return f.error(`${path}.name`, 'required');
      const { name: _n, ...rest } = item;
      const entry = envSource(f, name, Object.keys(rest).length === 0 ? { value: '' } : rest, `env.${name}`);
      if (entry !== undefined) out.push(entry);
      return undefined;
    });
  } else if (isObject(raw)) {
    for (const name of Object.keys(raw)) {
      const entry = envSource(f, name, raw[name], `env.${name}`);
      if (entry !== undefined) out.push(entry);
    }
  } else {
    return f.error('env', `expected a map or a list, got ${f.got(raw)}`);
  }
  return out;
}

function envFromRef(f: Fields, kind: 'configMapRef' | 'secretRef', v: unknown, path: string, prefix?: unknown): Json | undefined {
  let name: string | undefined;
  let optional: boolean | undefined;
  let pre = prefix;
  if (isObject(v)) {
    name = f.stringAt(v.name, `${path}.name`);
    optional = f.boolAt(v.optional, `${path}.optional`);
    pre = v.prefix ?? prefix;
  } else {
    name = f.stringAt(v, path);
  }
  if (name === undefined) return f.error(path, 'a ConfigMap/Secret name is required');
  return toJson({ [kind]: { name, optional }, prefix: f.stringAt(pre, `${path}.prefix`) });
}

/**
 * `envFrom` as the seed writes it (`- configMapRef: NAME`), the Kubernetes form
 * (`- configMapRef: {name}`, `prefix`), or the grouped form (`{configMapRef: [...], secretRef: [...]}`).
 */
export function buildEnvFrom(f: Fields): Json[] | undefined {
  const raw = f.raw('envFrom');
  if (raw === undefined || raw === null) return undefined;
  const out: Json[] = [];
  const push = (j: Json | undefined) => { if (j !== undefined) out.push(j); };
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const path = `envFrom[${i}]`;
      if (!isObject(item)) return push(f.error(path, 'expected configMapRef or secretRef'));
      if (item.configMapRef !== undefined) push(envFromRef(f, 'configMapRef', item.configMapRef, `${path}.configMapRef`, item.prefix));
      else if (item.secretRef !== undefined) push(envFromRef(f, 'secretRef', item.secretRef, `${path}.secretRef`, item.prefix));
      else push(f.error(path, 'expected configMapRef or secretRef'));
      return undefined;
    });
  } else if (isObject(raw)) {
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const refs = raw[kind];
      if (refs === undefined || refs === null) continue;
      const list = Array.isArray(refs) ? refs : [refs];
      list.forEach((r, i) => push(envFromRef(f, kind, r, `envFrom.${kind}[${i}]`)));
    }
  } else {
    return f.error('envFrom', `expected a list, got ${f.got(raw)}`);
  }
  return out;
}

function buildResources(f: Fields): Json | undefined {
  const r = f.object('resources');
  if (!r) return undefined;
  if (r.profile !== undefined) {
    const profile = f.stringAt(r.profile, 'resources.profile');
    if (profile === undefined) return undefined;
    const p = RESOURCE_PROFILES[profile];
    if (!p) return f.error('resources.profile', `unknown profile ${JSON.stringify(profile)} (${Object.keys(RESOURCE_PROFILES).join(', ')})`);
    return toJson(p);
  }
  return toJson({
    limits: f.stringMapAt(r.limits, 'resources.limits'),
    requests: f.stringMapAt(r.requests, 'resources.requests'),
  });
}

const PROBE_INTS = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'];

/** Probe shorthand `{type: http|tcp|exec, path, port}` or a Kubernetes probe, passed through. */
function buildProbe(f: Fields, v: unknown, path: string, defaultPort: number | undefined): Json | undefined {
  const p = f.objectAt(v, path);
  if (!p) return undefined;
  const timing: Record<string, unknown> = {};
  for (const k of PROBE_INTS) timing[k] = f.intAt(p[k], `${path}.${k}`, 0);
  if (p.httpGet !== undefined || p.tcpSocket !== undefined || p.exec !== undefined || p.grpc !== undefined) {
    return toJson({ ...p, ...timing });
  }
  const type = (f.stringAt(p.type, `${path}.type`) ?? 'http').toLowerCase();
  const port = f.intOrStringAt(p.port, `${path}.port`) ?? defaultPort ?? 80;
  if (type === 'http' || type === 'https') {
    const scheme = type === 'https' ? 'HTTPS' : undefined;
    return toJson({ httpGet: { path: f.stringAt(p.path, `${path}.path`) ?? '/', port, scheme }, ...timing });
  }
  if (type === 'tcp') return toJson({ tcpSocket: { port }, ...timing });
  if (type === 'exec') return toJson({ exec: { command: f.stringListAt(p.command, `${path}.command`) ?? [] }, ...timing });
  return f.error(`${path}.type`, `expected http, https, tcp or exec, got ${JSON.stringify(type)}`);
}

function buildPorts(f: Fields): Json[] | undefined {
  const protocol = f.oneOf('protocol', PROTOCOLS);
  const single = f.port('port');
  const list = f.list('ports');
  const out: Json[] = [];
  if (single !== undefined) out.push(toJson({ containerPort: single, protocol }));
  list?.forEach((p, i) => {
    const path = `ports[${i}]`;
    if (isObject(p)) {
      const containerPort = f.intAt(p.containerPort ?? p.port, `${path}.containerPort`, 1, 65535);
      if (containerPort === undefined) { f.error(`${path}.containerPort`, 'required'); return; }
      const proto = p.protocol === undefined ? protocol : f.stringAt(p.protocol, `${path}.protocol`)?.toUpperCase();
      out.push(toJson({ containerPort, name: f.stringAt(p.name, `${path}.name`), protocol: proto }));
    } else {
      const containerPort = f.intAt(p, path, 1, 65535);
      if (containerPort !== undefined) out.push(toJson({ containerPort, protocol }));
    }
  });
  return out.length > 0 ? out : undefined;
}

function profiled(f: Fields, key: string, profiles: Readonly<Record<string, Json>>): Json | undefined {
  const o = f.object(key);
  if (!o) return undefined;
  if (o.profile === undefined) return toJson(o);
  const name = f.stringAt(o.profile, `${key}.profile`) ?? '';
  const p = profiles[name];
  if (p === undefined) return f.error(`${key}.profile`, `unknown profile ${JSON.stringify(name)} (${Object.keys(profiles).join(', ')})`);
  const { profile: _p, ...overrides } = o;
  return toJson({ ...(p as Record<string, unknown>), ...overrides });
}

/** The primary container, named after the workload unless `containerName` is given. */
export function buildContainer(f: Fields, defaultName: string): Record<string, unknown> {
  const image = f.requiredString('image');
  const ports = buildPorts(f);
  const firstPort = ports && isObject(ports[0]) ? (ports[0].containerPort as number) : undefined;
  const probes = f.object('probes') ?? {};
  const probe = (k: string) => buildProbe(f, probes[k] ?? f.raw(`${k}Probe`), probes[k] !== undefined ? `probes.${k}` : `${k}Probe`, firstPort);
  return {
    name: f.string('containerName') ?? defaultName,
    image,
    imagePullPolicy: f.oneOf('imagePullPolicy', ['Always', 'IfNotPresent', 'Never'] as const),
    command: f.stringList('command'),
    args: f.stringList('args'),
    workingDir: f.string('workingDirectory') ?? f.string('workingDir'),
    ports,
    env: buildEnv(f),
    envFrom: buildEnvFrom(f),
    resources: buildResources(f),
    livenessProbe: probe('liveness'),
    readinessProbe: probe('readiness'),
    startupProbe: probe('startup'),
    securityContext: profiled(f, 'securityContext', SECURITY_PROFILES),
    volumeMounts: f.json('volumeMounts'),
  };
}

function imagePullSecrets(f: Fields): Json[] | undefined {
  const raw = f.raw('imagePullSecrets');
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const out: Json[] = [];
  list.forEach((s, i) => {
    const name = isObject(s) ? f.stringAt(s.name, `imagePullSecrets[${i}].name`) : f.stringAt(s, `imagePullSecrets[${i}]`);
    if (name !== undefined) out.push({ name });
  });
  return out;
}

export function buildPodSpec(
  f: Fields, containerName: string, defaults: { restartPolicy?: string } = {},
): Record<string, unknown> {
  return {
    containers: [buildContainer(f, containerName)],
    initContainers: f.json('initContainers'),
    imagePullSecrets: imagePullSecrets(f),
    nodeSelector: f.stringMap('nodeSelector'),
    serviceAccountName: f.string('serviceAccountName'),
    restartPolicy: f.oneOf('restartPolicy', ['Always', 'OnFailure', 'Never'] as const) ?? defaults.restartPolicy,
    securityContext: profiled(f, 'podSecurity', POD_SECURITY_PROFILES),
    volumes: f.json('volumes'),
    tolerations: f.json('tolerations'),
    affinity: f.json('affinity'),
    terminationGracePeriodSeconds: f.int('terminationGracePeriodSeconds', 0),
  };
}

/** Pod template for controllers: user labels + selector labels + standard labels on the pods. */
export function buildPodTemplate(
  f: Fields, meta: ObjectMeta, selector: Record<string, string>, defaults: { restartPolicy?: string } = {},
): Record<string, unknown> {
  const labels = { ...meta.labels, ...selector };
  const sorted = Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]]));
  const podAnnotations = f.stringMap('podAnnotations');
  return {
    metadata: { labels: sorted, annotations: podAnnotations },
    spec: buildPodSpec(f, meta.name, defaults),
  };
}

/** `rollingUpdate: {profile: safe|fast|blue-green}` or `{maxSurge, maxUnavailable}`. */
export function buildRollingUpdate(f: Fields): Json | undefined {
  const o = f.object('rollingUpdate');
  if (!o) return undefined;
  const profiles: Record<string, Json> = {
    safe: { maxSurge: 1, maxUnavailable: 0 },
    fast: { maxSurge: '50%', maxUnavailable: '50%' },
    'blue-green': { maxSurge: '100%', maxUnavailable: 0 },
  };
  if (o.profile !== undefined) {
    const name = f.stringAt(o.profile, 'rollingUpdate.profile') ?? '';
    const p = profiles[name];
    if (p === undefined) return f.error('rollingUpdate.profile', `unknown profile ${JSON.stringify(name)} (safe, fast, blue-green)`);
    return { type: 'RollingUpdate', rollingUpdate: p };
  }
  return toJson({
    type: 'RollingUpdate',
    rollingUpdate: {
      maxSurge: f.intOrStringAt(o.maxSurge, 'rollingUpdate.maxSurge'),
      maxUnavailable: f.intOrStringAt(o.maxUnavailable, 'rollingUpdate.maxUnavailable'),
    },
  });
}
