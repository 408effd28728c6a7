// Raw CRD entries (any schema era) → the normalized model. The era mapping of reference §3 lives
// here and only here: each concept is read from every place an era may have written it, and
// writing it in two places at once is an error (which one would win is not obvious to a reader).
import type {
  ApiTypes, Autoscale, ConversionSpec, CrdEntry, CrossDecl, Hook, HookName, MutationSpec, NormalizeSpec,
  OperatorBox, RuleValueType, StatusField, StatusFieldType, StatusSpec, ValidationRule, ValidationSpec,
} from './model.ts';
import { formatPath } from './diagnostics.ts';
import { DEFAULT_WORKERS } from './model.ts';
import { buildCondition, buildGate } from './conditions.ts';
import { asBool, asList, asObj, asStr, isObj, toStringMap, toValue, toValueMap } from './context.ts';
import type { BuildContext, Raw } from './context.ts';
import { buildExternal, buildHook, buildProviderBlock, emptyHook } from './hooks.ts';
import type { Path } from './source.ts';

interface Located { value: unknown; path: Path }

/** The single place a concept was written, among the spellings of several eras. */
function pick(ctx: BuildContext, what: string, candidates: Located[]): Located | undefined {
  const present = candidates.filter((c) => c.value !== undefined);
  if (present.length > 1) {
    const where = present.map((c) => c.path.join('.')).join(' and ');
    ctx.error(present[1]!.path, `${what} is declared twice (${where}); keep one`, 'duplicate', true);
  }
  return present[0];
}

export function buildCrdEntry(name: string, raw: Raw, path: Path, ctx: BuildContext, apiTypesFromFile: ApiTypes | undefined): CrdEntry {
  const obPath = [...path, 'operatorBox'];
  const ob = asObj(raw.operatorBox);
  const admission = asObj(raw.admission);
  const admissionPath = [...path, 'admission'];
  const entry: CrdEntry = {
    name,
    enabled: asBool(raw.enabled, true),
    apiTypes: buildApiTypes(raw, path, ctx, apiTypesFromFile),
    operatorBox: buildOperatorBox(raw, ob, path, obPath, ctx),
    extra: toValueMap(raw, [
      'name', 'enabled', 'description', 'apiTypes', 'crdFile', 'namespace', 'operatorBox', 'validation', 'mutation',
      'normalize', 'conversion', 'webhooks', 'admission', 'reconciler', 'workers', 'resync',
    ]),
    source: ctx.at(path),
  };
  const description = asStr(raw.description);
  if (description !== undefined) entry.description = description;
  const namespace = asStr(raw.namespace);
  if (namespace !== undefined && namespace !== '') entry.namespace = namespace;

  const validation = pick(ctx, '`validation`', [{ value: raw.validation, path: [...path, 'validation'] }, { value: admission.validation, path: [...admissionPath, 'validation'] }]);
  if (validation) entry.validation = buildValidation(validation.value, validation.path, ctx);
  const mutation = pick(ctx, '`mutation`', [{ value: raw.mutation, path: [...path, 'mutation'] }, { value: admission.mutation, path: [...admissionPath, 'mutation'] }]);
  if (mutation) entry.mutation = buildMutation(mutation.value, mutation.path, ctx);
  const normalize = pick(ctx, '`normalize`', [{ value: raw.normalize, path: [...path, 'normalize'] }, { value: admission.normalize, path: [...admissionPath, 'normalize'] }]);
  if (normalize) entry.normalize = buildNormalize(normalize.value, normalize.path, ctx);
  const conversion = pick(ctx, '`conversion`', [{ value: raw.conversion, path: [...path, 'conversion'] }, { value: admission.conversion, path: [...admissionPath, 'conversion'] }]);
  if (conversion) entry.conversion = buildConversion(conversion.value, conversion.path, ctx, entry.apiTypes);
  const webhooks = pick(ctx, '`webhooks`', [{ value: raw.webhooks, path: [...path, 'webhooks'] }, { value: admission.webhooks, path: [...admissionPath, 'webhooks'] }]);
  if (webhooks && isObj(webhooks.value)) entry.webhooks = toValueMap(webhooks.value);
  return entry;
}

