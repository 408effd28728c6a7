// Stage "resources": for each lifecycle hook, render each declaration, gate it with `when:`,
// build the manifest and compare it with the cached child. The result is one intent per
// declaration — a copy (`fromSecret`, `fromConfigMap`) one per target namespace (`copies.ts`),
// a `forEach` one per item (`for-each.ts`); nothing is written here (the executor does that).
//   onCreate            ensure it exists (left alone once it does)
//   onReconcile /
//   reconcile: true     make it match on every cycle (drift correction); removed when its
//                       `when:` turns false (conditional provisioning)
//   once (Secrets)      create once; re-created with fresh values after `rotateAfter`
//   tls (Secrets)       generated once, renewed when due, whatever the hook (`tls.ts`)
//   jobs                always create-once (a Job is terminal)
//   copies              always drift-corrected: they follow their source
//   forEach             per item as above; drift-corrected ones also remove the children of
//                       items that left the list
// A declaration that cannot be planned stops the writes of its kind and of every later kind
// (the reference's fixed kind order: a Deployment is not created without the Secret it reads).
import { evaluateConditions } from '../../conditions/evaluate.ts';
import { parseDuration } from '../../conditions/cron.ts';
import { findDifference, isUnchanged } from '../../kube/index.ts';
import type { Hook, HookName, ResourceDecl } from '../../katalog/model.ts';
import { kindOrder, resourceBuilder, type BuildContext, type Manifest } from '../resources/index.ts';
import { cachedChild, isChildOf, type ChildKind } from '../children.ts';
import { Renderer } from '../render.ts';
import { DeclarationError, issuesOf } from '../errors.ts';
import type { ChildIntent } from '../intents.ts';
import { copyKindOf } from '../copies.ts';
import { planCopies } from './copies.ts';
import { isTlsSecret, planTls } from './tls.ts';
import { ANNOTATION_DECLARATION, planForEach, planSweeps, type Sweep } from './for-each.ts';
import type { BoxContext } from '../box-context.ts';
import type { ReconcileScope } from '../scope.ts';

export const ANNOTATION_GENERATED_AT = 'orkestra.orkspace.io/generated-at';

const HOOK_RANK: Record<HookName, number> = { onCreate: 0, onReconcile: 1, onDelete: 2 };

/** Where an intent runs in a reconcile: hooks in order, kinds in apply order within a hook. */
export function position(hook: HookName, order: number): number {
  return HOOK_RANK[hook] * 1000 + order;
}

type Mode = 'create' | 'apply' | 'once';

function modeOf(hook: HookName, d: ResourceDecl): Mode {
  if (d.kind === 'jobs') return 'create';
  const drift = hook === 'onReconcile' || d.reconcile;
  if (d.once && !drift) return 'once';
  return drift ? 'apply' : 'create';
}

/** The ChildKind a built manifest belongs to (custom kinds are keyed by apiVersion and kind). */
export function childKindFor(box: BoxContext, d: ResourceDecl, m: Pick<Manifest, 'apiVersion' | 'kind'>): ChildKind | undefined {
  return d.kind === 'custom' ? box.kinds.get(`custom:${m.apiVersion}:${m.kind}`) : box.kinds.get(d.kind);
}

/** Plans onCreate and onReconcile. Problems go to `scope.issues`; `scope.haltAt` marks the first. */
export function planResources(scope: ReconcileScope): void {
  const ob = scope.box.entry.operatorBox;
  const sweeps: Sweep[] = [];
  for (const hook of [ob.onCreate, ob.onReconcile]) planHook(scope, hook, sweeps);
  // After every declaration is planned: a child another declaration still wants is never swept.
  // A declaration that failed wants children nobody can list, so nothing is swept then.
  if (scope.haltAt === undefined) scope.intents.push(...planSweeps(scope, sweeps));
}

function planHook(scope: ReconcileScope, hook: Hook, sweeps: Sweep[]): void {
  if (hook.resources.length === 0) return;
  const r = scope.renderer;
  let gate;
  try {
    gate = evaluateConditions(hook.when, hook.or, r.data, r.conditionRender);
  } catch (err) {
    fail(scope, position(hook.name, 0), err);
    return;
  }
  if (!gate.pass) return;
  for (const d of hook.resources) {
    const at = position(hook.name, kindOrder(d.kind));
    try {
      const copy = copyKindOf(d);
      const planned = copy ? planCopies(scope, hook.name, d, copy)
        : isTlsSecret(d) ? [planTls(scope, hook.name, d)]
        : d.forEach ? planForEach(scope, d, (r) => planDeclaration(scope, hook.name, d, r))
        : [planDeclaration(scope, hook.name, d)];
      for (const intent of planned) if (intent) scope.intents.push(intent);
      if (d.forEach && modeOf(hook.name, d) === 'apply') sweeps.push({ d, hook: hook.name });
    } catch (err) {
      fail(scope, at, err);
    }
  }
}

