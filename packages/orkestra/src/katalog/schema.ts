// The Katalog's structure as a zod schema: the single source for load-time checks and for the
// JSON Schema editors use (scripts/gen-schema.ts). It describes what may be *written* — every
// schema era the loader accepts — not the normalized model (model.ts); build.ts maps one onto
// the other. Objects are strict so unknown keys are reported with a "did you mean".
import { z } from 'zod';
import { CONDITION_KEYS, CONDITION_OPERATORS } from '../conditions/operators.ts';
import { RESOURCE_KIND_ALIASES as KIND_ALIASES } from './kinds.ts';

export const KATALOG_API_VERSIONS = ['orkestra.orkspace.io/v1', 'orkestra.konductor.io/v1Alpha'] as const;

// ── scalars ──────────────────────────────────────────────────────────────────────────────────
const TEMPLATE_RE = /\{\{/;
const INT_MSG = 'expected an integer or a template string ("{{ … }}")';
const intLike = z.union([z.number().int({ error: INT_MSG }), z.string().regex(/^\s*-?\d+\s*$|\{\{/, { error: INT_MSG })], {
  error: INT_MSG,
});
const BOOL_MSG = 'expected true, false or a template string ("{{ … }}")';
const boolLike = z.union([z.boolean(), z.string().regex(TEMPLATE_RE, { error: BOOL_MSG })], { error: BOOL_MSG });
/** One of `values`, or a template. */
const enumLike = (values: readonly string[]) => {
  const msg = `expected ${values.join(', ')} or a template string`;
  return z.string({ error: msg }).regex(new RegExp(`^(${values.join('|')})$|\\{\\{`), { error: msg });
};
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' });
const str = z.string({ error: 'expected a string' });
const bool = z.boolean({ error: 'expected true or false' });
/** Durations as written (`30s`, `5m`, `30d`, `1y`); templates allowed. */
const DURATION_MSG = 'expected a duration such as `30s`, `5m`, `2h`, `30d`';
const duration = z.union([
  z.string().regex(/^\s*(\d+(\.\d+)?(ms|s|m|h|d|w|mo|y))+\s*$|\{\{|^\s*0\s*$/, { error: DURATION_MSG }),
  z.literal(0),
], { error: DURATION_MSG });
const strMap = z.record(z.string(), z.union([scalar, z.null()], { error: 'expected a string value' }));
const anyMap = z.record(z.string(), z.unknown());
const strList = z.array(str);
/** `profile: name` XOR explicit fields, values free-form (resources, probes, securityContext, ...). */
const looseBlock = anyMap;

// ── conditions (`when:` / `or:`) ─────────────────────────────────────────────────────────────
const conditionShape: Record<string, z.ZodType> = {};
for (const k of CONDITION_KEYS) conditionShape[k] = z.union([scalar, z.array(scalar)], { error: 'expected a value' });
conditionShape.field = str;
conditionShape.operator = z.enum(CONDITION_OPERATORS);
conditionShape.negate = bool;
conditionShape.exists = boolLike;
conditionShape.notExists = boolLike;
conditionShape.message = str;
conditionShape.time = z.strictObject({ after: z.string().optional(), before: z.string().optional() });
conditionShape.dayOfWeek = z.strictObject({
  in: strList.optional(), notIn: strList.optional(), weekday: bool.optional(), weekend: bool.optional(),
});
conditionShape.cron = str;
conditionShape.duration = duration;
conditionShape.notify = z.strictObject({ teams: strList.optional(), message: str.optional() });
conditionShape.source = looseBlock;
const optionalShape = (shape: Record<string, z.ZodType>): Record<string, z.ZodType> =>
  Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()]));
export const conditionSchema = z.strictObject(optionalShape(conditionShape));
const conditions = z.array(conditionSchema, { error: 'expected a list of conditions (`- field: …`)' });
/** Gate keys shared by most declarations. `anyOf` is the pre-0.7.16 name of `or`. */
const gate = { when: conditions.optional(), or: conditions.optional(), anyOf: conditions.optional() };

// ── external calls ───────────────────────────────────────────────────────────────────────────
export const externalCallSchema = z.strictObject({
  name: str,
  protocol: z.enum(['http', 'https', 'prometheus', 'redis', 'postgres', 'mongo', 'kafka', 'grpc', 'nats', 'mqtt']).optional(),
  url: str.optional(),
  query: str.optional(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).optional(),
  body: z.union([z.string(), anyMap]).optional(),
  headers: strMap.optional(),
  timeout: duration.optional(),
  expectedStatus: intLike.optional(),
  continueOnError: bool.optional(),
  cacheFor: duration.optional(),
  auth: looseBlock.optional(),
  token: str.optional(),
  poolSize: intLike.optional(),
  sleep: duration.optional(),
  fires: z.strictObject({ reconcile: bool.optional() }).optional(),
  retryBackoff: z.union([duration, looseBlock]).optional(),
  include: str.optional(),
  ...gate,
});
const externalCalls = z.array(externalCallSchema);

// ── resource declarations (reference §10) ────────────────────────────────────────────────────
const common = {
  name: str.optional(),
  namespace: str.optional(),
  labels: strMap.optional(),
  annotations: strMap.optional(),
  reconcile: bool.optional(),
  once: bool.optional(),
  rotateAfter: duration.optional(),
  forEach: z.strictObject({ field: str, as: str.optional() }).optional(),
  sleep: duration.optional(),
  forceConflict: bool.optional(),
  ...gate,
};
const keyRef = z.strictObject({ name: str, key: str, optional: boolLike.optional() });
const envValue = z.union([
  scalar,
  z.strictObject({
    value: scalar.optional(),
    secretKeyRef: keyRef.optional(),
    configMapKeyRef: keyRef.optional(),
    fieldRef: z.strictObject({ fieldPath: str, apiVersion: str.optional() }).optional(),
  }),
], { error: 'expected a value or `{value | secretKeyRef | configMapKeyRef}`' });
const envListItem = z.strictObject({
  name: str,
  value: scalar.optional(),
  valueFrom: z.strictObject({
    secretKeyRef: keyRef.optional(),
    configMapKeyRef: keyRef.optional(),
    fieldRef: z.strictObject({ fieldPath: str, apiVersion: str.optional() }).optional(),
  }).optional(),
});
/** Map form (`NAME: {value: …}`, Era A and the seed README) or list form (`- name: NAME`). */
const env = z.union([z.array(envListItem), z.record(z.string(), envValue)], {
  error: 'expected a map `NAME: {value|secretKeyRef|configMapKeyRef}` or a list of `{name, value}`',
});
const envRef = z.union([str, z.strictObject({ name: str, prefix: str.optional(), optional: bool.optional() })]);
const envRefs = z.union([envRef, z.array(envRef)]);
/** `- configMapRef: name` (seed) or the v0.7.13 object form `{configMapRef: [{name, prefix}]}`. */
const envFrom = z.union([
  z.array(z.strictObject({ configMapRef: envRefs.optional(), secretRef: envRefs.optional(), prefix: str.optional() })),
  z.strictObject({ configMapRef: envRefs.optional(), secretRef: envRefs.optional() }),
], { error: 'expected a list of `configMapRef`/`secretRef` entries' });
const probe = z.strictObject({
  type: z.enum(['http', 'tcp', 'exec', 'grpc']).optional(),
  path: str.optional(),
  port: intLike.optional(),
  command: strList.optional(),
  profile: str.optional(),
  initialDelaySeconds: intLike.optional(),
  periodSeconds: intLike.optional(),
  timeoutSeconds: intLike.optional(),
  failureThreshold: intLike.optional(),
  successThreshold: intLike.optional(),
});
const port = z.strictObject({
  name: str.optional(),
  containerPort: intLike.optional(),
  port: intLike.optional(),
  targetPort: z.union([intLike, str]).optional(),
  nodePort: intLike.optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});
const container = {
  image: str.optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  imagePullSecrets: z.array(z.union([str, z.strictObject({ name: str })])).optional(),
  command: z.union([strList, str]).optional(),
  args: z.union([z.array(scalar), str]).optional(),
  env: env.optional(),
  envFrom: envFrom.optional(),
  port: intLike.optional(),
  ports: z.array(port).optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  resources: z.strictObject({ profile: str.optional(), requests: strMap.optional(), limits: strMap.optional() }).optional(),
  probes: z.strictObject({ startup: probe.optional(), liveness: probe.optional(), readiness: probe.optional() }).optional(),
  nodeSelector: strMap.optional(),
  tolerations: z.array(anyMap).optional(),
  affinity: anyMap.optional(),
  serviceAccountName: str.optional(),
  workingDirectory: str.optional(),
  workingDir: str.optional(),
  containerName: str.optional(),
  initContainers: z.array(anyMap).optional(),
  terminationGracePeriodSeconds: intLike.optional(),
  podAnnotations: strMap.optional(),
  securityContext: looseBlock.optional(),
  podSecurity: looseBlock.optional(),
  volumes: z.array(anyMap).optional(),
  volumeMounts: z.array(anyMap).optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
};
const workloadAutoscale = z.strictObject({
  min: intLike.optional(),
  max: intLike.optional(),
  cooldown: duration.optional(),
  scaleUp: looseBlock.optional(),
  scaleDown: looseBlock.optional(),
});
const replicated = { replicas: intLike.optional(), autoscale: workloadAutoscale.optional(), selector: strMap.optional() };
const jobFields = {
  backoffLimit: intLike.optional(),
  activeDeadlineSeconds: intLike.optional(),
  ttlSecondsAfterFinished: intLike.optional(),
  completions: intLike.optional(),
  parallelism: intLike.optional(),
};
const policyRule = z.strictObject({
  // Lists may be written as comma strings (`verbs: "get,list,watch"`).
  apiGroups: z.union([strList, str]).optional(), resources: z.union([strList, str]).optional(), verbs: z.union([strList, str]),
  resourceNames: z.union([strList, str]).optional(), nonResourceURLs: z.union([strList, str]).optional(),
});
const subject = z.strictObject({ kind: str, name: str, namespace: str.optional(), apiGroup: str.optional() });
const binding = {
  roleRef: z.union([str, z.strictObject({ kind: str.optional(), name: str, apiGroup: str.optional() })]).optional(),
  role: str.optional(),
  subjects: z.array(subject).optional(),
  serviceAccount: str.optional(),
  serviceAccounts: strList.optional(),
  clusterRole: str.optional(),
};
const crossNamespaceCopy = { toNamespaces: z.union([strList, str]).optional(), fromNamespace: str.optional() };

export const RESOURCE_SCHEMAS = {
  namespaces: z.strictObject({ ...common }),
  secrets: z.strictObject({
    ...common, ...crossNamespaceCopy,
    type: str.optional(), data: strMap.optional(), stringData: strMap.optional(), encodedData: strMap.optional(), fromSecret: str.optional(),
    immutable: boolLike.optional(),
    tls: z.strictObject({ commonName: str.optional(), dnsNames: z.union([strList, str]).optional(), validFor: duration.optional() }).optional(),
  }),
  configMaps: z.strictObject({
    ...common, ...crossNamespaceCopy,
    data: strMap.optional(), binaryData: strMap.optional(), fromConfigMap: str.optional(), immutable: boolLike.optional(),
  }),
  networkPolicies: z.strictObject({
    ...common, profile: str.optional(), podSelector: anyMap.optional(), policyTypes: strList.optional(),
    ingress: z.array(anyMap).optional(), egress: z.array(anyMap).optional(),
  }),
  resourceQuotas: z.strictObject({ ...common, profile: str.optional(), hard: strMap.optional(), scopes: strList.optional() }),
  limitRanges: z.strictObject({
    ...common, profile: str.optional(), limits: z.array(anyMap).optional(),
    default: strMap.optional(), defaultRequest: strMap.optional(), min: strMap.optional(), max: strMap.optional(),
  }),
  clusterRoles: z.strictObject({ ...common, rules: z.array(policyRule).optional(), aggregationRule: anyMap.optional() }),
  clusterRoleBindings: z.strictObject({ ...common, ...binding }),
  serviceAccounts: z.strictObject({
    ...common, automountServiceAccountToken: boolLike.optional(),
    imagePullSecrets: z.array(z.union([str, z.strictObject({ name: str })])).optional(),
  }),
  roles: z.strictObject({ ...common, rules: z.array(policyRule).optional() }),
  roleBindings: z.strictObject({ ...common, ...binding }),
  /** Any other kind as a templated manifest (reference §10.7 calls the key `custom`). */
  custom: z.looseObject({
    ...common,
    clusterScoped: boolLike.optional(),
    apiVersion: str,
    kind: str,
    metadata: z.looseObject({ name: str.optional(), namespace: str.optional(), labels: strMap.optional(), annotations: strMap.optional() }).optional(),
    spec: z.unknown().optional(),
  }),
  replicaSets: z.strictObject({ ...common, ...container, ...replicated, image: str }),
  deployments: z.strictObject({
    ...common, ...container, ...replicated, image: str,
    minReadySeconds: intLike.optional(), revisionHistoryLimit: intLike.optional(),
    rollingUpdate: z.strictObject({ profile: str.optional(), maxSurge: z.union([intLike, str]).optional(), maxUnavailable: z.union([intLike, str]).optional() }).optional(),
    strategy: looseBlock.optional(),
  }),
  services: z.strictObject({
    ...common,
    type: enumLike(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    headless: boolLike.optional(),
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
    port: intLike.optional(),
    targetPort: z.union([intLike, str]).optional(),
    nodePort: intLike.optional(),
    portName: str.optional(),
    loadBalancerClass: str.optional(),
    ports: z.array(port).optional(),
    selector: strMap.optional(),
    clusterIP: str.optional(),
    externalName: str.optional(),
    sessionAffinity: str.optional(),
    externalTrafficPolicy: str.optional(),
    loadBalancerIP: str.optional(),
  }),
  jobs: z.strictObject({ ...common, ...container, ...jobFields, image: str }),
  cronJobs: z.strictObject({
    ...common, ...container, ...jobFields, image: str,
    schedule: str.optional(),
    timeZone: str.optional(),
    suspend: boolLike.optional(),
    concurrencyPolicy: enumLike(['Allow', 'Forbid', 'Replace']).optional(),
    successfulJobsHistoryLimit: intLike.optional(),
    failedJobsHistoryLimit: intLike.optional(),
    startingDeadlineSeconds: intLike.optional(),
  }),
  statefulSets: z.strictObject({
    ...common, ...container, ...replicated, image: str,
    serviceName: str.optional(), volumeClaimTemplates: z.array(anyMap).optional(), podManagementPolicy: str.optional(),
  }),
  persistentVolumes: z.strictObject({
    ...common,
    storage: str.optional(), capacity: strMap.optional(), accessModes: strList.optional(), storageClassName: str.optional(),
    persistentVolumeReclaimPolicy: str.optional(), reclaimPolicy: str.optional(), nodeAffinity: anyMap.optional(), volumeMode: str.optional(),
    hostPath: z.union([str, anyMap]).optional(), nfs: anyMap.optional(), csi: anyMap.optional(),
  }),
  persistentVolumeClaims: z.strictObject({
    ...common,
    storage: str.optional(), size: str.optional(), resources: anyMap.optional(), accessModes: strList.optional(), storageClassName: str.optional(),
    volumeMode: str.optional(), volumeName: str.optional(), selector: anyMap.optional(),
  }),
  ingresses: z.strictObject({
    ...common,
    ingressClassName: str.optional(), host: str.optional(), path: str.optional(),
    pathType: z.enum(['Prefix', 'Exact', 'ImplementationSpecific']).optional(),
    serviceName: str.optional(), servicePort: z.union([intLike, str]).optional(),
    tlsSecretName: str.optional(), defaultBackend: anyMap.optional(), className: str.optional(),
    tls: z.union([z.array(anyMap), boolLike, anyMap]).optional(), rules: z.array(anyMap).optional(),
  }),
  horizontalPodAutoscalers: z.strictObject({
    ...common,
    target: z.union([str, anyMap]).optional(), scaleTargetRef: anyMap.optional(),
    minReplicas: intLike.optional(), maxReplicas: intLike.optional(),
    targetCPUUtilization: intLike.optional(), targetMemoryUtilization: intLike.optional(),
    targetCPUUtilizationPercentage: intLike.optional(), targetMemoryUtilizationPercentage: intLike.optional(),
    targetKind: str.optional(), min: intLike.optional(), max: intLike.optional(),
    metrics: z.array(anyMap).optional(), behavior: anyMap.optional(), profile: str.optional(),
  }),
  podDisruptionBudgets: z.strictObject({
    ...common,
    minAvailable: z.union([intLike, str]).optional(), maxUnavailable: z.union([intLike, str]).optional(),
    selector: anyMap.optional(), target: str.optional(), profile: str.optional(),
  }),
  pods: z.strictObject({ ...common, ...container, image: str }),
} as const;
export type ResourceKey = keyof typeof RESOURCE_SCHEMAS;

/** Other spellings of kind keys (the one table is `kinds.ts`). */
export const RESOURCE_KIND_ALIASES: Readonly<Record<string, ResourceKey>> = KIND_ALIASES;

/** A provider declaration list: `- s3: {bucket: …}` items (one key each). */
export const providerBlockSchema = z.array(
  z.record(z.string(), z.union([anyMap, z.null()], { error: 'expected the declaration fields as a map' })),
  { error: 'expected a list of provider declarations (`- <kind>: {…}`)' },
);

/** Keys of a lifecycle block besides resource kinds; any other key is a provider block. */
export const HOOK_CONTROL_KEYS = ['external', 'when', 'or', 'anyOf', 'ordered', 'name', 'groups', 'timeout', 'git', 'docker'] as const;

const resourceLists = Object.fromEntries([
  ...Object.entries(RESOURCE_SCHEMAS).map(([k, s]) => [k, z.array(s, { error: `expected a list of ${k} (\`- name: …\`)` }).optional()]),
  ...Object.entries(RESOURCE_KIND_ALIASES).map(([k, canon]) => [k, z.array(RESOURCE_SCHEMAS[canon]).optional()]),
]) as Record<string, z.ZodType>;
const hookBase = {
  ...resourceLists,
  external: externalCalls.optional(),
  ...gate,
  ordered: bool.optional(),
  name: str.optional(),
  timeout: duration.optional(),
  git: looseBlock.optional(),
  docker: looseBlock.optional(),
};
export const hookGroupSchema = z.object(hookBase).catchall(providerBlockSchema);
export const hookSchema = z.object({ ...hookBase, groups: z.array(hookGroupSchema).optional() }).catchall(providerBlockSchema);

// ── status, cross, autoscale ─────────────────────────────────────────────────────────────────
const statusField = z.strictObject({
  path: str,
  value: z.unknown().optional(),
  type: z.enum(['', 'string', 'str', 'default', 'int', 'integer', 'float', 'bool', 'boolean', 'auto']).optional(),
  clearOnFalse: bool.optional(),
  ...gate,
});
export const statusSchema = z.strictObject({
  fields: z.array(statusField).optional(), conditions: z.union([bool, anyMap]).optional(), include: str.optional(),
});
export const crossSchema = z.strictObject({
  crd: str.optional(),
  labelSelector: strMap.optional(),
  labels: strMap.optional(),
  selector: z.strictObject({ name: str.optional(), namespace: str.optional(), matchLabels: strMap.optional() }).optional(),
  as: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an identifier (letters, digits, `_`) usable as `.cross.<as>`' }).optional(),
  strategy: z.enum(['first', 'all']).optional(),
  source: z.strictObject({
    endpoint: str.optional(), host: str.optional(),
    protocol: z.enum(['cr', 'info', 'metrics', 'health', 'events']).optional(), type: str.optional(),
    namespace: str.optional(), cacheFor: duration.optional(), auth: looseBlock.optional(),
  }).optional(),
});
const autoscaleSchema = z.strictObject({
  interval: duration.optional(),
  cooldown: duration.optional(),
  conditions: z.strictObject({ when: conditions.optional(), or: conditions.optional(), anyOf: conditions.optional() }).optional(),
  do: z.strictObject({ workers: intLike.optional(), queueDepth: intLike.optional(), resync: duration.optional() }).optional(),
  profile: str.optional(),
  ...gate,
});

// ── reconciler configuration (Era A `reconciler:`, Era B `operatorBox.reconciler`, Era C `reconcile`) ──
const reconcilerConfig = {
  default: bool.optional(),
  workers: intLike.optional(),
  resync: duration.optional(),
  queue: looseBlock.optional(),
  requeue: z.union([looseBlock, z.array(anyMap)]).optional(),
  profile: str.optional(),
  hooks: looseBlock.optional(),
  // z.unknown: zod reads `input.constructor` (Object's) when the key is absent.
  constructor: z.unknown().optional(),
  remote: looseBlock.optional(),
  include: str.optional(),
  imports: z.array(anyMap).optional(),
};
export const reconcileBlockSchema = z.strictObject({
  ...reconcilerConfig,
  onCreate: hookSchema.optional(),
  onReconcile: hookSchema.optional(),
  onDelete: hookSchema.optional(),
  status: statusSchema.optional(),
});

export const operatorBoxSchema = z.strictObject({
  default: bool.optional(),
  workers: intLike.optional(),
  resync: duration.optional(),
  queue: looseBlock.optional(),
  reconciler: reconcileBlockSchema.optional(),
  reconcile: reconcileBlockSchema.optional(),
  preReconcile: looseBlock.optional(),
  finalizers: strList.optional(),
  onCreate: hookSchema.optional(),
  onReconcile: hookSchema.optional(),
  onDelete: hookSchema.optional(),
  status: statusSchema.optional(),
  emit: z.strictObject({ status: statusSchema.optional(), events: z.unknown().optional() }).optional(),
  providers: z.record(z.string(), providerBlockSchema).optional(),
  cross: z.array(crossSchema).optional(),
  observe: z.strictObject({ cross: z.array(crossSchema).optional(), watch: z.array(anyMap).optional(), events: anyMap.optional() }).optional(),
  watch: z.array(anyMap).optional(),
  autoscale: autoscaleSchema.optional(),
  runtime: z.strictObject({ autoscale: autoscaleSchema.optional(), finalizers: strList.optional() }).loose().optional(),
  rollback: z.unknown().optional(),
  rollBackOnError: z.unknown().optional(),
  ...gate,
});

// ── admission: validation, mutation, normalize, conversion ───────────────────────────────────
const valueType = z.enum(['string', 'int', 'integer', 'float', 'number', 'bool', 'boolean']);
// `message` may be left out: the rules module then says which field failed which rule.
export const validationRuleSchema = z.strictObject({
  ...optionalShape(conditionShape),
  field: str,
  message: str.optional(),
  action: z.enum(['deny', 'warn']).optional(),
  valueType: valueType.optional(),
  fires: z.strictObject({ reconcile: bool.optional() }).optional(),
  link: str.optional(),
  ...gate,
});
export const validationBlockSchema = z.strictObject({
  include: str.optional(), external: externalCalls.optional(), rules: z.array(validationRuleSchema).optional(),
});
const validationSchema = z.union([z.array(validationRuleSchema), validationBlockSchema], { error: 'expected `rules:` (or a list of rules)' });
export const mutationRuleSchema = z.strictObject({
  field: str,
  default: z.unknown().optional(),
  override: z.unknown().optional(),
  valueType: valueType.optional(),
  fires: z.strictObject({ reconcile: bool.optional() }).optional(),
  ...gate,
});
export const mutationBlockSchema = z.strictObject({
  include: str.optional(), external: externalCalls.optional(), rules: z.array(mutationRuleSchema).optional(),
  mutateFirst: bool.optional(),
});
const mutationSchema = z.union([z.array(mutationRuleSchema), mutationBlockSchema], { error: 'expected `rules:` (or a list of rules)' });
export const normalizeSchema = z.strictObject({ spec: z.record(z.string(), z.unknown()) });
const conversionSchema = z.strictObject({
  storageVersion: str.optional(),
  paths: z.array(z.strictObject({ from: str, to: str, spec: anyMap.optional(), metadata: anyMap.optional() })).optional(),
  updateCRD: bool.optional(),
  participant: bool.optional(),
});
const webhooksSchema = z.strictObject({
  validation: bool.optional(), mutation: bool.optional(),
  operations: z.array(z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])).optional(),
});

// ── CRD entry ────────────────────────────────────────────────────────────────────────────────
export const apiTypesSchema = z.strictObject({
  group: str,
  version: str,
  kind: str,
  plural: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'expected a lower-case plural name (e.g. `websites`)' }),
  scope: z.enum(['Namespaced', 'Cluster']).optional(),
  namespaced: bool.optional(),
  versions: strList.optional(),
  apiPath: z.enum(['/apis', '/api']).optional(),
  object: str.optional(),
  objectList: str.optional(),
  alias: str.optional(),
  location: str.optional(),
});

