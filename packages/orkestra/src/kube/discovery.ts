// REST mapping (GVK → plural resource, scope, subresources) from API discovery. One group-version
// is fetched when first needed and cached; a miss (e.g. a CRD installed after start) refetches
// that group-version once, with concurrent misses sharing the same fetch.
import { ApiError } from './errors.ts';
import type { Transport } from './transport.ts';
import { apiVersionOf, splitApiVersion, type ResourceInfo, type TypeRef } from './types.ts';

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}

export class UnknownResourceError extends Error {
  readonly ref: TypeRef;
  constructor(ref: TypeRef) {
    super('kind' in ref ? `the server has no resource for kind ${ref.kind} in ${ref.apiVersion}` : `the server has no resource ${ref.resource} in ${apiVersionOf(ref)}`);
    this.name = 'UnknownResourceError';
    this.ref = ref;
  }
}

export class RestMapper {
  private readonly transport: Transport;
  private readonly byGroupVersion = new Map<string, ResourceInfo[]>();
  private readonly inflight = new Map<string, Promise<ResourceInfo[]>>();

  constructor(transport: Transport) {
    this.transport = transport;
  }

  async resolve(ref: TypeRef): Promise<ResourceInfo> {
    const gv = 'kind' in ref ? ref.apiVersion : apiVersionOf(ref);
    const find = (list: ResourceInfo[]): ResourceInfo | undefined =>
      'kind' in ref ? list.find((r) => r.kind === ref.kind) : list.find((r) => r.resource === ref.resource);
    const cached = this.byGroupVersion.get(gv);
    const hit = cached && find(cached);
    if (hit) return hit;
    const fresh = await this.fetch(gv);
    const found = find(fresh);
    if (!found) throw new UnknownResourceError(ref);
    return found;
  }

  /** Forgets one group-version (or all), e.g. after a CRD changed scope or was removed. */
  invalidate(apiVersion?: string): void {
    if (apiVersion) this.byGroupVersion.delete(apiVersion);
    else this.byGroupVersion.clear();
  }

  private fetch(apiVersion: string): Promise<ResourceInfo[]> {
    let p = this.inflight.get(apiVersion);
    if (!p) {
      p = this.load(apiVersion).finally(() => this.inflight.delete(apiVersion));
      this.inflight.set(apiVersion, p);
    }
    return p;
  }

  private async load(apiVersion: string): Promise<ResourceInfo[]> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    let body: { resources?: ApiResource[] };
    try {
      body = await this.transport.request({ method: 'GET', path, verb: 'get', resource: 'discovery' });
    } catch (e) {
      if (e instanceof ApiError && e.statusCode === 404) {
        this.byGroupVersion.set(apiVersion, []);
        return [];
      }
      throw e;
    }
    const all = body.resources ?? [];
    const subs = new Map<string, string[]>();
    for (const r of all) {
      const [main, sub] = r.name.split('/');
      if (sub) subs.set(main, [...(subs.get(main) ?? []), sub]);
    }
    const list: ResourceInfo[] = all
      .filter((r) => !r.name.includes('/'))
      .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], subresources: subs.get(r.name) ?? [] }));
    this.byGroupVersion.set(apiVersion, list);
    return list;
  }
}
