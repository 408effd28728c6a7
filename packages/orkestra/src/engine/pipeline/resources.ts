// Stage "resources": for one lifecycle hook, render each declaration, gate it with `when:`,
// build the manifest, compare it with the cached child and write only what differs.
//   onCreate            ensure it exists (left alone once it does)
//   onReconcile /
//   reconcile: true     make it match on every cycle (drift correction); removed when its
//                       `when:` turns false (conditional provisioning)
//   once (Secrets)      create once; re-created with fresh values after `rotateAfter`
//   jobs                always create-once (a Job is terminal)
// Kinds run in the reference's fixed order (namespaces … pods); declarations of one kind run
// concurrently. The first kind with a failure aborts the hook.
import { evaluateConditions } from '../../conditions/evaluate.ts';
import { parseDuration } from '../../conditions/cron.ts';
import { isNotFound, type KubeObject } from '../../kube/index.ts';
import type { Hook, HookName, ResourceDecl } from '../../katalog/model.ts';
import { RESOURCE_KEYS, resourceBuilder, type BuildContext, type Manifest } from '../resources/index.ts';
import { cachedChild, isChildOf, type ChildKind, type OwnerLabels } from '../children.ts';
import { Renderer } from '../render.ts';
import type { BoxContext } from '../box-context.ts';

export const ANNOTATION_GENERATED_AT = 'orkestra.orkspace.io/generated-at';

/** What a hook did to one child; the reconciler turns these into events. */
export interface ChildChange {
  action: 'created' | 'updated' | 'deleted';
  kind: string;
  name: string;
  namespace?: string;
  /** For updates: the first field that differed. */
  field?: string;
}

/** A declaration that could not be turned into a manifest; names the Katalog field. */
export class DeclarationError extends Error {
  constructor(path: string, problems: string[]) {
    super(`${path}: ${problems.join('; ')}`);
    this.name = 'DeclarationError';
  }
}

export interface HookResult {
  changes: ChildChange[];
  /** The objects this hook wrote or found, so status sees them before the watch catches up. */
  observed: { kind: ChildKind; object: KubeObject }[];
}

type Mode = 'create' | 'apply' | 'once';

function modeOf(hook: HookName, d: ResourceDecl): Mode {
  if (d.kind === 'jobs') return 'create';
  const drift = hook === 'onReconcile' || d.reconcile;
  if (d.once && !drift) return 'once';
  return drift ? 'apply' : 'create';
}

function kindOrder(d: ResourceDecl): number {
  const i = RESOURCE_KEYS.indexOf(d.kind);
  return i < 0 ? RESOURCE_KEYS.length : i;
}

/** The ChildKind a built manifest belongs to (custom kinds are keyed by apiVersion and kind). */
export function childKindFor(box: BoxContext, d: ResourceDecl, m: Pick<Manifest, 'apiVersion' | 'kind'>): ChildKind | undefined {
  return d.kind === 'custom' ? box.kinds.get(`custom:${m.apiVersion}:${m.kind}`) : box.kinds.get(d.kind);
}

export async function runHook(
  box: BoxContext, hook: Hook, cr: KubeObject, renderer: Renderer, buildCtx: BuildContext, owner: OwnerLabels,
): Promise<HookResult> {
  const result: HookResult = { changes: [], observed: [] };
  if (hook.resources.length === 0) return result;
  const gate = evaluateConditions(hook.when, hook.or, renderer.data, renderer.conditionRender);
  if (!gate.pass) return result;

  const groups = new Map<number, ResourceDecl[]>();
  for (const d of hook.resources) {
    const o = kindOrder(d);
    groups.set(o, [...(groups.get(o) ?? []), d]);
  }
  for (const order of [...groups.keys()].sort((a, b) => a - b)) {
    const settled = await Promise.allSettled(groups.get(order)!.map((d) => runDeclaration(box, hook.name, d, cr, renderer, buildCtx, owner, result)));
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed.length === 1) throw failed[0].reason;
    if (failed.length > 1) throw new AggregateError(failed.map((f) => f.reason), failed.map((f) => errorText(f.reason)).join('; '));
  }
  return result;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runDeclaration(
  box: BoxContext, hook: HookName, d: ResourceDecl, cr: KubeObject, renderer: Renderer, buildCtx: BuildContext,
  owner: OwnerLabels, result: HookResult,
): Promise<void> {
  const mode = modeOf(hook, d);
  const builder = resourceBuilder(d.kind);
  if (!builder) throw new DeclarationError(d.path, [`no builder for kind ${d.kind}`]);
  const gate = evaluateConditions(d.when, d.or, renderer.data, renderer.conditionRender);
  const rendered = renderer.tree(d.spec, d.path) as Record<string, unknown>;
  const built = builder.build(rendered, buildCtx);
  if (!built.ok) throw new DeclarationError(d.path, built.errors.map((e) => `${e.path}: ${e.message}`));
  const desired = asStored(built.manifest);
  const kind = childKindFor(box, d, desired);
  const ns = desired.metadata.namespace;
  const live = kind ? cachedChild(kind, desired.metadata.name, ns) : undefined;

  if (!gate.pass) {
    // A drift-corrected child whose condition turned false is removed (conditional provisioning).
    if (mode === 'apply' && live && isChildOf(live, owner)) {
      await box.client.delete(live, desired.metadata.name, { namespace: ns, propagationPolicy: 'Background' }).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
      result.changes.push({ action: 'deleted', kind: desired.kind, name: desired.metadata.name, namespace: ns });
    }
    return;
  }

  if (mode === 'create' && live) {
    result.observed.push({ kind: kind!, object: live });
    return;
  }
  if (mode === 'once') {
    const rotateMs = d.rotateAfter ? parseDuration(d.rotateAfter) : undefined;
    const stamp = Date.parse(live?.metadata?.annotations?.[ANNOTATION_GENERATED_AT] ?? '');
    const due = live !== undefined && rotateMs !== undefined && (Number.isNaN(stamp) || Date.now() - stamp >= rotateMs);
    if (live && !due) {
      result.observed.push({ kind: kind!, object: live });
      return;
    }
    const now = new Date().toISOString();
    // A rotation must produce new random values: seed with the rotation time.
    const fresh = due ? rebuild(box, d, cr, renderer, buildCtx, now) : desired;
    fresh.metadata.annotations = { ...fresh.metadata.annotations, [ANNOTATION_GENERATED_AT]: now };
    const res = await box.applier.apply(fresh, undefined);
    if (kind) result.observed.push({ kind, object: res.object });
    result.changes.push({ action: live ? 'updated' : 'created', kind: fresh.kind, name: fresh.metadata.name, namespace: ns, field: live ? 'rotation' : undefined });
    return;
  }
  const res = await box.applier.apply(desired, live);
  if (kind) result.observed.push({ kind, object: res.object });
  if (!live) result.changes.push({ action: 'created', kind: desired.kind, name: desired.metadata.name, namespace: ns });
  else if (res.changed) result.changes.push({ action: 'updated', kind: desired.kind, name: desired.metadata.name, namespace: ns, field: res.difference?.path });
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

function rebuild(box: BoxContext, d: ResourceDecl, cr: KubeObject, renderer: Renderer, ctx: BuildContext, seed: string): Manifest {
  const r = new Renderer(renderer.data, { seed: `${cr.metadata?.uid}:${seed}`, context: box.describe(cr) });
  const built = resourceBuilder(d.kind)!.build(r.tree(d.spec, d.path) as Record<string, unknown>, ctx);
  if (!built.ok) throw new DeclarationError(d.path, built.errors.map((e) => `${e.path}: ${e.message}`));
  return asStored(built.manifest);
}
