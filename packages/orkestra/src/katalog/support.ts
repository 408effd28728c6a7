// What the runtime does with each key the schema accepts: consumed (and by which code), refused
// ("not supported yet"), or descriptive. The schema accepts every era's keys so a typo is told
// apart from a real key; this table decides which of those real keys a Katalog may use today.
// A key the runtime would ignore is refused at load: a deny rule that lets a forbidden image
// through with Ready=True is worse than an error. When a feature lands, its line moves from
// `later()` to `use()` here — nothing else has to change.
//
// Keys are relative to a section (a schema reused in several places): `a.b` for nested keys,
// `a[]` for list items, `a.*` for map values, `*` for a section's catch-all keys. support.test.ts
// walks the whole schema and fails on any key missing here (and on entries the schema lacks).
import type { z } from 'zod';
import { CONDITION_SHORTHANDS } from '../conditions/operators.ts';
import {
  RESOURCE_KIND_ALIASES, RESOURCE_SCHEMAS, conditionSchema, crdEntrySchema, crdListEntrySchema, crossSchema,
  hookSchema, katalogSchema, mutationBlockSchema, mutationRuleSchema, normalizeSchema, operatorBoxSchema,
  reconcileBlockSchema, statusSchema, validationBlockSchema, validationRuleSchema,
} from './schema.ts';
import type { ResourceKey } from './schema.ts';

export type Support =
  | {
    status: 'supported';
    /** The runtime code that reads the key. */
    consumer: string;
    /** For free-form maps: the only sub-keys the consumer reads (others are refused). */
    keys?: readonly string[];
    /** For keys where only some values have a consumer (`default: true`). */
    accepts?: { test: (value: unknown) => boolean; refused: string };
  }
  | { status: 'refused'; note?: string }
  /** Descriptive by nature (metadata.description, …): no behaviour to implement or ignore. */
  | { status: 'informational' };

const use = (consumer: string, more: Omit<Extract<Support, { status: 'supported' }>, 'status' | 'consumer'> = {}): Support =>
  ({ status: 'supported', consumer, ...more });
const later = (note?: string): Support => (note === undefined ? { status: 'refused' } : { status: 'refused', note });
const about: Support = { status: 'informational' };

type Section = Record<string, Support>;
const each = (keys: readonly string[], s: Support): Section => Object.fromEntries(keys.map((k) => [k, s]));
/** `prefix` and `prefix.k` for each k. */
const nested = (prefix: string, s: Support, keys: readonly string[]): Section => ({ [prefix]: s, ...each(keys.map((k) => `${prefix}.${k}`), s) });

// ── conditions ────────────────────────────────────────────────────────────────────────────────
const EVAL = use('conditions/evaluate.ts');
const condition: Section = {
  ...each(['field', 'operator', 'value', 'negate', 'message', 'exists', 'notExists', 'cron', 'duration'], EVAL),
  ...each(CONDITION_SHORTHANDS.map(([k]) => k), EVAL),
  ...nested('time', EVAL, ['after', 'before']),
  ...nested('dayOfWeek', EVAL, ['in', 'notIn', 'weekday', 'weekend']),
  notify: later('notifications'),
  source: later('conditions on remote sources'),
};

// ── resources ─────────────────────────────────────────────────────────────────────────────────
const APPLY = use('engine/pipeline/resources.ts');
const META = use('engine/resources/meta.ts');
const common: Section = {
  ...each(['name', 'namespace', 'labels', 'annotations'], META),
  ...each(['reconcile', 'once', 'rotateAfter', 'when', 'or', 'anyOf'], APPLY),
  ...nested('forEach', use('engine/pipeline/for-each.ts'), ['field', 'as']),
  sleep: later(),
  forceConflict: later('per-resource apply conflicts (the runtime always forces)'),
};

