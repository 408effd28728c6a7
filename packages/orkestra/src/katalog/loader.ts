// Katalog file → validated, normalized model, or every problem at once. Pipeline per file:
// YAML (with positions) → per document: kind check, `include:` expansion, schema (zod), builders (era mapping, semantic
// checks), crdFile, provider auth ($ENV), template compilation → one Katalog.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { katalogSchema } from './schema.ts';
import type { ApiTypes, CrdEntry, Diagnostic, Katalog, KatalogMetadata, LoadResult, ProviderRequirement, SecurityConfig, SourcePos } from './model.ts';
import { parseYamlFile, DocPositions } from './source.ts';
import type { Path } from './source.ts';
import { issuesToDiagnostics } from './issues.ts';
import { BuildContext, asBool, asList, asObj, asStr, isObj, toStringMap, toValueMap } from './context.ts';
import type { Raw } from './context.ts';
import { buildCrdEntry } from './build.ts';
import { readCrdFile } from './crdfile.ts';
import { TemplateIndex } from './templates.ts';
import type { TemplateCompiler } from './templates.ts';
import { sortDiagnostics } from './diagnostics.ts';
import { defaultTemplateCompiler } from './compiler.ts';
import { refuseUnsupported } from './unsupported.ts';
import { expandIncludes } from './include.ts';

export interface LoadOptions {
  /** Environment for provider `auth` expansion; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Template compiler; default src/template. `null` skips template compilation. */
  compiler?: TemplateCompiler | null;
  /**
   * `refuse` (default, what `ork validate` and `ork run` use): a key without a runtime consumer
   * (support.ts) is an error. `allow` loads such keys into the model, for tests of the model of
   * features not built yet.
   */
  unsupported?: 'refuse' | 'allow';
}

export async function loadKatalog(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `Katalog file not found: ${abs}` : `cannot read Katalog file ${abs}: ${code ?? String(err)}`;
    return { ok: false, errors: [{ severity: 'error', file: abs, line: 1, column: 1, path: '', message, code: 'file' }], warnings: [] };
  }
  return loadKatalogText(text, abs, options);
}

