// Stage "finalizer": the CR carries Orkestra's finalizer so deletion runs `onDelete`, removes the
// children owner references cannot reach (cluster-scoped, other namespaces), and only then lets
// the CR go. Patches carry the resourceVersion: a concurrent change fails with 409 and retries.
import type { KubeObject } from '../../kube/index.ts';
import type { BoxContext } from '../box-context.ts';

/** Adds the finalizer when missing; returns the patched CR, or undefined when nothing was sent. */
export async function ensureFinalizer(box: BoxContext, cr: KubeObject): Promise<KubeObject | undefined> {
  const finalizers = cr.metadata?.finalizers ?? [];
  if (finalizers.includes(box.finalizer)) return undefined;
  return box.client.patch(cr, cr.metadata!.name!, { metadata: { finalizers: [...finalizers, box.finalizer], resourceVersion: cr.metadata?.resourceVersion } }, { type: 'merge', namespace: cr.metadata?.namespace });
}

export async function removeFinalizer(box: BoxContext, cr: KubeObject): Promise<void> {
  const finalizers = cr.metadata?.finalizers ?? [];
  if (!finalizers.includes(box.finalizer)) return;
  await box.client.patch(cr, cr.metadata!.name!, { metadata: { finalizers: finalizers.filter((f) => f !== box.finalizer), resourceVersion: cr.metadata?.resourceVersion } }, { type: 'merge', namespace: cr.metadata?.namespace });
}
