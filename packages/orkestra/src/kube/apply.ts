// The write path the engine uses: server-side apply under one field manager, skipped entirely
// when the cached live object already has every field the desired object sets (no request), and
// status merge patches sent only when the status would change.
import type { KubeClient } from './client.ts';
import { findDifference, isUnchanged, type Difference } from './compare.ts';
import type { KubeObject } from './types.ts';

export interface ApplyResult<T extends KubeObject = KubeObject> {
  /** False when no request was sent, or the server kept the same resourceVersion. */
  changed: boolean;
  object: T;
  /** Why a request was sent: the first differing field (undefined when the object was new or unchanged). */
  difference?: Difference;
}

export interface ApplierOptions {
  fieldManager: string;
  /** Take over fields other managers own (an operator owns its children). Default true. */
  force?: boolean;
}

export class Applier {
  private readonly client: KubeClient;
  readonly fieldManager: string;
  readonly force: boolean;

  constructor(client: KubeClient, opts: ApplierOptions) {
    this.client = client;
    this.fieldManager = opts.fieldManager;
    this.force = opts.force ?? true;
  }

  /**
   * Applies `desired` unless `live` (from the informer cache; undefined when absent) already
   * matches it. `.status` in `desired` is ignored here: use applyStatus.
   */
  async apply<T extends KubeObject = KubeObject>(desired: KubeObject, live: KubeObject | undefined): Promise<ApplyResult<T>> {
    const { status: _status, ...body } = desired;
    if (live && isUnchanged(body, live)) return { changed: false, object: live as T };
    const difference = live ? findDifference(stripTypeMeta(body), live) : undefined;
    const object = await this.client.apply<T>(body, { fieldManager: this.fieldManager, force: this.force });
    const changed = !live || object.metadata?.resourceVersion !== live.metadata?.resourceVersion;
    return { changed, object, difference };
  }

  /**
   * Merge-patches `.status` of `live` to `status` through the status subresource when any field
   * of `status` differs; otherwise sends nothing.
   */
  async applyStatus<T extends KubeObject = KubeObject>(live: KubeObject, status: Record<string, unknown>): Promise<ApplyResult<T>> {
    const difference = findDifference(status, live.status, 'status');
    if (!difference) return { changed: false, object: live as T };
    const object = await this.client.patchStatus<T>(live, status, { fieldManager: this.fieldManager });
    return { changed: object.metadata?.resourceVersion !== live.metadata?.resourceVersion, object, difference };
  }
}

function stripTypeMeta(o: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}
