// Stage "deletion" (behind the finalizer): the `onDelete` Jobs run to completion one after the
// other, then every child is deleted, then the finalizer goes. This stage only decides; the
// executor writes.
import type { KubeObject } from '../../kube/index.ts';
import { evaluateConditions } from '../../conditions/evaluate.ts';
import { cachedChild, childrenOfKind } from '../children.ts';
import type { ReconcileScope } from '../scope.ts';
import { buildDeclaration } from './resources.ts';

/** How often to look again while an onDelete Job runs. */
export const JOB_POLL_MS = 2_000;

function jobFinished(job: KubeObject): boolean {
  const s = job.status as { succeeded?: number; conditions?: { type: string; status: string }[] } | undefined;
  return (s?.succeeded ?? 0) > 0 || (s?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * Plans the next step of a deletion: a missing onDelete Job to create, or — once every Job has
 * finished — the deletion of every child. Sets `scope.requeueAfterMs` while a Job runs.
 */
export function planDeletion(scope: ReconcileScope): void {
  const box = scope.box;
  const r = scope.renderer;
  const hook = box.entry.operatorBox.onDelete;
  const jobs = box.kinds.get('jobs');
  // In a namespace known to be going, no Job can be created: skip straight to the children.
  const namespaceGoing = box.terminating.remainingMs(scope.cr.metadata?.namespace ?? '') > 0;
  if (jobs && !namespaceGoing && evaluateConditions(hook.when, hook.or, r.data, r.conditionRender).pass) {
    // onDelete Jobs carry no owner reference: they must outlive the CR they clean up after.
    const build = { ...scope.build, ownerReference: undefined };
    for (const d of hook.resources.filter((x) => x.kind === 'jobs')) {
      if (!evaluateConditions(d.when, d.or, r.data, r.conditionRender).pass) continue;
      const desired = buildDeclaration(scope, d, r, build);
      const live = cachedChild(jobs, desired.metadata.name, desired.metadata.namespace);
      if (!live) {
        scope.intents.push({ verb: 'create', reason: 'missing', source: d.path, hook: 'onDelete', order: 0, child: jobs, desired });
        scope.requeueAfterMs = JOB_POLL_MS;
        return;
      }
      if (!jobFinished(live)) {
        scope.requeueAfterMs = JOB_POLL_MS;
        return;
      }
    }
  }
  // Every child is deleted explicitly, also those an owner reference would let the garbage
  // collector remove: the collector works through one queue for the whole cluster, and under
  // load (a namespace of hundreds of objects being torn down) our children would wait behind it.
  // Cluster-scoped and cross-namespace children have no owner reference at all.
  // Copies in namespaces the runtime does not watch sit in views of their own (`engine/copies.ts`).
  const seen = new Set<string>();
  for (const k of [...box.kinds.values(), ...box.copies.extraTargets()]) {
    for (const live of childrenOfKind(k, scope.owner)) {
      const id = `${k.apiVersion}/${k.kind}/${live.metadata?.namespace}/${live.metadata?.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      scope.intents.push({ verb: 'delete', reason: 'finalizing', source: 'finalizer', hook: 'onDelete', order: 1, child: k, live });
    }
  }
}
