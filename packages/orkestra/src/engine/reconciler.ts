// One reconcile of one CR: the list of stages, each a function of one ReconcileScope. Stages read
// the caches and decide (intents, status); only the executor writes, and it sends nothing for what
// already matches, so a converged CR costs no request at all.
//
//   finalizer → normalize → mutate ⇄ validate (mutation.mutateFirst) → inputs (children, cross)
//             → copy caches → tls material (missing or due only) → resources (onCreate, onReconcile) → execute
//             → status (+ Ready, ValidationWarning, errors) → write status → events
//   A `deny` rule, or a rule that cannot be applied, plans no child at all: status and events only.
//   deletion:   (no rules: a CR is always deletable) inputs → copy caches → deletion (onDelete Jobs, then every child) → execute
//             → remove finalizer
import { TERMINATING_MARK_MS, isConflict, isNotFound, objectKey, terminatingNamespaces, type KubeObject } from '../kube/index.ts';
import { openScope, type ReconcileScope } from './scope.ts';
import { applyNormalize } from './pipeline/normalize.ts';
import { applyMutation, mutatesFirst } from './pipeline/mutate.ts';
import { applyValidation } from './pipeline/validate.ts';
import { gatherInputs } from './pipeline/inputs.ts';
import { openCopyCaches } from './pipeline/copies.ts';
import { prepareTls } from './pipeline/tls.ts';
import { planResources } from './pipeline/resources.ts';
import { planStatus } from './pipeline/status.ts';
import { planDeletion } from './pipeline/deletion.ts';
import { emitChanges, emitOutcome } from './pipeline/events.ts';
import { addFinalizer, perform, removeFinalizer, writeStatus } from './executor.ts';
import { ReconcileFailed, allTerminal, issuesOf, summary, type ReconcileIssue } from './errors.ts';
import type { ChildChange } from './intents.ts';
import type { BoxContext } from './box-context.ts';
import type { ReconcileOutcome } from './workers.ts';

/** The outcome the OperatorBox keeps per CR for the API (`/katalog/{crd}/cr/{ns}/{name}`). */
export interface LastReconcile {
  at: string;
  ok: boolean;
  /** One line (the issues' messages); kept for readers of the API that want a string. */
  error?: string;
  issues: ReconcileIssue[];
  /** Messages of the `warn` validation rules that did not hold (the ValidationWarning condition). */
  warnings: string[];
  /** True when only an edit of the CR or the Katalog can fix it (not retried with backoff). */
  terminal?: boolean;
  changes: ChildChange[];
  durationMs: number;
}

export interface ReconcilerOptions {
  /** Sees every finished scope (`ork simulate` and `ork plan` print its intents, status and changes). */
  observe?(scope: ReconcileScope): void;
}

const NEVER_ABORTED = new AbortController().signal;

export class Reconciler {
  private readonly box: BoxContext;
  private readonly opts: ReconcilerOptions;
  readonly last = new Map<string, LastReconcile>();
  /**
   * CRs (key → uid) whose finalizer this process removed. Until the watch delivers their removal,
   * the cache still shows them terminating; a reconcile queued meanwhile must not run the
   * deletion again (it would start the onDelete Jobs a second time, now without an owner).
   */
  private readonly finalized = new Map<string, string>();
  /** The terminal message last evented per CR: a resync meeting it again sends no new event. */
  private readonly lastTerminal = new Map<string, string>();

  constructor(box: BoxContext, opts: ReconcilerOptions = {}) {
    this.box = box;
    this.opts = opts;
  }

  /**
   * Reconciles the CR cached under `key`. `override` stands in for the cached CR (`ork plan --cr`
   * of a CR the cluster does not have yet).
   */
  async reconcile(key: string, signal: AbortSignal = NEVER_ABORTED, override?: KubeObject): Promise<ReconcileOutcome | void> {
    const cr = override ?? this.box.crInformer.getByKey(key);
    if (!cr) {
      this.forget(key);
      return;
    }
    const t0 = this.box.clock.now();
    const scope = openScope(this.box, key, cr, signal);
    try {
      return cr.metadata?.deletionTimestamp ? await this.finalize(scope) : await this.converge(scope);
    } catch (err) {
      // The finalizer patch met a 409 (the cache was behind: the watch event already queued a
      // fresh attempt), or the CR is gone.
      if (isConflict(err) || (isNotFound(err) && !this.box.crInformer.getByKey(key))) return;
      const refusedBy = terminatingNamespaces(err);
      if (refusedBy) {
        for (const ns of refusedBy) this.box.terminating.mark(ns);
        return { requeueAfterMs: TERMINATING_MARK_MS };
      }
      scope.issues.push(...issuesOf(err));
      return this.conclude(scope, t0);
    } finally {
      this.opts.observe?.(scope);
    }
  }