function buildApiTypes(raw: Raw, path: Path, ctx: BuildContext, fromFile: ApiTypes | undefined): ApiTypes {
  const a = raw.apiTypes;
  if (!isObj(a)) {
    if (fromFile !== undefined) return fromFile;
    if (raw.crdFile === undefined) ctx.error(path, 'missing `apiTypes` (group, version, kind, plural) and no `crdFile` to read them from', 'missing-field');
    return { group: '', version: '', kind: '', plural: '', scope: 'Namespaced', versions: [], apiPath: '/apis' };
  }
  const version = asStr(a.version) ?? fromFile?.version ?? '';
  const namespaced = typeof a.namespaced === 'boolean' ? a.namespaced : typeof raw.namespaced === 'boolean' ? raw.namespaced : undefined;
  const scope = a.scope === 'Cluster' || a.scope === 'Namespaced' ? a.scope : namespaced === false ? 'Cluster' : fromFile?.scope ?? 'Namespaced';
  const versions = Array.isArray(a.versions) ? a.versions.flatMap((v) => (typeof v === 'string' ? [v] : [])) : fromFile?.versions ?? [version];
  if (version !== '' && !versions.includes(version)) versions.unshift(version);
  return {
    group: asStr(a.group) ?? fromFile?.group ?? '',
    version,
    kind: asStr(a.kind) ?? fromFile?.kind ?? '',
    plural: asStr(a.plural) ?? fromFile?.plural ?? '',
    scope,
    versions,
    apiPath: asStr(a.apiPath) ?? (asStr(a.group) === '' ? '/api' : '/apis'),
  };
}

function buildOperatorBox(entry: Raw, ob: Raw, crdPath: Path, obPath: Path, ctx: BuildContext): OperatorBox {
  const reconcile = asObj(ob.reconcile);
  const reconciler = asObj(ob.reconciler);
  const eraA = asObj(entry.reconciler);
  const places = (key: string): Located[] => [
    { value: ob[key], path: [...obPath, key] },
    { value: reconcile[key], path: [...obPath, 'reconcile', key] },
    { value: reconciler[key], path: [...obPath, 'reconciler', key] },
    { value: eraA[key], path: [...crdPath, 'reconciler', key] },
  ];
  const hook = (name: HookName): Hook => {
    const found = pick(ctx, `\`${name}\``, places(name));
    return found ? buildHook(found.value, found.path, name, ctx) : emptyHook(name);
  };
  const workers = pick(ctx, '`workers`', [...places('workers'), { value: entry.workers, path: [...crdPath, 'workers'] }]);
  const resync = pick(ctx, '`resync`', [...places('resync'), { value: entry.resync, path: [...crdPath, 'resync'] }]);
  const queue = pick(ctx, '`queue`', places('queue'));
  const declarative = pick(ctx, '`default`', places('default'));
  const status = pick(ctx, '`status`', [...places('status'), { value: asObj(ob.emit).status, path: [...obPath, 'emit', 'status'] }]);
  const cross = pick(ctx, '`cross`', [{ value: ob.cross, path: [...obPath, 'cross'] }, { value: asObj(ob.observe).cross, path: [...obPath, 'observe', 'cross'] }]);
  const autoscale = pick(ctx, '`autoscale`', [{ value: ob.autoscale, path: [...obPath, 'autoscale'] }, { value: asObj(ob.runtime).autoscale, path: [...obPath, 'runtime', 'autoscale'] }]);
  const finalizers = pick(ctx, '`finalizers`', [{ value: ob.finalizers, path: [...obPath, 'finalizers'] }, { value: asObj(ob.runtime).finalizers, path: [...obPath, 'runtime', 'finalizers'] }]);

  const workersValue = workers === undefined ? undefined : Number(workers.value);
  const box: OperatorBox = {
    declarative: asBool(declarative?.value, true),
    workers: workersValue !== undefined && Number.isInteger(workersValue) && workersValue > 0 ? workersValue : DEFAULT_WORKERS,
    workersDeclared: workersValue !== undefined && Number.isInteger(workersValue),
    onCreate: hook('onCreate'),
    onReconcile: hook('onReconcile'),
    onDelete: hook('onDelete'),
    status: status ? buildStatus(status.value, status.path, ctx) : { conditions: true, fields: [] },
    cross: cross ? asList(cross.value).flatMap((c, i) => (isObj(c) ? [buildCross(c, [...cross.path, i], ctx)] : [])) : [],
    providers: [],
    ...buildGate(ob, obPath, ctx),
    extra: toValueMap(ob, [
      'default', 'workers', 'resync', 'queue', 'reconcile', 'reconciler', 'onCreate', 'onReconcile', 'onDelete', 'status',
      'emit', 'cross', 'autoscale', 'finalizers', 'providers', 'when', 'or', 'anyOf',
    ]),
    source: ctx.at(obPath),
  };
  if (workers !== undefined && (workersValue === undefined || !Number.isInteger(workersValue)) && typeof workers.value === 'string' && workers.value.includes('{{')) {
    ctx.error(workers.path, '`workers` is read when the operator starts, before any CR exists; it cannot be a template', 'invalid-type');
  } else if (workers !== undefined && workersValue !== undefined && Number.isInteger(workersValue) && (workersValue < 1 || workersValue > 50)) {
    ctx.error(workers.path, `\`workers\` must be between 1 and 50, got ${workersValue}`, 'out-of-range');
  }
  if (resync !== undefined) {
    const s = asStr(resync.value);
    if (s !== undefined) box.resync = s;
  }
  if (queue !== undefined && isObj(queue.value)) box.queue = toValueMap(queue.value);
  if (autoscale !== undefined && isObj(autoscale.value)) box.autoscale = buildAutoscale(autoscale.value, autoscale.path, ctx);
  if (finalizers !== undefined) box.finalizers = asList(finalizers.value).flatMap((f) => (typeof f === 'string' ? [f] : []));
  for (const [name, list] of Object.entries(asObj(ob.providers))) {
    box.providers.push(buildProviderBlock(name, list, [...obPath, 'providers', name], undefined, ctx));
  }
  for (const h of [box.onCreate, box.onReconcile, box.onDelete]) box.providers.push(...h.providers);
  return box;
}

