// A ClusterApi that reads from a real cluster and never writes to it: every write verb is recorded
// and answered with the object the write would most plausibly produce. `ork plan` runs the real
// engine over it, so what it reports is what `ork run` would send.
import type { KubeList, KubeObject, PatchType, ResourceInfo, ResourceRef } from '../../kube/index.ts';
import type { ClusterApi, EventSink } from '../ports.ts';

export interface RecordedWrite {
  verb: 'create' | 'apply' | 'patch' | 'patchStatus' | 'delete';
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  body: unknown;
}

export interface RecordedEvent {
  regarding: { apiVersion?: string; kind?: string; namespace?: string; name?: string };
  type: string;
  reason: string;
  note: string;
}

type Reads = Pick<ClusterApi, 'resource' | 'get' | 'list'>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 merge of `patch` into `target` (null deletes). */
function merge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}

export class RecordingApi implements ClusterApi {
  readonly writes: RecordedWrite[] = [];
  private readonly reads: Reads;

  constructor(reads: Reads) {
    this.reads = reads;
  }

  resource(ref: ResourceRef): Promise<ResourceInfo> {
    return this.reads.resource(ref);
  }
  get<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, opts?: { namespace?: string }): Promise<T> {
    return this.reads.get<T>(ref, name, opts);
  }
  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts?: { namespace?: string; labelSelector?: string }): Promise<KubeList<T>> {
    return this.reads.list<T>(ref, opts);
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    this.record('create', obj, obj);
    return obj as T;
  }
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    this.record('apply', obj, obj);
    return obj as T;
  }
  async patch<T extends KubeObject = KubeObject>(ref: ResourceRef, name: string, patch: unknown, opts: { type?: PatchType; namespace?: string } = {}): Promise<T> {
    const o = ref as KubeObject;
    const target = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name, namespace: opts.namespace } };
    this.record('patch', target, patch);
    // The engine patches only what it read (a CR's finalizers): the answer is that object patched.
    return merge(o.metadata ? o : target, patch) as T;
  }
  async patchStatus<T extends KubeObject = KubeObject>(obj: KubeObject, status: unknown): Promise<T> {
    this.record('patchStatus', obj, status);
    return { ...obj, status: merge(obj.status, status) } as T;
  }
  async delete(ref: ResourceRef, name: string, opts: { namespace?: string } = {}): Promise<KubeObject> {
    const o = ref as KubeObject;
    const target = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name, namespace: opts.namespace } };
    this.record('delete', target, undefined);
    return target;
  }

  private record(verb: RecordedWrite['verb'], obj: KubeObject, body: unknown): void {
    this.writes.push({ verb, apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? '', body });
  }
}

/** Events kept in memory instead of sent. */
export class RecordingEvents implements EventSink {
  readonly events: RecordedEvent[] = [];
  emit(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, _action: string, note: string): void {
    this.events.push({ regarding: { apiVersion: regarding.apiVersion, kind: regarding.kind, namespace: regarding.metadata?.namespace, name: regarding.metadata?.name }, type, reason, note });
  }
}
