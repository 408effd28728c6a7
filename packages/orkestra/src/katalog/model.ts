// The normalized Katalog model: what the rest of Orkestra reads. Every schema era the loader
// accepts (list-form crds, `reconciler:` siblings, `operatorBox.reconcile.*`, `emit.status`,
// `admission.*`, ...) ends up in this one shape, with defaults applied and a source position on
// every declaration, so the engine never has to know which spelling the author used.
//
// Plain data only (no classes): the model is safe to clone, serialize (`ork validate --output json`,
// the /katalog API) and build by hand in unit tests.

import type { ConditionOperator } from '../conditions/operators.ts';
import type { Template } from '../template/index.ts';

/** Where a declaration was written: Katalog file (absolute path), 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** A YAML value after parsing: templates stay strings (`"{{ .spec.replicas }}"`), never rendered. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type ValueMap = { [key: string]: Value };

export interface Katalog {
  apiVersion: string;
  kind: 'Katalog';
  /** Absolute path of the file the Katalog was loaded from. */
  file: string;
  metadata: KatalogMetadata;
  /** In declaration order (documents in order, then entries in order). Names are unique. */
  crds: CrdEntry[];
  /** Top-level `providers:` with `auth` values `$ENV`-expanded (secrets: never log them). */
  providers: ProviderRequirement[];
  /** Top-level `security:` with the reference's defaults applied; absent when not declared. */
  security?: SecurityConfig;
  /** `spec.finalizers` (Katalog-wide; a CRD's operatorBox.finalizers overrides). */
  finalizers: string[];
  /**
   * Every distinct template source string in the Katalog (strings containing `{{`), compiled
   * once at load: look a declaration's string up here instead of compiling it again.
   */
  templates: ReadonlyMap<string, Template>;
  source: SourcePos;
}

export interface KatalogMetadata {
  name: string;
  /** Logical tenant; default `default`. */
  namespace: string;
  description?: string;
  version?: string;
  labels?: Record<string, string>;
  /** Any further metadata keys (author, license, tags, ...), as written. */
  extra: ValueMap;
}

export type CrdScope = 'Namespaced' | 'Cluster';

export interface ApiTypes {
  group: string;
  /** The version the operator watches (for crdFile: the storage version, else the first served). */
  version: string;
  kind: string;
  plural: string;
  /** Default `Namespaced`. */
  scope: CrdScope;
  /** Served versions when known (from the CRD file or `apiTypes.versions`); else `[version]`. */
  versions: string[];
  /** `/apis` (default) or `/api` for core kinds. */
  apiPath: string;
}

export interface CrdEntry {
  /** Map key (or `name:` in the list form). */
  name: string;
  /** Default true; false ⇒ not started. */
  enabled: boolean;
  description?: string;
  apiTypes: ApiTypes;
  /** Absolute path of `crdFile` when declared (resolved relative to the Katalog file). */
  crdFile?: string;
  /** Informer namespace; empty ⇒ all namespaces. */
  namespace?: string;
  operatorBox: OperatorBox;
  validation?: ValidationSpec;
  mutation?: MutationSpec;
  normalize?: NormalizeSpec;
  conversion?: ConversionSpec;
  /** Per-CRD `webhooks:` (admission toggles), as written. */
  webhooks?: ValueMap;
  /** CRD-level keys the engine may need later but the loader does not interpret (labels, dependsOn, serve, ...). */
  extra: ValueMap;
  source: SourcePos;
}

export const DEFAULT_WORKERS = 2;

export interface OperatorBox {
  /** `default` (Era A/B/C spellings); true = declarative GenericReconciler. Default true. */
  declarative: boolean;
  /** Default DEFAULT_WORKERS (the runtime may override from the DEFAULT_WORKERS env). */
  workers: number;
  /** True when `workers` was written in the Katalog (so an env default must not replace it). */
  workersDeclared: boolean;
  /** Informer resync as written (`30s`, `5m`); undefined ⇒ runtime default. */
  resync?: string;
  /** `queue:` block as written (maxDepth, failureThreshold, behaviour, retryBackoff ...). */
  queue?: ValueMap;
  onCreate: Hook;
  onReconcile: Hook;
  onDelete: Hook;
  status: StatusSpec;
  cross: CrossDecl[];
  autoscale?: Autoscale;
  /**
   * Provider blocks from `operatorBox.providers` (hook: undefined) and from provider keys written
   * directly inside onCreate/onReconcile/onDelete (hook set), in declaration order.
   */
  providers: ProviderBlock[];
  finalizers?: string[];
  /** OperatorBox-level gate (rare). */
  when: Condition[];
  or: Condition[];
  /** Keys accepted but not interpreted yet (preReconcile, observe.watch, rollback, ...), as written. */
  extra: ValueMap;
  source: SourcePos;
}

export type HookName = 'onCreate' | 'onReconcile' | 'onDelete';