const STATUS_TYPES: Record<string, StatusFieldType> = {
  '': 'string', string: 'string', str: 'string', default: 'string', int: 'int', integer: 'int', float: 'float',
  bool: 'bool', boolean: 'bool', auto: 'auto',
};

function buildStatus(raw: unknown, path: Path, ctx: BuildContext): StatusSpec {
  const s = asObj(raw);
  const fields: StatusField[] = asList(s.fields).flatMap((f, i) => {
    if (!isObj(f)) return [];
    const p = [...path, 'fields', i];
    return [{
      path: asStr(f.path) ?? '',
      value: toValue(f.value),
      type: STATUS_TYPES[asStr(f.type) ?? ''] ?? 'string',
      clearOnFalse: asBool(f.clearOnFalse, false),
      ...buildGate(f, p, ctx),
      source: ctx.at(p),
    }];
  });
  return { conditions: s.conditions !== false, fields };
}

function buildCross(c: Raw, path: Path, ctx: BuildContext): CrossDecl {
  let labelSelector = isObj(c.labelSelector) ? toStringMap(c.labelSelector) : undefined;
  if (isObj(c.labels)) {
    ctx.warn([...path, 'labels'], '`cross.labels` was renamed `labelSelector` (v0.7.17)', 'deprecated', true);
    labelSelector ??= toStringMap(c.labels);
  }
  const crd = asStr(c.crd);
  if (crd === undefined && labelSelector === undefined) ctx.error(path, 'a cross declaration needs `crd:` (or `labelSelector:`)', 'missing-field');
  if (crd !== undefined && labelSelector !== undefined) ctx.error([...path, 'labelSelector'], '`crd` and `labelSelector` are exclusive; keep one', 'conflict', true);
  const as = asStr(c.as) ?? crd ?? '';
  if (c.as === undefined && crd !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(crd)) {
    ctx.warn([...path, 'crd'], `\`.cross.${crd}\` is not reachable from templates (\`-\` in the name); add \`as: <identifier>\``, 'cross-as');
  }
  const sel = asObj(c.selector);
  const decl: CrossDecl = { as, selector: {}, source: ctx.at(path) };
  if (crd !== undefined) decl.crd = crd;
  if (labelSelector !== undefined) decl.labelSelector = labelSelector;
  const name = asStr(sel.name);
  if (name !== undefined) decl.selector.name = name;
  const namespace = asStr(sel.namespace);
  if (namespace !== undefined) decl.selector.namespace = namespace;
  if (isObj(sel.matchLabels)) decl.selector.matchLabels = toStringMap(sel.matchLabels);
  const strategy = asStr(c.strategy);
  if (strategy !== undefined) decl.strategy = strategy;
  if (isObj(c.source)) decl.remote = toValueMap(c.source);
  return decl;
}

