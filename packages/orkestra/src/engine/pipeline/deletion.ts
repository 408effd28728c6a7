// Stage "deletion" (behind the finalizer): run `onDelete` Jobs to completion, then delete the
// CR's children, then the finalizer goes.
import { isNotFound, terminatingNamespaces, type KubeObject } from '../../kube/index.ts';
import { evaluateConditions } from '../../conditions/evaluate.ts';
import { resourceBuilder, type BuildContext } from '../resources/index.ts';
import { cachedChild, childrenOfKind, type OwnerLabels } from '../children.ts';
import type { Renderer } from '../render.ts';
import type { BoxContext } from '../box-context.ts';
import { DeclarationError } from './resources.ts';

/** How often to look again while an onDelete Job runs. */
const JOB_POLL_MS = 2_000;

function jobFinished(job: KubeObject): boolean {
  const s = job.status as { succeeded?: number; conditions?: { type: string; status: string }[] } | undefined;
  return (s?.succeeded ?? 0) > 0 || (s?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** Returns a delay in ms while work is still running, or 0 when the finalizer may be removed. */
export async function runDeletion(box: BoxContext, cr: KubeObject, renderer: Renderer, ctx: BuildContext, owner: OwnerLabels): Promise<number> {
  const hook = box.entry.operatorBox.onDelete;
  const jobs = box.kinds.get('jobs');
  // In a namespace known to be going, no Job can be created: skip straight to the children.
  const namespaceGoing = box.terminating.remainingMs(cr.metadata?.namespace ?? '') > 0;
  if (jobs && !namespaceGoing && evaluateConditions(hook.when, hook.or, renderer.data, renderer.conditionRender).pass) {
    for (const d of hook.resources.filter((r) => r.kind === 'jobs')) {
      if (!evaluateConditions(d.when, d.or, renderer.data, renderer.conditionRender).pass) continue;
      const built = resourceBuilder('jobs')!.build(renderer.tree(d.spec, d.path) as Record<string, unknown>, ctx);
      if (!built.ok) throw new DeclarationError(d.path, built.errors.map((e) => `${e.path}: ${e.message}`));
      const live = cachedChild(jobs, built.manifest.metadata.name, built.manifest.metadata.namespace);
      if (!live) {
        try {
          await box.applier.apply(built.manifest, undefined);
        } catch (err) {
          const refusedBy = terminatingNamespaces(err);
          if (!refusedBy) throw err;
          for (const ns of refusedBy) box.terminating.mark(ns);
          // The whole namespace is going: the Job can never be created, and waiting for it would
          // hold the finalizer — and with it the namespace — forever.
          box.log.warn({ cr: box.describe(cr), job: built.manifest.metadata.name }, 'onDelete Job skipped: the namespace is being deleted');
          box.events.emit(cr, 'Warning', 'OnDeleteSkipped', 'Delete', `onDelete Job ${built.manifest.metadata.name} not run: the namespace is being deleted`);
          break;
        }
        box.events.emit(cr, 'Normal', 'Created', 'Delete', `Created onDelete Job ${built.manifest.metadata.name}`);
        return JOB_POLL_MS;
      }
      if (!jobFinished(live)) return JOB_POLL_MS;
    }
  }

  // Every child is deleted explicitly, also those an owner reference would let the garbage
  // collector remove: the collector works through one queue for the whole cluster, and under
  // load (a namespace of hundreds of objects being torn down) our children would wait behind it.
  // Cluster-scoped and cross-namespace children have no owner reference at all.
  await Promise.all([...box.kinds.values()].flatMap((k) => childrenOfKind(k, owner).map((child) =>
    box.client.delete(child, child.metadata!.name!, { namespace: child.metadata?.namespace, propagationPolicy: 'Background' }).catch((e) => {
      if (!isNotFound(e)) throw e;
    }))));
  return 0;
}
