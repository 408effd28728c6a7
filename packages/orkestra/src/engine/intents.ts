// A reconcile's decisions as data. Stages compare what the Katalog declares with what the caches
// hold and return intents; the executor (`executor.ts`) is the only code that writes. `ork plan`
// and `ork simulate` read the same intents the real run performs.
import type { Difference, KubeObject } from '../kube/index.ts';
import type { HookName } from '../katalog/model.ts';
import type { ChildKind } from './children.ts';
import type { Manifest } from './resources/index.ts';

export type IntentVerb = 'create' | 'apply' | 'rotate' | 'delete' | 'keep';

/** Why a stage decided what it did (shown by `ork plan`, kept in the API's last reconcile). */
export type IntentReason =
  | 'missing' // not in the cache: create it
  | 'drift' // in the cache but a declared field differs: apply
  | 'exists' // create-once (onCreate, Jobs, `once`) and already there: leave it
  | 'unchanged' // drift-corrected and matching: nothing to send
  | 'rotation-due' // `once` + `rotateAfter`, older than its period: re-created with fresh values
  | 'when-false' // its `when:` turned false: a drift-corrected child is removed
  | 'item-removed' // its item left a drift-corrected forEach's list: the child is removed
  | 'finalizing'; // the CR is being deleted: its children go

export interface ChildIntent {
  verb: IntentVerb;
  reason: IntentReason;
  /** The Katalog declaration it comes from (`onCreate.deployments[0]`). */
  source: string;
  hook: HookName;
  /** Apply order of the declaration's kind (namespaces first, pods last). */
  order: number;
  /** The cache the child lives in (undefined for a custom kind the cluster does not serve). */
  child: ChildKind | undefined;
  /** What is written (create / apply / rotate). */
  desired?: Manifest;
  /** The cached object, when there is one. */
  live?: KubeObject;
  /**
   * Send `desired` even though every field it sets matches: the live object has keys it no
   * longer sets (a copy whose source dropped a key), which server-side apply then removes.
   */
  replace?: boolean;
  /** For `drift`: the first field that differs. */
  difference?: Difference;
}

/** What one performed intent did; the reconciler turns these into events. */
export interface ChildChange {
  action: 'created' | 'updated' | 'deleted';
  kind: string;
  name: string;
  namespace?: string;
  /** For updates: the first field that differed (`rotation` for a rotated Secret). */
  field?: string;
}

/** Kind, namespace and name of the object an intent is about. */
export function intentTarget(i: ChildIntent): { apiVersion: string; kind: string; namespace?: string; name: string } {
  const o = (i.desired ?? i.live) as KubeObject;
  return { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', namespace: o.metadata?.namespace, name: o.metadata?.name ?? '' };
}