function buildAutoscale(a: Raw, path: Path, ctx: BuildContext): Autoscale {
  const conds = asObj(a.conditions);
  const gate = buildGate(conds, [...path, 'conditions'], ctx);
  const outer = buildGate(a, path, ctx);
  const d = asObj(a.do);
  const out: Autoscale = {
    interval: asStr(a.interval) ?? '15s',
    cooldown: asStr(a.cooldown) ?? '2m',
    when: [...gate.when, ...outer.when],
    or: [...gate.or, ...outer.or],
    do: {},
    source: ctx.at(path),
  };
  if (a.do === undefined && a.profile === undefined) ctx.error(path, 'autoscale needs `do:` (workers / queueDepth / resync) or a `profile:`', 'missing-field');
  if (d.workers !== undefined && Number.isInteger(Number(d.workers))) out.do.workers = Number(d.workers);
  if (d.queueDepth !== undefined && Number.isInteger(Number(d.queueDepth))) out.do.queueDepth = Number(d.queueDepth);
  const resync = asStr(d.resync);
  if (resync !== undefined) out.do.resync = resync;
  const profile = asStr(a.profile);
  if (profile !== undefined) out.profile = profile;
  return out;
}

function rulesOf(raw: unknown, path: Path): { list: unknown[]; listPath: Path; obj: Raw } {
  if (Array.isArray(raw)) return { list: raw, listPath: path, obj: {} };
  const obj = asObj(raw);
  return { list: asList(obj.rules), listPath: [...path, 'rules'], obj };
}

const VALUE_TYPES: readonly RuleValueType[] = ['string', 'int', 'integer', 'float', 'number', 'bool', 'boolean'];

/** The schema has checked the spelling already. */
function asValueType(v: unknown): RuleValueType | undefined {
  return VALUE_TYPES.find((t) => t === v);
}

function buildValidation(raw: unknown, path: Path, ctx: BuildContext): ValidationSpec {
  const { list, listPath, obj } = rulesOf(raw, path);
  const rules: ValidationRule[] = list.flatMap((r, i) => {
    if (!isObj(r)) return [];
    const p = [...listPath, i];
    const rule: ValidationRule = {
      path: formatPath(p),
      field: asStr(r.field) ?? '',
      condition: buildCondition(r, p, ctx, 'validation'),
      action: r.action === 'warn' ? 'warn' : 'deny',
      ...buildGate(r, p, ctx),
      atReconcile: asObj(r.fires).reconcile !== false,
      source: ctx.at(p),
    };
    const message = asStr(r.message);
    if (message !== undefined) rule.message = message;
    const valueType = asValueType(r.valueType);
    if (valueType !== undefined) rule.valueType = valueType;
    const link = asStr(r.link);
    if (link !== undefined) rule.link = link;
    return [rule];
  });
  const spec: ValidationSpec = {
    rules,
    external: asList(obj.external).flatMap((c, i) => (isObj(c) ? [buildExternal(c, [...path, 'external', i], ctx)] : [])),
  };
  const include = asStr(obj.include);
  if (include !== undefined) spec.include = include;
  return spec;
}