const crdEntryShape = {
  apiTypes: apiTypesSchema.optional(),
  crdFile: str.optional(),
  crFiles: strList.optional(),
  setup: z.unknown().optional(),
  enabled: bool.optional(),
  description: str.optional(),
  mode: z.enum(['typed', 'dynamic']).optional(),
  namespaced: bool.optional(),
  namespace: str.optional(),
  dependsOn: z.unknown().optional(),
  enrich: z.array(z.unknown()).optional(),
  enrichAll: bool.optional(),
  labels: strMap.optional(),
  labelSelector: strMap.optional(),
  fieldSelector: strMap.optional(),
  endpoints: looseBlock.optional(),
  restrictedNamespaces: strList.optional(),
  allowedNamespaces: strList.optional(),
  validation: validationSchema.optional(),
  mutation: mutationSchema.optional(),
  normalize: normalizeSchema.optional(),
  conversion: conversionSchema.optional(),
  webhooks: webhooksSchema.optional(),
  admission: z.strictObject({
    validation: validationSchema.optional(), mutation: mutationSchema.optional(),
    conversion: conversionSchema.optional(), webhooks: webhooksSchema.optional(), normalize: normalizeSchema.optional(),
  }).optional(),
  serve: looseBlock.optional(),
  deletionProtection: z.strictObject({ protectCRD: bool.optional(), protectCRs: bool.optional(), strictMode: bool.optional() }).optional(),
  imports: z.array(anyMap).optional(),
  forceConflict: bool.optional(),
  crossAccess: bool.optional(),
  ignoreStatusPatch: bool.optional(),
  ignoreObservedGeneration: bool.optional(),
  removeFinalizers: bool.optional(),
  critical: bool.optional(),
  operatorBox: operatorBoxSchema.optional(),
  /** Era A: behaviour under a CRD-level `reconciler:` block, and workers/resync on the entry. */
  reconciler: reconcileBlockSchema.optional(),
  workers: intLike.optional(),
  resync: duration.optional(),
};
const crdName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
  error: 'expected a lower-case CRD name (letters, digits, `-`), e.g. `website`',
});
export const crdEntrySchema = z.strictObject(crdEntryShape);
export const crdListEntrySchema = z.strictObject({ name: crdName, ...crdEntryShape });