function fail(scope: ReconcileScope, at: number, err: unknown): void {
  scope.issues.push(...issuesOf(err));
  scope.haltAt = Math.min(scope.haltAt ?? Infinity, at);
}

/** Renders and builds one declaration; throws RenderError / DeclarationError. */
export function buildDeclaration(scope: ReconcileScope, d: ResourceDecl, renderer: Renderer = scope.renderer, build: BuildContext = scope.build): Manifest {
  const builder = resourceBuilder(d.kind);
  if (!builder) throw new DeclarationError(d.path, [{ path: 'kind', message: `no builder for kind ${d.kind}` }]);
  const built = builder.build(renderer.tree(d.spec, d.path) as Record<string, unknown>, build);
  if (!built.ok) throw new DeclarationError(d.path, built.errors);
  return asStored(built.manifest);
}

/** One intent for one declaration (or one forEach item, rendered by `r`). */
function planDeclaration(scope: ReconcileScope, hook: HookName, d: ResourceDecl, r: Renderer = scope.renderer): ChildIntent | undefined {
  const box = scope.box;
  const mode = modeOf(hook, d);
  const gate = evaluateConditions(d.when, d.or, r.data, r.conditionRender);
  const desired = buildDeclaration(scope, d, r);
  if (d.forEach) mark(desired, d);
  const child = childKindFor(box, d, desired);
  const live = child ? cachedChild(child, desired.metadata.name, desired.metadata.namespace) : undefined;
  const base = { source: d.path, hook, order: kindOrder(d.kind), child };

  if (!gate.pass) {
    // A drift-corrected child whose condition turned false is removed (conditional provisioning).
    if (mode === 'apply' && live && isChildOf(live, scope.owner)) return { ...base, verb: 'delete', reason: 'when-false', live };
    return undefined;
  }
  if (!live) {
    if (mode === 'once') stamp(desired, scope.now);
    return { ...base, verb: 'create', reason: 'missing', desired };
  }
  if (mode === 'create') return { ...base, verb: 'keep', reason: 'exists', live };
  if (mode === 'once') {
    const rotateMs = d.rotateAfter ? parseDuration(d.rotateAfter) : undefined;
    const generatedAt = Date.parse(live.metadata?.annotations?.[ANNOTATION_GENERATED_AT] ?? '');
    const due = rotateMs !== undefined && (Number.isNaN(generatedAt) || scope.now.getTime() - generatedAt >= rotateMs);
    if (!due) return { ...base, verb: 'keep', reason: 'exists', live };
    // A rotation must produce new random values: seed with the rotation time.
    const fresh = buildDeclaration(scope, d, new Renderer(r.data, { seed: `${scope.cr.metadata?.uid}:${iso(scope.now)}${d.forEach ? `:${String(r.data.index)}` : ''}`, context: box.describe(scope.cr) }));
    if (d.forEach) mark(fresh, d);
    stamp(fresh, scope.now);
    return { ...base, verb: 'rotate', reason: 'rotation-due', desired: fresh, live };
  }
  if (isUnchanged(desired, live)) return { ...base, verb: 'keep', reason: 'unchanged', live };
  const { apiVersion: _a, kind: _k, status: _s, ...body } = desired;
  return { ...base, verb: 'apply', reason: 'drift', desired, live, difference: findDifference(body, live) };
}

function iso(d: Date): string {
  return d.toISOString();
}

/** Ties a forEach child to its declaration, so the children of vanished items can be found. */
function mark(m: Manifest, d: ResourceDecl): void {
  m.metadata.annotations = { ...m.metadata.annotations, [ANNOTATION_DECLARATION]: d.path };
}

function stamp(m: Manifest, now: Date): void {
  m.metadata.annotations = { ...m.metadata.annotations, [ANNOTATION_GENERATED_AT]: iso(now) };
}

/**
 * The API server stores a Secret's `stringData` as base64 `data`; comparing the stored form with
 * the cache is what lets an unchanged Secret cost no request.
 */
function asStored(m: Manifest): Manifest {
  if (m.kind !== 'Secret' || m.apiVersion !== 'v1' || !m.stringData) return m;
  const { stringData, ...rest } = m as Manifest & { stringData: Record<string, string>; data?: Record<string, string> };
  const data: Record<string, string> = { ...(rest.data ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  return { ...rest, data } as Manifest;
}