export interface Hook {
  name: HookName;
  /** In declaration order (kind blocks in the order written, items in order). */
  resources: ResourceDecl[];
  external: ExternalCall[];
  /** Provider blocks written directly inside this hook (also listed in OperatorBox.providers). */
  providers: ProviderBlock[];
  /** Block gate. */
  when: Condition[];
  or: Condition[];
  /** onDelete ordering (`ordered: true`, `groups`, `timeout`), as written. */
  ordered: boolean;
  timeout?: string;
  groups: Hook[];
  /** Absent when the hook was not declared. */
  source?: SourcePos;
}

/** The Katalog keys of built-in kinds, in apply order (the one table is `kinds.ts`). */
export { RESOURCE_KINDS, type ResourceKind } from './kinds.ts';
import type { ResourceKind } from './kinds.ts';

export interface ResourceDecl {
  /** Katalog key, canonical (`deployments`, ..., `custom` for any other apiVersion/kind). */
  kind: ResourceKind;
  /**
   * Declarative fields as written (templates as strings), minus the control keys
   * when/or/anyOf/reconcile/once/rotateAfter (name and namespace stay in).
   * Normalizations: deployment-like `env` is always the list form
   * (`[{name, value} | {name, valueFrom: {secretKeyRef|configMapKeyRef: {name, key}}}]`) and
   * `envFrom` always `[{configMapRef: {name, prefix?}} | {secretRef: {name, prefix?}}]`;
   * `custom` items keep `apiVersion`, `kind`, `metadata`/`name`, `spec` ...
   */
  spec: ValueMap;
  /** Template or literal; undefined ⇒ the runtime's default name for the kind. */
  name?: string;
  namespace?: string;
  when: Condition[];
  or: Condition[];
  /** `reconcile: true` (drift correction) — default false; always true under onReconcile. */
  reconcile: boolean;
  once: boolean;
  rotateAfter?: string;
  /** One child per item of a list (or map) of the CR data (reference §9); absent: one child. */
  forEach?: ForEach;
  /** Field path, e.g. `spec.crds.website.operatorBox.onCreate.deployments[0]`. */
  path: string;
  source: SourcePos;
}

export interface ForEach {
  /** A dot path into the template data (`spec.databases`) or a template rendering a list or map. */
  field: string;
  /** Another name for `.item` in the declaration's templates and conditions. */
  as?: string;
  source: SourcePos;
}

/** A `when:`/`or:` condition with its operator resolved (reference §14.3). */
export interface Condition {
  /** Dot path into the resolver data, or a `{{ template }}`. Undefined for time-only conditions. */
  field?: string;
  operator: ConditionOperator;
  /** Expected value, stringified (lists joined with `,`); undefined for exists/notExists. */
  value?: string;
  negate: boolean;
  message?: string;
  /** Time-based forms, as written. */
  time?: ValueMap;
  dayOfWeek?: ValueMap;
  cron?: string;
  duration?: string;
  notify?: ValueMap;
  source: SourcePos;
}

export interface ExternalCall {
  name: string;
  /** `http` (default), prometheus, redis, postgres, mongo, kafka, grpc, nats, mqtt. */
  protocol: string;
  url: string;
  /** Default GET. */
  method: string;
  query?: string;
  body?: string;
  headers: Record<string, string>;
  /** As written (`5s`); undefined ⇒ runtime default. */
  timeout?: string;
  /** Undefined ⇒ any 2xx. */
  expectedStatus?: number;
  /** Default false: a failure halts the reconcile. */
  continueOnError: boolean;
  cacheFor?: string;
  auth?: ValueMap;
  when: Condition[];
  or: Condition[];
  /** Further keys as written (poolSize, sleep, fires, retryBackoff ...). */
  extra: ValueMap;
  source: SourcePos;
}

export interface ProviderBlock {
  /** Provider name (`aws`, `mongodb`, ...). */
  provider: string;
  /** Set when written directly inside a hook (oldest form); undefined for operatorBox.providers. */
  hook?: HookName;
  /** Whether the Katalog's top-level `providers:` declares this name. */
  declared: boolean;
  declarations: ProviderDeclaration[];
  source: SourcePos;
}

export interface ProviderDeclaration {
  /** The single key of the list item (`s3`, `rds`, `database`, ...). */
  kind: string;
  /** Its fields as written (templates as strings), minus when/or. */
  fields: ValueMap;
  when: Condition[];
  or: Condition[];
  source: SourcePos;
}

export interface ProviderRequirement {
  name: string;
  /** Default false. */
  required: boolean;
  /** `$ENV`/`${ENV}` expanded; keys whose variable is unset are absent. Never log the values. */
  auth: Record<string, string>;
  /** For each auth key that referenced variables: the variable names (for diagnostics). */
  authEnv: Record<string, string[]>;
  version?: string;
  library?: string;
  source: SourcePos;
}

export interface StatusSpec {
  /** Write the automatic Ready condition (default true; `conditions: false` opts out). */
  conditions: boolean;
  /** In declaration order; later entries for the same path win at runtime. */
  fields: StatusField[];
}