// ── top level ────────────────────────────────────────────────────────────────────────────────
const failurePolicy = z.enum(['Fail', 'Ignore']);
export const securitySchema = z.strictObject({
  serviceName: z.union([str, strMap]).optional(),
  deletionProtection: z.strictObject({
    enabled: bool.optional(), serviceName: str.optional(), failurePolicy: failurePolicy.optional(),
    cleanupOnShutdown: bool.optional(), strictMode: bool.optional(),
  }).optional(),
  namespaceProtection: z.strictObject({
    enabled: bool.optional(), serviceName: str.optional(), failurePolicy: failurePolicy.optional(),
    restrictedNamespaces: strList.optional(), allowedNamespaces: strList.optional(), cleanupOnShutdown: bool.optional(),
  }).optional(),
  webhooks: z.strictObject({
    admission: z.strictObject({ enabled: bool.optional() }).optional(),
    conversion: z.strictObject({ enabled: bool.optional() }).optional(),
    failurePolicy: failurePolicy.optional(),
    serviceName: str.optional(),
    cleanupOnShutdown: bool.optional(),
  }).optional(),
  conversion: z.strictObject({ enabled: bool.optional(), conversionWindow: intLike.optional() }).optional(),
  certManager: z.strictObject({ autoRotate: bool.optional(), rotationThreshold: duration.optional(), validFor: duration.optional() }).optional(),
});