  /** The CR left the cache: drop what was kept about it. */
  forget(key: string): void {
    this.last.delete(key);
    this.finalized.delete(key);
    this.lastTerminal.delete(key);
    this.box.copies.forget(key);
  }

  private async converge(scope: ReconcileScope): Promise<ReconcileOutcome | void> {
    const t0 = this.box.clock.now();
    // The namespace refused a create moments ago: it is being deleted and the CR goes with it.
    // Look again when the mark expires (the namespace may have been created anew by then).
    const waitMs = this.box.terminating.remainingMs(scope.cr.metadata?.namespace ?? '');
    if (waitMs > 0) return { requeueAfterMs: waitMs };

    await addFinalizer(scope);
    applyNormalize(scope);
    if (mutatesFirst(scope)) {
      applyMutation(scope);
      applyValidation(scope);
    } else {
      applyValidation(scope);
      applyMutation(scope);
    }
    gatherInputs(scope);
    await openCopyCaches(scope);
    if (scope.haltAt === undefined) await prepareTls(scope);
    if (scope.haltAt === undefined) planResources(scope);
    await perform(scope);
    if (scope.stale) return;
    if (scope.refusedBy) return { requeueAfterMs: scope.requeueAfterMs };
    planStatus(scope);
    await writeStatus(scope);
    if (scope.stale) return;
    emitChanges(scope);
    return this.conclude(scope, t0);
  }

  private async finalize(scope: ReconcileScope): Promise<ReconcileOutcome | void> {
    const box = this.box;
    if (!(scope.cr.metadata?.finalizers ?? []).includes(box.finalizer)) return;
    const key = objectKey(scope.cr);
    if (this.finalized.get(key) === scope.cr.metadata?.uid) return;
    gatherInputs(scope);
    await openCopyCaches(scope);
    planDeletion(scope);
    await perform(scope);
    // A namespace that refused the onDelete Job is being deleted: the Job can never run, and
    // waiting for it would hold the finalizer — and with it the namespace — forever.
    if (scope.refusedBy) {
      box.log.warn({ cr: box.describe(scope.cr) }, 'onDelete Job skipped: the namespace is being deleted');
      scope.intents.length = 0;
      scope.requeueAfterMs = undefined;
      scope.refusedBy = undefined;
      planDeletion(scope);
      await perform(scope);
    }
    emitChanges(scope);
    if (scope.issues.length > 0) throw new ReconcileFailed(scope.issues);
    if (scope.stale) return;
    if (scope.requeueAfterMs) return { requeueAfterMs: scope.requeueAfterMs };
    await removeFinalizer(scope);
    this.finalized.set(key, scope.cr.metadata?.uid ?? '');
    box.events.emit(scope.cr, 'Normal', `${box.kind}Deleted`, 'Delete', `Cleaned up ${box.describe(scope.cr)}`);
  }

  /**
   * Records the outcome and tells the worker pool what to do: nothing more on success; on
   * problems only an edit can fix, no retry (a change of the CR or its children, or the resync,
   * reconciles again); on anything else, a retry with backoff.
   */
  private conclude(scope: ReconcileScope, t0: number): ReconcileOutcome | void {
    const issues = scope.issues;
    const terminal = allTerminal(issues);
    const at = new Date(this.box.clock.now()).toISOString();
    this.last.set(scope.key, {
      at, ok: issues.length === 0, issues: [...issues], warnings: [...scope.warnings], changes: [...scope.changes], durationMs: this.box.clock.now() - t0,
      ...(issues.length > 0 ? { error: summary(issues), terminal } : {}),
    });
    emitOutcome(scope, this.lastTerminal, terminal);
    if (issues.length === 0) return scope.requeueAfterMs ? { requeueAfterMs: scope.requeueAfterMs } : undefined;
    if (terminal) return { failed: new ReconcileFailed(issues) };
    throw new ReconcileFailed(issues);
  }
}