export type StatusFieldType = 'string' | 'int' | 'float' | 'bool' | 'auto';

export interface StatusField {
  /** Relative to `.status`, dot-nested. */
  path: string;
  /** Template or literal (non-strings as written). */
  value: Value;
  /** Cast; default `string`. */
  type: StatusFieldType;
  when: Condition[];
  or: Condition[];
  clearOnFalse: boolean;
  source: SourcePos;
}

export interface CrossDecl {
  /** Target CRD name (XOR labelSelector). */
  crd?: string;
  labelSelector?: Record<string, string>;
  selector: { name?: string; namespace?: string; matchLabels?: Record<string, string> };
  /** Key under `.cross`; default = crd. */
  as: string;
  strategy?: string;
  /** HTTP fallback (`endpoint`/`host`/`protocol`/...), as written. */
  remote?: ValueMap;
  source: SourcePos;
}

export interface Autoscale {
  /** Default `15s`. */
  interval: string;
  /** Default `2m`. */
  cooldown: string;
  when: Condition[];
  or: Condition[];
  do: { workers?: number; queueDepth?: number; resync?: string };
  profile?: string;
  source: SourcePos;
}

export interface ValidationSpec {
  rules: ValidationRule[];
  external: ExternalCall[];
  include?: string;
}

/** `valueType:` of a rule: how the field's value (and the rule's value) are read. */
export type RuleValueType = 'string' | 'int' | 'integer' | 'float' | 'number' | 'bool' | 'boolean';

export interface ValidationRule {
  /** Field path of the rule (`spec.crds.website.validation.rules[0]`). */
  path: string;
  /** A dot path into the CR, or a `{{ template }}` whose result is the value checked. */
  field: string;
  /** Operator resolved with the validation precedence (§12.1: bare value ⇒ exists). */
  condition: Condition;
  /** May be a template; absent: the rules module generates one naming the field and the rule. */
  message?: string;
  valueType?: RuleValueType;
  /** Default deny. */
  action: 'deny' | 'warn';
  when: Condition[];
  or: Condition[];
  /** `fires.reconcile: false` ⇒ admission only. Default true. */
  atReconcile: boolean;
  link?: string;
  source: SourcePos;
}

export interface MutationSpec {
  /** Default false (examples set it explicitly). */
  mutateFirst: boolean;
  rules: MutationRule[];
  external: ExternalCall[];
  include?: string;
}

export interface MutationRule {
  /** Field path of the rule (`spec.crds.website.mutation.rules[0]`). */
  path: string;
  /** A dot path into the CR (`spec.replicas`); never a template. */
  field: string;
  /** Exactly one of default/override is set. */
  default?: Value;
  override?: Value;
  valueType?: RuleValueType;
  when: Condition[];
  or: Condition[];
  atReconcile: boolean;
  source: SourcePos;
}

export interface NormalizeSpec {
  /** `spec: {"dot.path": template}` in declaration order; paths relative to `.spec`. */
  fields: NormalizeField[];
}

export interface NormalizeField {
  /** Relative to `.spec` (`resources.requests.cpu`, `containers.0.image`). */
  path: string;
  template: Value;
  /** Field path of the entry (`spec.crds.cronjob.normalize.spec.schedule`). */
  at: string;
  source: SourcePos;
}

export interface ConversionSpec {
  storageVersion?: string;
  paths: ConversionPath[];
  updateCRD: boolean;
  participant: boolean;
}

export interface ConversionPath {
  from: string;
  to: string;
  /** Field → template | literal | nested map, as written. */
  spec: ValueMap;
  source: SourcePos;
}

export interface SecurityConfig {
  deletionProtection: {
    /** Default true when a security block exists. */
    enabled: boolean;
    failurePolicy: 'Fail' | 'Ignore';
    cleanupOnShutdown: boolean;
    strictMode: boolean;
  };
  namespaceProtection?: {
    enabled: boolean;
    failurePolicy: 'Fail' | 'Ignore';
    restrictedNamespaces: string[];
    allowedNamespaces: string[];
    cleanupOnShutdown: boolean;
  };
  webhooks: {
    admission: { enabled: boolean };
    /** Default Ignore. */
    failurePolicy: 'Fail' | 'Ignore';
    cleanupOnShutdown: boolean;
  };
  conversion: { enabled: boolean; conversionWindow: number };
  certManager?: ValueMap;
  /** Further keys as written (serviceName ...). */
  extra: ValueMap;
}

/** A load problem. Errors fail the load; warnings are reported and the Katalog still loads. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  /** Field path (`spec.crds.website.operatorBox.onCreate.deployments[0].replicas`); '' for the document. */
  path: string;
  message: string;
  /** Short machine-readable code (`unknown-key`, `invalid-type`, `template-syntax`, `yaml-syntax`, ...). */
  code: string;
}

export type LoadResult =
  | { ok: true; katalog: Katalog; warnings: Diagnostic[] }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };
