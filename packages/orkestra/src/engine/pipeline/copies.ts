// Copies (reference §10.4, §10.5): a Secret declaration with `fromSecret` (a ConfigMap one with
// `fromConfigMap`) copies that object from `fromNamespace` into every namespace of `toNamespaces`.
// One declaration, several objects: planning returns one intent per target namespace.
//
//   source      `fromNamespace` (default: the CR's namespace) / `fromSecret`, both templates, read
//               from a cache of the source namespace (`engine/copies.ts`), never with a GET
//   targets     each `toNamespaces` element is a template; one that renders a list (Go's
//               `[a b]`, JSON `["a","b"]`, YAML flow or block) counts as several. Without
//               `toNamespaces`: the declaration's `namespace`, else the CR's
//   the copy    the source's `data` (Secrets: and `type`, unless the declaration sets one;
//               ConfigMaps: and `binaryData`), named
//               like the source unless `name` says otherwise, with the standard labels (so it is
//               this CR's child and goes with it) and the declaration's labels and annotations
//   sync        always drift-corrected, whatever the hook: a change of the source wakes the CRs
//               that copy it and their copies follow in that reconcile; a false `when:` removes them
//
// The stage `openCopyCaches` runs before planning (it may wait for a view's first list, which
// planning must not); planning itself reads only synchronized caches.
import { evaluateConditions } from '../../conditions/evaluate.ts';
import { findDifference, isUnchanged, type KubeObject } from '../../kube/index.ts';
import type { HookName, ResourceDecl } from '../../katalog/model.ts';
import { kindOrder, resourceBuilder, type Manifest } from '../resources/index.ts';
import { cachedChild, isChildOf } from '../children.ts';
import { COPY_GVK, copyKindOf, type CopyKind } from '../copies.ts';
import { DeclarationError, MissingSourceError } from '../errors.ts';
import type { ChildIntent } from '../intents.ts';
import type { ReconcileScope } from '../scope.ts';

export const ANNOTATION_COPIED_FROM = 'orkestra.orkspace.io/copied-from';

const SOURCE_FIELD: Record<CopyKind, string> = { secrets: 'fromSecret', configMaps: 'fromConfigMap' };
/** The fields a copy takes from its source; declaring them as well would be contradictory. */
const COPIED_FIELDS: Record<CopyKind, string[]> = {
  secrets: ['data', 'stringData', 'encodedData'],
  configMaps: ['data', 'binaryData'],
};
const COPY_KEYS = ['fromSecret', 'fromConfigMap', 'fromNamespace', 'toNamespaces'];
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface CopySource {
  kind: CopyKind;
  namespace: string;
  name: string;
}

/** The rendered source of a copy declaration. Throws RenderError. */
export function copySource(scope: ReconcileScope, d: ResourceDecl, kind: CopyKind): CopySource {
  const r = scope.renderer;
  const field = SOURCE_FIELD[kind];
  const name = r.string(String(d.spec[field]), `${d.path}.${field}`).trim();
  const ns = d.spec.fromNamespace === undefined ? scope.build.namespace : r.string(String(d.spec.fromNamespace), `${d.path}.fromNamespace`).trim();
  return { kind, namespace: ns, name };
}

/**
 * Splits one rendered `toNamespaces` element into namespace names. Go renders a list as
 * `[a b]`; `toJson` gives `["a","b"]`, `toYaml` a block list; a hand-written value may be a
 * flow list or `a, b`. Namespace names contain neither spaces, commas, brackets nor quotes, so
 * splitting on them is never ambiguous.
 */
export function parseNamespaceList(rendered: string): string[] {
  let s = rendered.trim();
  if (s.startsWith('[') && s.endsWith(']')) {
    try {
      const json: unknown = JSON.parse(s);
      if (Array.isArray(json)) return json.map((x) => String(x).trim()).filter((x) => x !== '');
    } catch {
      // Not JSON: Go's `[a b]` or a YAML flow list `[a, 'b']`.
    }
    s = s.slice(1, -1);
  } else if (/^-(\s|$)/m.test(s)) {
    s = s.split('\n').map((line) => line.replace(/^\s*-\s*/, '')).join(' ');
  }
  return s.split(/[\s,]+/).map((x) => x.replace(/^["']|["']$/g, '')).filter((x) => x !== '');
}

/** The target namespaces of a copy, in declaration order without repeats. Throws RenderError / DeclarationError. */
export function targetNamespaces(scope: ReconcileScope, d: ResourceDecl): string[] {
  const r = scope.renderer;
  const raw = d.spec.toNamespaces;
  if (raw === undefined) {
    return [d.spec.namespace === undefined ? scope.build.namespace : r.string(String(d.spec.namespace), `${d.path}.namespace`).trim()];
  }
  const elements = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  const problems: { path: string; message: string }[] = [];
  elements.forEach((e, i) => {
    const path = Array.isArray(raw) ? `toNamespaces[${i}]` : 'toNamespaces';
    for (const ns of parseNamespaceList(r.string(String(e), `${d.path}.${path}`))) {
      if (!NAMESPACE_NAME.test(ns) || ns.length > 63) problems.push({ path, message: `"${ns}" is not a namespace name` });
      else if (!out.includes(ns)) out.push(ns);
    }
  });
  if (problems.length > 0) throw new DeclarationError(d.path, problems);
  return out;
}

/**
 * Stage "copy caches": opens the source and target views this CR's copy declarations need, and
 * records which sources it copies (so their changes wake it). Render failures are left to
 * planning, which reports them with the field; a view that cannot be opened is logged here and
 * reported by planning as not ready (retried).
 */
export async function openCopyCaches(scope: ReconcileScope): Promise<void> {
  const box = scope.box;
  const ob = box.entry.operatorBox;
  const sources: CopySource[] = [];
  const opening: Promise<unknown>[] = [];
  for (const hook of [ob.onCreate, ob.onReconcile]) {
    for (const d of hook.resources) {
      const kind = copyKindOf(d);
      if (!kind) continue;
      try {
        const source = copySource(scope, d, kind);
        sources.push(source);
        opening.push(box.copies.openSource(kind, source.namespace));
        opening.push(...targetNamespaces(scope, d).map((ns) => box.copies.openTarget(kind, ns)));
      } catch {
        continue;
      }
    }
  }
  box.copies.track(scope.key, sources);
  for (const s of await Promise.allSettled(opening)) {
    if (s.status === 'rejected') box.log.warn({ cr: box.describe(scope.cr), err: s.reason instanceof Error ? s.reason.message : String(s.reason) }, 'a cache for a copy could not be opened');
  }
}

/** Plans one copy declaration: one intent per target namespace. */
export function planCopies(scope: ReconcileScope, hook: HookName, d: ResourceDecl, kind: CopyKind): ChildIntent[] {
  const box = scope.box;
  const r = scope.renderer;
  const declared = COPIED_FIELDS[kind].filter((k) => d.spec[k] !== undefined);
  if (declared.length > 0 || d.once) {
    const problems = declared.map((k) => ({ path: k, message: `a copy takes ${k} from its ${SOURCE_FIELD[kind]} source; remove it` }));
    if (d.once) problems.push({ path: 'once', message: 'a copy follows its source; once does not apply' });
    throw new DeclarationError(d.path, problems);
  }
  const gate = evaluateConditions(d.when, d.or, r.data, r.conditionRender);
  const source = copySource(scope, d, kind);
  const targets = targetNamespaces(scope, d);
  const base = { source: d.path, hook, order: kindOrder(d.kind) };
  const name = d.spec.name === undefined ? source.name : r.string(String(d.spec.name), `${d.path}.name`);

  if (!gate.pass) {
    const intents: ChildIntent[] = [];
    for (const ns of targets) {
      const child = box.copies.target(kind, ns);
      const live = child && cachedChild(child, name, ns);
      if (child && live && isChildOf(live, scope.owner)) intents.push({ ...base, child, verb: 'delete', reason: 'when-false', live });
    }
    return intents;
  }

  const view = box.copies.source(kind, source.namespace);
  if (!view) throw new Error(`${d.path}.fromNamespace: the cache of ${COPY_GVK[kind].kind}s in namespace "${source.namespace}" is not ready`);
  const original = view.get(source.name, source.namespace);
  if (!original) {
    throw new MissingSourceError(`${d.path}.${SOURCE_FIELD[kind]}`, `${COPY_GVK[kind].kind} ${source.namespace}/${source.name} not found (the source of this copy)`);
  }

  const spec = Object.fromEntries(Object.entries(d.spec).filter(([k]) => !COPY_KEYS.includes(k)));
  const rendered = r.tree(spec, d.path) as Record<string, unknown>;
  const intents: ChildIntent[] = [];
  for (const ns of targets) {
    if (ns === source.namespace && name === source.name) {
      throw new DeclarationError(d.path, [{ path: d.spec.toNamespaces === undefined ? 'namespace' : 'toNamespaces', message: `the copy would overwrite its own source ${source.namespace}/${source.name}` }]);
    }
    const desired = copyManifest(scope, d, kind, { ...rendered, name, namespace: ns }, original);
    const child = box.copies.target(kind, ns);
    if (!child) throw new Error(`${d.path}.toNamespaces: the cache of ${COPY_GVK[kind].kind}s in namespace "${ns}" is not ready`);
    const live = cachedChild(child, name, ns);
    intents.push(compare({ ...base, child }, desired, live));
  }
  return intents;
}

function copyManifest(scope: ReconcileScope, d: ResourceDecl, kind: CopyKind, spec: Record<string, unknown>, original: KubeObject): Manifest {
  const built = resourceBuilder(d.kind)!.build(spec, scope.build);
  if (!built.ok) throw new DeclarationError(d.path, built.errors);
  const { stringData: _sd, data: _d, binaryData: _b, type: _t, ...m } = built.manifest as Manifest & Record<string, unknown>;
  const src = original as KubeObject & { data?: Record<string, string>; binaryData?: Record<string, string>; type?: string };
  const from = `${original.metadata?.namespace}/${original.metadata?.name}`;
  m.metadata = { ...m.metadata, annotations: { ...m.metadata.annotations, [ANNOTATION_COPIED_FROM]: from } };
  // The stored form on both sides (Secrets' data is base64 already): an unchanged copy costs nothing.
  const body = kind === 'secrets'
    ? { type: typeof spec.type === 'string' ? spec.type : (src.type ?? 'Opaque'), data: { ...(src.data ?? {}) } }
    : { data: { ...(src.data ?? {}) }, ...(src.binaryData ? { binaryData: { ...src.binaryData } } : {}) };
  return { ...m, ...body } as Manifest;
}

type IntentBase = Pick<ChildIntent, 'source' | 'hook' | 'order' | 'child'>;

/**
 * A key the source dropped is still in the copy, and "every field we set matches" cannot see it:
 * such a copy is sent whole (`replace`), and server-side apply removes the keys this manager
 * no longer sets.
 */
function compare(base: IntentBase, desired: Manifest, live: KubeObject | undefined): ChildIntent {
  if (!live) return { ...base, verb: 'create', reason: 'missing', desired };
  const removed = droppedKey(desired, live);
  if (removed) return { ...base, verb: 'apply', reason: 'drift', desired, live, replace: true, difference: { path: removed, desired: undefined, live: '(hidden)' } };
  if (isUnchanged(desired, live)) return { ...base, verb: 'keep', reason: 'unchanged', live };
  const { apiVersion: _a, kind: _k, ...body } = desired;
  const difference = findDifference(body, live);
  // A Secret's values never leave the engine: the difference names the field only.
  return { ...base, verb: 'apply', reason: 'drift', desired, live, ...(difference ? { difference: { path: difference.path, desired: '(hidden)', live: '(hidden)' } } : {}) };
}

function droppedKey(desired: Manifest, live: KubeObject): string | undefined {
  for (const field of ['data', 'binaryData']) {
    const want = ((desired as Record<string, unknown>)[field] ?? {}) as Record<string, unknown>;
    const have = ((live as Record<string, unknown>)[field] ?? {}) as Record<string, unknown>;
    const gone = Object.keys(have).find((k) => !(k in want));
    if (gone !== undefined) return `${field}.${gone}`;
  }
  return undefined;
}