function buildMutation(raw: unknown, path: Path, ctx: BuildContext): MutationSpec {
  const { list, listPath, obj } = rulesOf(raw, path);
  const spec: MutationSpec = {
    mutateFirst: asBool(obj.mutateFirst, false),
    rules: list.flatMap((r, i) => {
      if (!isObj(r)) return [];
      const p = [...listPath, i];
      if (r.default !== undefined && r.override !== undefined) ctx.error([...p, 'override'], 'a mutation rule sets `default` or `override`, not both', 'conflict', true);
      if (r.default === undefined && r.override === undefined) ctx.error(p, 'a mutation rule needs `default:` or `override:`', 'missing-field');
      const field = asStr(r.field) ?? '';
      // The field names where the value is written (and, at admission, a JSONPatch path): a
      // template there would let one rule write anywhere.
      if (field.includes('{{')) ctx.error([...p, 'field'], 'a mutation `field` is a dot path (`spec.replicas`), not a template', 'invalid-value');
      const rule: MutationSpec['rules'][number] = {
        path: formatPath(p),
        field,
        ...buildGate(r, p, ctx),
        atReconcile: asObj(r.fires).reconcile !== false,
        source: ctx.at(p),
      };
      if (r.default !== undefined) rule.default = toValue(r.default);
      if (r.override !== undefined) rule.override = toValue(r.override);
      const valueType = asValueType(r.valueType);
      if (valueType !== undefined) rule.valueType = valueType;
      return [rule];
    }),
    external: asList(obj.external).flatMap((c, i) => (isObj(c) ? [buildExternal(c, [...path, 'external', i], ctx)] : [])),
  };
  const include = asStr(obj.include);
  if (include !== undefined) spec.include = include;
  return spec;
}

function buildNormalize(raw: unknown, path: Path, ctx: BuildContext): NormalizeSpec {
  return {
    fields: Object.entries(asObj(asObj(raw).spec)).map(([p, template]) => ({
      path: p, template: toValue(template), at: formatPath([...path, 'spec', p]), source: ctx.at([...path, 'spec', p]),
    })),
  };
}

function buildConversion(raw: unknown, path: Path, ctx: BuildContext, api: ApiTypes): ConversionSpec {
  const c = asObj(raw);
  const spec: ConversionSpec = {
    paths: asList(c.paths).flatMap((p, i) => (isObj(p) ? [{
      from: asStr(p.from) ?? '', to: asStr(p.to) ?? '', spec: toValueMap(p.spec), source: ctx.at([...path, 'paths', i]),
    }] : [])),
    updateCRD: asBool(c.updateCRD, false),
    participant: asBool(c.participant, false),
  };
  const storage = asStr(c.storageVersion);
  if (storage !== undefined) spec.storageVersion = storage;
  const seen = new Set<string>();
  spec.paths.forEach((p, i) => {
    const key = `${p.from}→${p.to}`;
    if (seen.has(key)) ctx.error([...path, 'paths', i], `duplicate conversion path from \`${p.from}\` to \`${p.to}\``, 'duplicate');
    seen.add(key);
    if (p.from !== '' && p.from === p.to) ctx.error([...path, 'paths', i, 'to'], `a conversion path converts between two versions; \`from\` and \`to\` are both \`${p.from}\``, 'invalid-value');
  });
  // Versions are only known for sure when the CRD file or apiTypes.versions lists several.
  if (api.versions.length > 1) {
    for (const [i, p] of spec.paths.entries()) {
      for (const end of ['from', 'to'] as const) {
        if (p[end] !== '' && !api.versions.includes(p[end])) {
          ctx.error([...path, 'paths', i, end], `conversion ${end} \`${p[end]}\` is not a version of this CRD (${api.versions.join(', ')})`, 'invalid-value');
        }
      }
    }
    if (storage !== undefined && !api.versions.includes(storage)) {
      ctx.error([...path, 'storageVersion'], `storageVersion \`${storage}\` is not a version of this CRD (${api.versions.join(', ')})`, 'invalid-value');
    }
  }
  return spec;
}