export const providerRequirementSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: 'expected a provider name such as `aws`' }),
  required: bool.optional(),
  auth: z.record(z.string(), scalar).optional(),
  version: str.optional(),
  library: str.optional(),
});

export const katalogSchema = z.strictObject({
  apiVersion: z.enum(KATALOG_API_VERSIONS),
  kind: z.literal('Katalog', { error: 'expected `Katalog`' }),
  metadata: z.strictObject({
    name: str,
    namespace: str.optional(),
    clusterName: str.optional(),
    description: str.optional(),
    version: str.optional(),
    author: str.optional(),
    license: str.optional(),
    tags: strList.optional(),
    createdBy: str.optional(),
    projects: anyMap.optional(),
    labels: strMap.optional(),
    annotations: strMap.optional(),
  }),
  spec: z.strictObject({
    crds: z.union([z.record(crdName, crdEntrySchema), z.array(crdListEntrySchema)], {
      error: 'expected a map of CRD entries (`website: {…}`) or a list (`- name: website`)',
    }),
    finalizers: strList.optional(),
    imports: z.array(anyMap).optional(),
  }),
  providers: z.array(providerRequirementSchema).optional(),
  security: securitySchema.optional(),
  lifecycle: looseBlock.optional(),
  policy: looseBlock.optional(),
  crossAccess: bool.optional(),
  gateway: looseBlock.optional(),
  publish: looseBlock.optional(),
  notification: looseBlock.optional(),
  notes: z.union([z.array(anyMap), anyMap]).optional(),
  profiles: looseBlock.optional(),
});
export type RawKatalog = z.input<typeof katalogSchema>;
