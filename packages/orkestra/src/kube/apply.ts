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

/** The two verbs the applier sends (KubeClient has them; so does any cluster the engine runs on). */
export type ApplyTarget = Pick<KubeClient, 'apply' | 'patchStatus'>;

export interface ApplierOptions {
  fieldManager: string;
  /** Take over fields other managers own (an operator owns its children). Default true. */
  force?: boolean;
}

/** How many objects' last write the applier remembers (oldest forgotten first). */
const REMEMBERED_WRITES = 10_000;

export class Applier {
  private readonly client: ApplyTarget;
  readonly fieldManager: string;
  readonly force: boolean;
  /**
   * resourceVersion of the answer to our last write, per object. The informer cache can lag
   * behind our own write: the next reconcile then sees a stale object, sends the same apply again,
   * and the server answers with the version we already wrote. Without this memory that answer
   * would look like a change (and raise a second "drift corrected" event).
   */
  private readonly written = new Map<string, string>();

  constructor(client: ApplyTarget, opts: ApplierOptions) {
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
    return { changed: this.isChange(object, live, ''), object, difference };
  }

  /**
   * Merge-patches `.status` of `live` to `status` through the status subresource when any field
   * of `status` differs; otherwise sends nothing.
   */
  async applyStatus<T extends KubeObject = KubeObject>(live: KubeObject, status: Record<string, unknown>): Promise<ApplyResult<T>> {
    const difference = findDifference(status, live.status, 'status');
    if (!difference) return { changed: false, object: live as T };
    const object = await this.client.patchStatus<T>(live, status, { fieldManager: this.fieldManager });
    return { changed: this.isChange(object, live, '/status'), object, difference };
  }

  /** Did this write change the object — compared with the cache and with our own last write? */
  private isChange(answer: KubeObject, live: KubeObject | undefined, part: string): boolean {
    const m = answer.metadata ?? {};
    const key = `${answer.apiVersion}/${answer.kind}/${m.namespace ?? ''}/${m.name}${part}`;
    const version = m.resourceVersion ?? '';
    const before = this.written.get(key);
    this.written.delete(key);
    this.written.set(key, version);
    if (this.written.size > REMEMBERED_WRITES) this.written.delete(this.written.keys().next().value!);
    // A cache without the object at all may also just be behind our own create.
    return version !== before && version !== live?.metadata?.resourceVersion;
  }
}

function stripTypeMeta(o: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}