const POD = use('engine/resources/pod.ts');
const keyRef = (p: string): Section => nested(p, POD, ['name', 'key', 'optional']);
const fieldRef = (p: string): Section => nested(p, POD, ['fieldPath', 'apiVersion']);
const envRef = (p: string): Section => ({ ...nested(p, POD, ['name', 'prefix', 'optional']), ...each(['name', 'prefix', 'optional'].map((k) => `${p}[].${k}`), POD) });
const probe = (p: string): Section => ({
  ...nested(p, POD, ['type', 'path', 'port', 'command', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold']),
  [`${p}.profile`]: later('probe profiles'),
});
const container: Section = {
  ...each([
    'image', 'imagePullPolicy', 'imagePullSecrets', 'command', 'args', 'port', 'protocol', 'nodeSelector', 'tolerations',
    'affinity', 'serviceAccountName', 'workingDirectory', 'workingDir', 'containerName', 'initContainers',
    'terminationGracePeriodSeconds', 'podAnnotations', 'securityContext', 'podSecurity', 'volumes', 'volumeMounts', 'restartPolicy',
  ], POD),
  'imagePullSecrets[].name': POD,
  env: POD, 'env[].name': POD, 'env[].value': POD, 'env[].valueFrom': POD,
  ...keyRef('env[].valueFrom.secretKeyRef'), ...keyRef('env[].valueFrom.configMapKeyRef'), ...fieldRef('env[].valueFrom.fieldRef'),
  'env.*.value': POD, ...keyRef('env.*.secretKeyRef'), ...keyRef('env.*.configMapKeyRef'), ...fieldRef('env.*.fieldRef'),
  envFrom: POD, 'envFrom[].prefix': POD,
  ...envRef('envFrom[].configMapRef'), ...envRef('envFrom[].secretRef'), ...envRef('envFrom.configMapRef'), ...envRef('envFrom.secretRef'),
  ports: POD, ...each(['ports[].name', 'ports[].containerPort', 'ports[].port', 'ports[].protocol'], POD),
  'ports[].targetPort': later('a container port has no targetPort'), 'ports[].nodePort': later('a container port has no nodePort'),
  ...nested('resources', POD, ['profile', 'requests', 'limits']),
  probes: POD, ...probe('probes.startup'), ...probe('probes.liveness'), ...probe('probes.readiness'),
};
const kind = (file: string, keys: readonly string[], more: Section = {}): Section => ({ ...common, ...each(keys, use(`engine/resources/${file}.ts`)), ...more });
const JOB_KEYS = ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'completions', 'parallelism'];
const REPLICATED_LATER: Section = {
  autoscale: later('the workload autoscaler'),
  selector: later('the pod selector is derived from the name and the CR'),
};
const COPY = use('engine/resources/secrets.ts, configMaps.ts (cross-namespace copy)');
const RBAC = use('engine/resources/roleBindings.ts');
const binding: Section = {
  role: RBAC, clusterRole: RBAC, serviceAccounts: RBAC, roleRef: RBAC, 'roleRef.kind': RBAC, 'roleRef.name': RBAC,
  'roleRef.apiGroup': later('always rbac.authorization.k8s.io'),
  subjects: RBAC, 'subjects[].kind': RBAC, 'subjects[].name': RBAC, 'subjects[].namespace': RBAC,
  'subjects[].apiGroup': later('derived from the subject kind'),
  serviceAccount: later('write serviceAccounts: [name]'),
};
const rules: Section = each(['apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs'].map((k) => `rules[].${k}`), use('engine/resources/roles.ts'));

const RESOURCES: Record<ResourceKey, Section> = {
  namespaces: kind('namespaces', []),
  secrets: kind('secrets', ['type', 'data', 'stringData', 'encodedData', 'immutable'], {
    ...each(['fromSecret', 'fromNamespace', 'toNamespaces'], COPY),
    ...nested('tls', use('engine/pipeline/tls.ts (certs/bundle.ts)'), ['commonName', 'dnsNames', 'validFor']),
  }),
  configMaps: kind('configMaps', ['data', 'binaryData', 'immutable'], each(['fromConfigMap', 'fromNamespace', 'toNamespaces'], COPY)),
  networkPolicies: kind('networkPolicies', ['profile', 'podSelector', 'policyTypes', 'ingress', 'egress']),
  resourceQuotas: kind('resourceQuotas', ['profile', 'hard', 'scopes']),
  limitRanges: kind('limitRanges', ['limits', 'default', 'defaultRequest', 'min', 'max'], { profile: later('LimitRange profiles') }),
  clusterRoles: kind('roles', ['rules'], { ...rules, aggregationRule: later() }),
  clusterRoleBindings: { ...common, ...binding },
  serviceAccounts: kind('serviceAccounts', ['automountServiceAccountToken', 'imagePullSecrets', 'imagePullSecrets[].name']),
  roles: kind('roles', ['rules'], rules),
  roleBindings: { ...common, ...binding },
  custom: kind('custom', ['clusterScoped', 'apiVersion', 'kind', 'spec', '*'], {
    ...nested('metadata', use('engine/resources/custom.ts'), ['name', 'namespace', 'labels', 'annotations']),
    'metadata.*': later('only metadata.name, namespace, labels and annotations are read'),
  }),
  replicaSets: { ...kind('replicaSets', ['replicas']), ...container, ...REPLICATED_LATER },
  deployments: {
    ...kind('deployments', ['replicas', 'minReadySeconds', 'revisionHistoryLimit']), ...container, ...REPLICATED_LATER,
    ...nested('rollingUpdate', POD, ['profile', 'maxSurge', 'maxUnavailable']),
    strategy: later('write rollingUpdate'),
  },
  services: {
    ...kind('services', ['type', 'headless', 'protocol', 'port', 'targetPort', 'nodePort', 'portName', 'loadBalancerClass', 'selector', 'externalName', 'sessionAffinity', 'externalTrafficPolicy']),
    ports: use('engine/resources/services.ts'), ...each(['ports[].name', 'ports[].port', 'ports[].targetPort', 'ports[].nodePort', 'ports[].protocol'], use('engine/resources/services.ts')),
    'ports[].containerPort': later('a Service port is `port`'),
    clusterIP: later('write headless: true for clusterIP None'),
    loadBalancerIP: later(),
  },
  jobs: { ...kind('jobs', JOB_KEYS), ...container },
  cronJobs: {
    ...kind('cronJobs', ['schedule', 'timeZone', 'suspend', 'concurrencyPolicy', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'startingDeadlineSeconds']),
    ...each(JOB_KEYS, use('engine/resources/jobs.ts')), ...container,
  },
  statefulSets: { ...kind('statefulSets', ['replicas', 'serviceName', 'volumeClaimTemplates', 'podManagementPolicy']), ...container, ...REPLICATED_LATER },
  persistentVolumes: kind('persistentVolumes', [
    'storage', 'capacity', 'accessModes', 'storageClassName', 'persistentVolumeReclaimPolicy', 'reclaimPolicy', 'nodeAffinity', 'volumeMode', 'hostPath', 'nfs', 'csi',
  ]),
  persistentVolumeClaims: kind('persistentVolumeClaims', ['storage', 'size', 'resources', 'accessModes', 'storageClassName', 'volumeMode', 'volumeName', 'selector']),
  ingresses: kind('ingresses', ['ingressClassName', 'host', 'path', 'pathType', 'serviceName', 'servicePort', 'tlsSecretName', 'defaultBackend', 'className', 'tls', 'rules']),
  horizontalPodAutoscalers: kind('horizontalPodAutoscalers', [
    'target', 'scaleTargetRef', 'minReplicas', 'maxReplicas', 'targetCPUUtilization', 'targetMemoryUtilization', 'targetKind', 'min', 'max', 'metrics', 'behavior',
  ], {
    targetCPUUtilizationPercentage: later('write targetCPUUtilization'),
    targetMemoryUtilizationPercentage: later('write targetMemoryUtilization'),
    profile: later('HPA profiles'),
  }),
  podDisruptionBudgets: kind('podDisruptionBudgets', ['minAvailable', 'maxUnavailable', 'selector', 'target'], { profile: later('PDB profiles') }),
  pods: { ...kind('pods', []), ...container },
};

// ── lifecycle blocks ──────────────────────────────────────────────────────────────────────────
const HOOK_LATER: Section = {
  external: later('external calls (.external)'),
  ordered: later('ordered deletion'), groups: later('ordered deletion groups'), timeout: later('ordered deletion'),
  name: later(), git: later('git hooks'), docker: later('docker hooks'),
  '*': later('provider blocks (providers are not implemented)'),
};
const kindKeys = [...Object.keys(RESOURCE_SCHEMAS), ...Object.keys(RESOURCE_KIND_ALIASES)];
const hook: Section = {
  ...each(kindKeys, APPLY),
  ...each(['when', 'or', 'anyOf'], use('engine/pipeline/resources.ts (block gate)')),
  ...HOOK_LATER,
};
const DELETION = use('engine/pipeline/deletion.ts');
const onDelete: Section = {
  ...each(kindKeys, later('onDelete runs Jobs only; the other children are deleted with the CR')),
  jobs: DELETION,
  ...each(['when', 'or', 'anyOf'], DELETION),
  ...HOOK_LATER,
};

// ── operatorBox and its era spellings ─────────────────────────────────────────────────────────
const declarativeOnly = use('engine (the declarative reconciler is the only one)', {
  accepts: { test: (v) => v === true, refused: 'typed reconcilers (`default: false`)' },
});
const boxConfig: Section = {
  default: declarativeOnly,
  workers: use('engine/workers.ts'),
  resync: use('engine/operator-box.ts (informer resync)'),
  queue: use('engine/operator-box.ts', { keys: ['maxDepth', 'failureThreshold'] }),
  onCreate: APPLY,
  onReconcile: APPLY,
  onDelete: DELETION,
  status: use('engine/pipeline/status.ts'),
};
const reconcile: Section = {
  ...boxConfig,
  ...each(['requeue', 'profile', 'remote'], later()),
  include: use('katalog/include.ts (expanded at load)'),
  hooks: later('Go hooks (typed mode)'), constructor: later('Go constructors (typed mode)'), imports: later('motifs / imports'),
};
const CROSS = use('engine/pipeline/cross.ts');
const operatorBox: Section = {
  ...boxConfig,
  reconciler: use('katalog/build.ts (era spelling of the operatorBox keys)'),
  reconcile: use('katalog/build.ts (era spelling of the operatorBox keys)'),
  preReconcile: later('gates before a reconcile'),
  finalizers: later('the runtime sets its own finalizer, orkestra.orkspace.io/finalizer'),
  emit: use('katalog/build.ts'), 'emit.status': use('engine/pipeline/status.ts'), 'emit.events': later('declared events'),
  providers: later(),
  cross: CROSS,
  observe: use('katalog/build.ts'), 'observe.cross': CROSS, 'observe.watch': later(), 'observe.events': later(),
  watch: later('observe.watch'),
  autoscale: later('the operator autoscaler'),
  runtime: later('the operator autoscaler'),
  rollback: later(), rollBackOnError: later('rollback'),
  ...each(['when', 'or', 'anyOf'], later('an operatorBox-level gate')),
};
const status: Section = {
  fields: use('engine/pipeline/status.ts'),
  include: use('katalog/include.ts (expanded at load)'),
  ...each(['fields[].path', 'fields[].value', 'fields[].type', 'fields[].clearOnFalse', 'fields[].when', 'fields[].or', 'fields[].anyOf'], use('engine/pipeline/status.ts')),
  conditions: use('engine/pipeline/status.ts (Ready condition on/off)', {
    accepts: { test: (v) => typeof v === 'boolean', refused: 'a `conditions:` map (only true/false)' },
  }),
};
const cross: Section = {
  crd: CROSS, as: CROSS, selector: CROSS, 'selector.name': CROSS, 'selector.namespace': CROSS, 'selector.matchLabels': CROSS,
  labelSelector: later('cross by label selector'), labels: later('cross by label selector'),
  strategy: later('cross strategy'), source: later('cross over HTTP (source:)'),
};

// ── validation, mutation, normalize (rules/, enforced at reconcile) ─────────────────────────────
const RULES = use('rules/ (engine/pipeline/normalize.ts, mutate.ts, validate.ts)');
const VALIDATE = use('rules/validate.ts');
const MUTATE = use('rules/mutate.ts');
const NO_INCLUDE = later('`include:` files (the loader does not read them yet): write the rules inline');
const NO_EXTERNAL = later('external calls (.external)');
const validation: Section = { rules: VALIDATE, include: NO_INCLUDE, external: NO_EXTERNAL };
const validationRule: Section = {
  ...each(['field', 'value', 'negate', 'message', 'action', 'valueType', 'link', 'when', 'or', 'anyOf', 'fires', 'fires.reconcile'], VALIDATE),
  ...each(CONDITION_SHORTHANDS.map(([k]) => k), VALIDATE),
  // Without a lookup of the other CRs `unique` could only pass: refused rather than always allowed.
  operator: use('rules/validate.ts', { accepts: { test: (v) => v !== 'unique', refused: 'the `unique` operator (it needs a lookup of the other CRs)' } }),
  ...each(['time', 'dayOfWeek', 'cron', 'duration'], later('time-based validation rules')),
  notify: later('notifications'),
  source: later('conditions on remote sources'),
};
const mutation: Section = { rules: MUTATE, mutateFirst: use('engine/reconciler.ts (mutation before or after validation)'), include: NO_INCLUDE, external: NO_EXTERNAL };
const mutationRule: Section = each(['field', 'default', 'override', 'valueType', 'when', 'or', 'anyOf', 'fires', 'fires.reconcile'], MUTATE);
const normalize: Section = { spec: use('rules/normalize.ts') };

// ── CRD entry and top level ───────────────────────────────────────────────────────────────────
const crd: Section = {
  name: use('engine/runtime.ts (the OperatorBox name)'),
  ...nested('apiTypes', use('engine/operator-box.ts (informer), engine/crds.ts'), ['group', 'version', 'kind', 'plural', 'scope', 'namespaced', 'versions']),
  ...each(['apiTypes.apiPath', 'apiTypes.object', 'apiTypes.objectList', 'apiTypes.alias', 'apiTypes.location'], later('typed mode')),
  crdFile: use('katalog/crdfile.ts (apiTypes), engine/crds.ts (--install-crds)'),
  crFiles: later('dev mode'), setup: later('dev mode'),
  enabled: use('engine/runtime.ts'),
  description: about,
  mode: later('typed mode'),
  namespaced: use('katalog/build.ts (apiTypes.scope)'),
  namespace: use('engine/operator-box.ts (informer namespace)'),
  dependsOn: later('dependency ordering'), enrich: later(), enrichAll: later('enrichment'),
  labels: later(), labelSelector: later('informer selectors'), fieldSelector: later('informer selectors'),
  endpoints: later(), restrictedNamespaces: later('namespace guards'), allowedNamespaces: later('namespace guards'),
  // Enforced at reconcile (engine/pipeline/normalize.ts, mutate.ts, validate.ts); the admission
  // webhooks that will run the same rules/ module are not built yet.
  validation: RULES, mutation: RULES, normalize: RULES,
  conversion: later('conversion webhooks'),
  webhooks: later('admission webhooks'),
  admission: use('katalog/build.ts (Era C spelling of validation, mutation, normalize)'),
  'admission.validation': RULES, 'admission.mutation': RULES, 'admission.normalize': RULES,
  'admission.conversion': later('conversion webhooks'), 'admission.webhooks': later('admission webhooks'),
  serve: later('serve (Control Center forms)'),
  deletionProtection: later('deletion protection'),
  imports: later('motifs / imports'),
  forceConflict: later('the runtime always forces apply conflicts'),
  crossAccess: later(), ignoreStatusPatch: later(), ignoreObservedGeneration: later(), removeFinalizers: later(), critical: later(),
  operatorBox: use('engine/operator-box.ts'),
  reconciler: use('katalog/build.ts (Era A spelling of the operatorBox keys)'),
  workers: use('engine/workers.ts'),
  resync: use('engine/operator-box.ts (informer resync)'),
};
const LOADER = use('katalog/loader.ts');
const katalog: Section = {
  apiVersion: LOADER, kind: LOADER, metadata: LOADER,
  'metadata.name': use('engine/pipeline/data.ts (.ork.katalog), api/server.ts'),
  ...each(['description', 'version', 'author', 'license', 'tags', 'createdBy', 'labels', 'annotations'].map((k) => `metadata.${k}`), about),
  'metadata.namespace': later('Katalog tenants'), 'metadata.clusterName': later(), 'metadata.projects': later(),
  spec: LOADER,
  'spec.crds': use('engine/runtime.ts (one OperatorBox per CRD)'),
  'spec.finalizers': later('the runtime sets its own finalizer, orkestra.orkspace.io/finalizer'),
  'spec.imports': later('motifs / imports'),
  providers: later(),
  security: later('deletion and namespace protection, webhooks, certificates'),
  ...each(['lifecycle', 'policy', 'crossAccess', 'gateway', 'publish', 'notification', 'notes', 'profiles'], later()),
};

export const SUPPORT: Readonly<Record<string, Section>> = {
  katalog, crd, operatorBox, reconcile, hook, onDelete, status, cross, condition,
  validation, validationRule, mutation, mutationRule, normalize,
  ...Object.fromEntries(Object.entries(RESOURCES).map(([k, s]) => [`resource:${k}`, s])),
};

const SECTIONS = new Map<z.ZodType, string>([
  [katalogSchema, 'katalog'], [crdEntrySchema, 'crd'], [crdListEntrySchema, 'crd'], [operatorBoxSchema, 'operatorBox'],
  [reconcileBlockSchema, 'reconcile'], [hookSchema, 'hook'], [statusSchema, 'status'], [crossSchema, 'cross'],
  [conditionSchema, 'condition'],
  [validationBlockSchema, 'validation'], [validationRuleSchema, 'validationRule'],
  [mutationBlockSchema, 'mutation'], [mutationRuleSchema, 'mutationRule'], [normalizeSchema, 'normalize'],
  ...Object.entries(RESOURCE_SCHEMAS).map(([k, s]) => [s, `resource:${k}`] as [z.ZodType, string]),
]);

/** The section an object schema starts (undefined: its keys belong to the enclosing section). */
export function sectionOf(schema: z.ZodType, key: string | number | undefined): string | undefined {
  const s = SECTIONS.get(schema);
  return s === 'hook' && key === 'onDelete' ? 'onDelete' : s;
}