/** Loads Katalog YAML given as text; `file` names it in diagnostics and anchors relative paths. */
export function loadKatalogText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const abs = isAbsolute(file) ? file : resolve(file);
  const env = options.env ?? process.env;
  const compiler = options.compiler === undefined ? defaultTemplateCompiler() : options.compiler;
  const diagnostics: Diagnostic[] = [];
  const parsed = parseYamlFile(abs, text);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return finish(diagnostics, undefined);

  const docs: { where: DocPositions; js: Raw }[] = [];
  for (const doc of parsed.docs) {
    const where = new DocPositions(parsed, doc);
    const js: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (js === null || js === undefined) continue; // empty document (comments only)
    if (!isObj(js)) {
      const p = where.at([]);
      diagnostics.push({ severity: 'error', ...p, path: '', message: 'expected a Katalog document (a map with apiVersion, kind, metadata, spec)', code: 'invalid-type' });
      continue;
    }
    if (js.kind !== 'Katalog') {
      const p = js.kind === undefined ? where.at([]) : where.at(['kind']);
      const kind = js.kind === undefined ? 'missing `kind`' : `kind \`${String(js.kind)}\``;
      const extra = js.kind === 'Komposer' ? ' (Komposer composition is not supported yet; load each Katalog file instead)' : '';
      diagnostics.push({ severity: 'error', ...p, path: 'kind', message: `${kind}: expected \`Katalog\`${extra}`, code: 'unsupported-kind' });
      continue;
    }
    expandIncludes(js, katalogSchema, where, diagnostics);
    docs.push({ where, js });
  }
  if (docs.length === 0 && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ severity: 'error', file: abs, line: 1, column: 1, path: '', message: 'no Katalog document in the file', code: 'empty' });
  }

  // Provider names first: hook keys are checked against them in every document.
  const providerNames = docs.flatMap(({ js }) => asList(js.providers).flatMap((p) => (isObj(p) && typeof p.name === 'string' ? [p.name] : [])));
  const declared = docs.some(({ js }) => js.providers !== undefined) ? new Set(providerNames) : undefined;

  const templates = compiler === null ? undefined : new TemplateIndex(compiler);
  const crds: CrdEntry[] = [];
  const crdSeen = new Map<string, SourcePos>();
  const providers: ProviderRequirement[] = [];
  let security: SecurityConfig | undefined;
  let securityAt: SourcePos | undefined;
  const finalizers: string[] = [];
  for (const { where, js } of docs) {
    const ctx = new BuildContext(where, diagnostics, declared);
    const schemaIssues = katalogSchema.safeParse(js);
    if (options.unsupported !== 'allow') refuseUnsupported(js, katalogSchema, ctx);

    const spec = asObj(js.spec);
    for (const { name, raw, path } of crdEntries(spec.crds)) {
      const at = typeof path[path.length - 1] === 'string' ? where.keyAt(path) : where.at(path);
      const first = crdSeen.get(name);
      if (first !== undefined) {
        ctx.error(path, `duplicate CRD \`${name}\` (first declared at ${relative(first, abs)})`, 'duplicate', typeof path[path.length - 1] === 'string');
        continue;
      }
      crdSeen.set(name, at);
      let fromFile: ApiTypes | undefined;
      const crdFile = asStr(raw.crdFile);
      let crdFileAbs: string | undefined;
      if (crdFile !== undefined) {
        if (/^[a-z]+:\/\//.test(crdFile)) {
          if (raw.apiTypes === undefined) ctx.error([...path, 'crdFile'], 'crdFile URLs are not supported yet; use a local path or declare `apiTypes`', 'crd-file');
        } else {
          crdFileAbs = resolve(dirname(abs), crdFile);
          const r = readCrdFile(crdFileAbs);
          if (r.ok) fromFile = r.apiTypes;
          else if (raw.apiTypes === undefined) ctx.error([...path, 'crdFile'], r.message, 'crd-file');
          else ctx.warn([...path, 'crdFile'], `${r.message} (apiTypes used instead)`, 'crd-file');
        }
      }
      const entry = buildCrdEntry(name, raw, path, ctx, fromFile);
      if (crdFileAbs !== undefined) entry.crdFile = crdFileAbs;
      crds.push(entry);
    }

    asList(js.providers).forEach((p, i) => {
      if (!isObj(p)) return;
      const req = buildProviderRequirement(p, ['providers', i], ctx, env);
      if (providers.some((q) => q.name === req.name)) ctx.error(['providers', i, 'name'], `duplicate provider \`${req.name}\``, 'duplicate');
      else providers.push(req);
    });
    if (isObj(js.security)) {
      if (security !== undefined) ctx.error(['security'], `\`security\` is declared in more than one document (first at ${relative(securityAt!, abs)})`, 'duplicate', true);
      else {
        security = buildSecurity(js.security);
        securityAt = where.keyAt(['security']);
      }
    }
    finalizers.push(...asList(spec.finalizers).flatMap((f) => (typeof f === 'string' ? [f] : [])));

    if (!schemaIssues.success) {
      const claimed = ctx.claimed;
      const fromSchema = issuesToDiagnostics(schemaIssues.error.issues, katalogSchema, js, where)
        .filter((d) => !claimed.some((c) => d.path === c || d.path.startsWith(c + '.') || d.path.startsWith(c + '[')));
      diagnostics.push(...fromSchema);
    }
    templates?.compileAll(js, where, diagnostics);
  }

  if (security?.conversion.enabled !== true) {
    for (const crd of crds) {
      if (crd.conversion !== undefined && crd.conversion.paths.length > 0) {
        const p = crd.conversion.paths[0]!.source;
        diagnostics.push({ severity: 'warning', ...p, path: `spec.crds.${crd.name}.conversion`, code: 'conversion-disabled',
          message: 'conversion paths are served only with `security.conversion.enabled: true` (or ENABLE_CONVERSION=true)' });
      }
    }
  }

  const first = docs[0];
  if (first === undefined) return finish(diagnostics, undefined);
  const katalog: Katalog = {
    apiVersion: asStr(first.js.apiVersion) ?? '',
    kind: 'Katalog',
    file: abs,
    metadata: buildMetadata(first.js.metadata),
    crds,
    providers,
    finalizers,
    templates: templates?.compiled ?? new Map(),
    source: first.where.at([]),
  };
  if (security !== undefined) katalog.security = security;
  return finish(diagnostics, katalog);
}

function finish(diagnostics: Diagnostic[], katalog: Katalog | undefined): LoadResult {
  const sorted = dedupe(sortDiagnostics(diagnostics));
  const errors = sorted.filter((d) => d.severity === 'error');
  const warnings = sorted.filter((d) => d.severity === 'warning');
  if (errors.length > 0 || katalog === undefined) return { ok: false, errors, warnings };
  return { ok: true, katalog, warnings };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.severity}|${d.file}|${d.line}|${d.column}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function relative(p: SourcePos, katalogFile: string): string {
  return p.file === katalogFile ? `line ${p.line}` : `${p.file}:${p.line}`;
}

/** Map form (`website: {…}`) or list form (`- name: website`), with the path of each entry. */
function crdEntries(crds: unknown): { name: string; raw: Raw; path: Path }[] {
  if (Array.isArray(crds)) {
    return crds.flatMap((e, i) => (isObj(e) && typeof e.name === 'string' ? [{ name: e.name, raw: e, path: ['spec', 'crds', i] }] : []));
  }
  return Object.entries(asObj(crds)).map(([name, raw]) => ({ name, raw: asObj(raw), path: ['spec', 'crds', name] }));
}

function buildMetadata(raw: unknown): KatalogMetadata {
  const m = asObj(raw);
  const meta: KatalogMetadata = {
    name: asStr(m.name) ?? '',
    namespace: asStr(m.namespace) ?? 'default',
    extra: toValueMap(m, ['name', 'namespace', 'description', 'version', 'labels']),
  };
  const description = asStr(m.description);
  if (description !== undefined) meta.description = description;
  const version = asStr(m.version);
  if (version !== undefined) meta.version = version;
  if (isObj(m.labels)) meta.labels = toStringMap(m.labels);
  return meta;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Expands `$VAR` / `${VAR}` in auth values. Values never appear in diagnostics, only names. */
function buildProviderRequirement(p: Raw, path: Path, ctx: BuildContext, env: Readonly<Record<string, string | undefined>>): ProviderRequirement {
  const name = asStr(p.name) ?? '';
  const required = asBool(p.required, false);
  const auth: Record<string, string> = {};
  const authEnv: Record<string, string[]> = {};
  for (const [key, rawValue] of Object.entries(asObj(p.auth))) {
    const value = asStr(rawValue);
    if (value === undefined) continue;
    const vars: string[] = [];
    const missing: string[] = [];
    const expanded = value.replace(ENV_REF, (_m, braced: string | undefined, bare: string | undefined) => {
      const v = (braced ?? bare)!;
      vars.push(v);
      const got = env[v];
      if (got === undefined) missing.push(v);
      return got ?? '';
    });
    if (vars.length > 0) authEnv[key] = vars;
    if (missing.length === 0) auth[key] = expanded;
    for (const v of missing) {
      const msg = `environment variable ${v} is not set (auth.${key} of provider \`${name}\`)`;
      if (required) ctx.error([...path, 'auth', key], `${msg}; the provider is \`required: true\``, 'missing-env');
      else ctx.warn([...path, 'auth', key], `${msg}; the provider will not be registered`, 'missing-env');
    }
  }
  const req: ProviderRequirement = { name, required, auth, authEnv, source: ctx.at(path) };
  const version = asStr(p.version);
  if (version !== undefined) req.version = version;
  const library = asStr(p.library);
  if (library !== undefined) req.library = library;
  return req;
}

const policy = (v: unknown, d: 'Fail' | 'Ignore'): 'Fail' | 'Ignore' => (v === 'Fail' || v === 'Ignore' ? v : d);

/** Reference §2.8 defaults: a `security:` block turns deletion protection on unless it says otherwise. */
function buildSecurity(s: Raw): SecurityConfig {
  const dp = asObj(s.deletionProtection);
  const wh = asObj(s.webhooks);
  const conv = asObj(s.conversion);
  const out: SecurityConfig = {
    deletionProtection: {
      enabled: asBool(dp.enabled, true),
      failurePolicy: policy(dp.failurePolicy, 'Fail'),
      cleanupOnShutdown: asBool(dp.cleanupOnShutdown, false),
      strictMode: asBool(dp.strictMode, false),
    },
    webhooks: {
      admission: { enabled: asBool(asObj(wh.admission).enabled, false) },
      failurePolicy: policy(wh.failurePolicy, 'Ignore'),
      cleanupOnShutdown: asBool(wh.cleanupOnShutdown, false),
    },
    conversion: {
      enabled: asBool(conv.enabled, asBool(asObj(wh.conversion).enabled, false)),
      conversionWindow: Number.isInteger(Number(conv.conversionWindow)) && conv.conversionWindow !== undefined ? Number(conv.conversionWindow) : 100,
    },
    extra: toValueMap(s, ['deletionProtection', 'namespaceProtection', 'webhooks', 'conversion', 'certManager']),
  };
  if (isObj(s.namespaceProtection)) {
    const np = s.namespaceProtection;
    out.namespaceProtection = {
      enabled: asBool(np.enabled, true),
      failurePolicy: policy(np.failurePolicy, 'Fail'),
      restrictedNamespaces: asList(np.restrictedNamespaces).flatMap((n) => (typeof n === 'string' ? [n] : [])),
      allowedNamespaces: asList(np.allowedNamespaces).flatMap((n) => (typeof n === 'string' ? [n] : [])),
      cleanupOnShutdown: asBool(np.cleanupOnShutdown, false),
    };
  }
  if (isObj(s.certManager)) out.certManager = toValueMap(s.certManager);
  return out;
}

