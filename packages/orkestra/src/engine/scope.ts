// One reconcile of one CR, as one value every stage reads and adds to: the CR, the template data
// and the one renderer over it, the intents decided, the changes made, the problems met. A stage
// is a function of the scope; the reconciler is the list of stages.
import type { KubeObject } from '../kube/index.ts';
import { childrenContext, childrenOfKind, ownerLabels, type ChildKind, type OwnerLabels } from './children.ts';
import { standardLabels, type BuildContext } from './resources/index.ts';
import { Renderer } from './render.ts';
import type { ChildChange, ChildIntent } from './intents.ts';
import type { ReconcileIssue } from './errors.ts';
import type { BoxContext } from './box-context.ts';
import type { ServerBundle } from '../certs/bundle.ts';

export interface ReconcileScope {
  readonly box: BoxContext;
  readonly key: string;
  /** The CR as this reconcile knows it (the finalizer patch's answer replaces the cached one). */
  cr: KubeObject;
  /**
   * The CR the templates see: `cr` after `normalize` and `mutation` (pipeline/subject.ts). Those
   * rules change this copy only — never the stored CR; undefined while no rule changed anything.
   */
  subject?: KubeObject;
  /** Messages of the `validation` rules with `action: warn` that do not hold. */
  readonly warnings: string[];
  /** The clock's time when the reconcile began: every stage sees the same instant. */
  readonly now: Date;
  /** Aborted when the worker is told to stop (shutdown, pool shrink). */
  readonly signal: AbortSignal;
  readonly owner: OwnerLabels;
  readonly build: BuildContext;
  readonly renderer: Renderer;
  readonly intents: ChildIntent[];
  readonly changes: ChildChange[];
  /** Objects this reconcile wrote or found: fresher than the cache until the watch catches up. */
  readonly observed: { kind: ChildKind; object: KubeObject }[];
  readonly issues: ReconcileIssue[];
  /**
   * New certificate material for `tls` Secrets (`pipeline/tls.ts`), by declaration path: only for
   * the ones missing or due. Keys: never logged, never in status or events.
   */
  readonly tls: Map<string, ServerBundle | Error>;
  /** Position (`pipeline/resources.ts` position()) of the first declaration that could not be planned: nothing from there on is written. */
  haltAt?: number;
  /** The status this reconcile computed (after the status stage), and whether it was sent. */
  status?: { desired: Record<string, unknown>; written: boolean };
  /** A write met a 409: the cache was behind, and the watch event has already queued a fresh attempt. */
  stale?: boolean;
  /** Namespaces that refused a create because they are being deleted. */
  refusedBy?: string[];
  /** Ask to be reconciled again after this long (a running onDelete Job, a terminating namespace). */
  requeueAfterMs?: number;
}

export function openScope(box: BoxContext, key: string, cr: KubeObject, signal: AbortSignal): ReconcileScope {
  const namespace = cr.metadata?.namespace ?? '';
  const crName = cr.metadata?.name ?? '';
  const build: BuildContext = {
    namespace,
    crName,
    crKind: box.kind,
    crdName: box.crdName,
    labels: standardLabels({ crName, namespace, crdName: box.crdName }),
    ownerReference: { apiVersion: box.apiVersion, kind: box.kind, name: crName, uid: cr.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
  };
  // Random functions are seeded with the UID, so every reconcile renders the same "random" values.
  const renderer = new Renderer({}, { seed: cr.metadata?.uid ?? box.describe(cr), context: box.describe(cr) });
  return {
    box, key, cr, now: new Date(box.clock.now()), signal, owner: ownerLabels(box.crdName, cr), build, renderer,
    intents: [], changes: [], observed: [], issues: [], warnings: [], tls: new Map(),
  };
}

/** `.children` from the caches, overlaid with what this reconcile already wrote or found. */
export function readChildren(scope: ReconcileScope): Record<string, unknown> {
  const found = new Map<ChildKind, KubeObject[]>();
  for (const k of scope.box.kinds.values()) found.set(k, childrenOfKind(k, scope.owner));
  for (const { kind, object } of scope.observed) {
    const list = (found.get(kind) ?? []).filter((o) => o.metadata?.name !== object.metadata?.name || o.metadata?.namespace !== object.metadata?.namespace);
    found.set(kind, [...list, object]);
  }
  return childrenContext(found);
}
