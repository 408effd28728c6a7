// One reconcile of one CR, stage by stage. Reads come from informer caches; every write goes
// through the applier (which skips unchanged objects) or a resourceVersion-guarded patch, so a
// converged CR costs no request at all.
//
//   finalizer → data (children, cross) → onCreate → onReconcile → status (+ Ready) → events
//   deletion:  onDelete jobs → cluster-scoped / cross-namespace children → remove finalizer
import { TERMINATING_MARK_MS, isConflict, isNotFound, objectKey, terminatingNamespaces, type KubeObject } from '../kube/index.ts';
import { resourceBuilder, standardLabels, type BuildContext } from './resources/index.ts';
import { childrenContext, childrenOfKind, ownerLabels, type ChildKind, type OwnerLabels } from './children.ts';
import { Renderer } from './render.ts';
import { buildData } from './pipeline/data.ts';
import { readCross } from './pipeline/cross.ts';
import { runHook, type ChildChange, type HookResult } from './pipeline/resources.ts';
import { desiredStatus, readyCondition, statusFields } from './pipeline/status.ts';
import { ensureFinalizer, removeFinalizer } from './pipeline/finalizer.ts';
import { runDeletion } from './pipeline/deletion.ts';
import type { BoxContext } from './box-context.ts';
import type { ReconcileOutcome } from './workers.ts';

/** The outcome the OperatorBox keeps per CR for the API (`/katalog/{crd}/cr/{ns}/{name}`). */
export interface LastReconcile {
  at: string;
  ok: boolean;
  error?: string;
  changes: ChildChange[];
  durationMs: number;
}

export class Reconciler {
  private readonly box: BoxContext;
  readonly last = new Map<string, LastReconcile>();
  /**
   * CRs (key → uid) whose finalizer this process removed. Until the watch delivers their removal,
   * the cache still shows them terminating; a reconcile queued meanwhile must not run the
   * deletion again (it would start the onDelete Jobs a second time, now without an owner).
   */
  private readonly finalized = new Map<string, string>();

  constructor(box: BoxContext) {
    this.box = box;
  }

  async reconcile(key: string): Promise<ReconcileOutcome | void> {
    const cr = this.box.crInformer.getByKey(key);
    if (!cr) {
      this.forget(key);
      return;
    }
    const t0 = Date.now();
    try {
      if (cr.metadata?.deletionTimestamp) return await this.delete(cr);
      // The namespace refused a create moments ago: it is being deleted and the CR goes with it.
      // Look again when the mark expires (the namespace may have been created anew by then).
      const waitMs = this.box.terminating.remainingMs(cr.metadata?.namespace ?? '');
      if (waitMs > 0) return { requeueAfterMs: waitMs };
      // Carry on with the object the finalizer patch returned: no round trip through the watch.
      const current = (await ensureFinalizer(this.box, cr)) ?? cr;
      const changes = await this.apply(current);
      this.last.set(key, { at: new Date().toISOString(), ok: true, changes, durationMs: Date.now() - t0 });
    } catch (err) {
      // A 409 means the cache was behind: the watch event already queued a fresh attempt.
      if (isConflict(err) || (isNotFound(err) && !this.box.crInformer.getByKey(key))) return;
      // The CR's namespace is being deleted: nothing may be created there any more, and the CR
      // goes with it. Retrying now would only hammer the API server.
      // (A cluster-scoped CR whose children live in that namespace marks it and tries again later.)
      const refusedBy = terminatingNamespaces(err);
      if (refusedBy) {
        for (const ns of refusedBy) this.box.terminating.mark(ns);
        return { requeueAfterMs: TERMINATING_MARK_MS };
      }
      this.last.set(key, { at: new Date().toISOString(), ok: false, error: message(err), changes: [], durationMs: Date.now() - t0 });
      throw err;
    }
  }

  /** The CR left the cache: drop what was kept about it. */
  forget(key: string): void {
    this.last.delete(key);
    this.finalized.delete(key);
  }

