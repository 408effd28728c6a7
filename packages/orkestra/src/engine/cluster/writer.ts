// The one ClusterWriter: the applier's "send nothing when the cache already matches" over any
// ClusterApi — the API server, the memory cluster, or the recorder `ork plan` uses — so what a
// dry run reports is exactly what the real run would send.
import { Applier, isNotFound, type ApplyResult, type KubeObject } from '../../kube/index.ts';
import type { ClusterApi, ClusterWriter, DeleteRequest, MetadataPatch } from '../ports.ts';

export interface WriterOptions {
  /** Server-side apply field manager. */
  fieldManager: string;
}

export class ApiWriter implements ClusterWriter {
  private readonly api: ClusterApi;
  private readonly applier: Applier;

  constructor(api: ClusterApi, opts: WriterOptions) {
    this.api = api;
    this.applier = new Applier(api, { fieldManager: opts.fieldManager, force: true });
  }

  apply(desired: KubeObject, live: KubeObject | undefined): Promise<ApplyResult> {
    return this.applier.apply(desired, live);
  }

  applyStatus(live: KubeObject, status: Record<string, unknown>): Promise<ApplyResult> {
    return this.applier.applyStatus(live, status);
  }

  patchMetadata(live: KubeObject, patch: MetadataPatch): Promise<KubeObject> {
    const m = live.metadata ?? {};
    return this.api.patch(live, m.name ?? '', { metadata: { ...patch, resourceVersion: m.resourceVersion } }, { type: 'merge', namespace: m.namespace });
  }

  async delete(obj: KubeObject, request: DeleteRequest = {}): Promise<void> {
    const m = obj.metadata ?? {};
    try {
      await this.api.delete(obj, m.name ?? '', { namespace: m.namespace, propagationPolicy: request.propagationPolicy ?? 'Background' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