  private owner(cr: KubeObject): { owner: OwnerLabels; buildCtx: BuildContext } {
    const owner = ownerLabels(this.box.crdName, cr);
    const namespace = cr.metadata?.namespace ?? '';
    const crName = cr.metadata?.name ?? '';
    return {
      owner,
      buildCtx: {
        namespace,
        crName,
        crKind: this.box.kind,
        crdName: this.box.crdName,
        labels: standardLabels({ crName, namespace, crdName: this.box.crdName }),
        ownerReference: { apiVersion: this.box.apiVersion, kind: this.box.kind, name: crName, uid: cr.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
      },
    };
  }

  private readChildren(owner: OwnerLabels, observed: HookResult['observed'] = []): Record<string, unknown> {
    const found = new Map<ChildKind, KubeObject[]>();
    for (const k of this.box.kinds.values()) found.set(k, childrenOfKind(k, owner));
    // What this reconcile just wrote is newer than the cache until the watch delivers it.
    for (const { kind, object } of observed) {
      const list = (found.get(kind) ?? []).filter((o) => o.metadata?.name !== object.metadata?.name || o.metadata?.namespace !== object.metadata?.namespace);
      found.set(kind, [...list, object]);
    }
    return childrenContext(found);
  }

  private async apply(cr: KubeObject): Promise<ChildChange[]> {
    const box = this.box;
    const { owner, buildCtx } = this.owner(cr);
    const seed = cr.metadata?.uid ?? box.describe(cr);
    const context = box.describe(cr);
    let renderer = new Renderer(buildData(box, cr, this.readChildren(owner), {}), { seed, context });
    buildCtx.workloads = this.workloadNames(buildCtx, renderer);
    const changes: ChildChange[] = [];
    const observed: HookResult['observed'] = [];
    let error: unknown;
    try {
      const cross = readCross(box, cr, renderer);
      renderer = new Renderer(buildData(box, cr, this.readChildren(owner), cross), { seed, context });
      for (const hook of [box.entry.operatorBox.onCreate, box.entry.operatorBox.onReconcile]) {
        const r = await runHook(box, hook, cr, renderer, buildCtx, owner);
        changes.push(...r.changes);
        observed.push(...r.observed);
      }
    } catch (err) {
      error = err;
    }

    // Status is written on success and on failure: children are read again (with what this
    // reconcile wrote) so `.children.deployment.status` is as fresh as the cache allows.
    const statusRenderer = new Renderer({ ...renderer.data, children: this.readChildren(owner, observed) }, { seed, context });
    const { fields, errors } = statusFields(box.entry.operatorBox.status, statusRenderer);
    if (!error && errors.length > 0) error = new Error(errors.join('; '));
    const ready = readyCondition(cr, error === undefined ? undefined : message(error), new Date());
    try {
      await box.applier.applyStatus(cr, desiredStatus(cr, box.entry.operatorBox.status, fields, ready));
    } catch (statusErr) {
      // A CRD without the status subresource answers 404: status is best effort.
      if (!isNotFound(statusErr) && error === undefined) error = statusErr;
    }

    this.emitChanges(cr, changes);
    if (error !== undefined) {
      box.events.emit(cr, 'Warning', `${box.kind}ReconcileError`, 'Reconcile', message(error));
      throw error;
    }
    if (changes.length > 0) box.events.emit(cr, 'Normal', `${box.kind}Reconciled`, 'Reconcile', `Successfully reconciled ${context}`);
    return changes;
  }

  private emitChanges(cr: KubeObject, changes: ChildChange[]): void {
    const drift = cr.metadata?.generation !== undefined && (cr.status as { observedGeneration?: number } | undefined)?.observedGeneration === cr.metadata.generation;
    for (const c of changes) {
      const what = `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
      if (c.action === 'created') this.box.events.emit(cr, 'Normal', 'Created', 'Apply', `Created ${what}`);
      else if (c.action === 'deleted') this.box.events.emit(cr, 'Normal', 'Deleted', 'Apply', `Deleted ${what}: its when: condition is false`);
      else if (drift) this.box.events.emit(cr, 'Normal', 'DriftCorrected', 'Apply', `Corrected drift on ${what}${c.field ? ` (${c.field})` : ''}`);
      else this.box.events.emit(cr, 'Normal', 'Updated', 'Apply', `Updated ${what}${c.field ? ` (${c.field})` : ''}`);
    }
  }

  private async delete(cr: KubeObject): Promise<ReconcileOutcome | void> {
    if (!(cr.metadata?.finalizers ?? []).includes(this.box.finalizer)) return;
    const key = objectKey(cr);
    if (this.finalized.get(key) === cr.metadata?.uid) return;
    const { owner, buildCtx } = this.owner(cr);
    const renderer = new Renderer(buildData(this.box, cr, this.readChildren(owner), {}), { seed: cr.metadata?.uid ?? '', context: this.box.describe(cr) });
    const pending = await runDeletion(this.box, cr, renderer, { ...buildCtx, ownerReference: undefined }, owner);
    if (pending) return { requeueAfterMs: pending };
    await removeFinalizer(this.box, cr);
    this.finalized.set(key, cr.metadata?.uid ?? '');
    this.box.events.emit(cr, 'Normal', `${this.box.kind}Deleted`, 'Delete', `Cleaned up ${this.box.describe(cr)}`);
  }

  /** Rendered names of the workloads the box declares: a Service without a selector fronts one of them. */
  private workloadNames(ctx: BuildContext, renderer: Renderer): string[] {
    const names: string[] = [];
    for (const hook of [this.box.entry.operatorBox.onCreate, this.box.entry.operatorBox.onReconcile]) {
      for (const d of hook.resources) {
        if (d.kind !== 'deployments' && d.kind !== 'statefulSets' && d.kind !== 'replicaSets') continue;
        try {
          names.push(d.name !== undefined ? renderer.string(d.name, `${d.path}.name`) : `${ctx.crName}${resourceBuilder(d.kind)?.defaultNameSuffix ?? ''}`);
        } catch {
          // The declaration's own stage reports the render error.
        }
      }
    }
    return names;
  }
}

function message(err: unknown): string {
  if (err instanceof AggregateError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
