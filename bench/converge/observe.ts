// The benchmark's own view of the namespace (its own client and watches, never the operator's
// caches): when are all Websites Ready=True with both children present ("applied"), and when do
// all of them report readyReplicas = spec.replicas ("ready").
import { Informer, KubeClient, type KubeObject } from '../../packages/orkestra/src/kube/index.ts';

export const WEBSITE = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'Website' };
export const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
export const SERVICE = { apiVersion: 'v1', kind: 'Service' };

type Cond = { type: string; status: string };
const statusOf = (o: KubeObject) => (o.status ?? {}) as { readyReplicas?: number; conditions?: Cond[] };
const replicasOf = (o: KubeObject) => (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
export const readyTrue = (o: KubeObject): boolean => statusOf(o).conditions?.find((c) => c.type === 'Ready')?.status === 'True';

export interface Progress {
  crs: number;
  readyTrue: number;
  deployments: number;
  services: number;
  /** CRs whose status.readyReplicas = spec.replicas. */
  crsReplicasReady: number;
  /** Deployments whose status.readyReplicas = spec.replicas (what the cluster itself reached). */
  deploymentsReady: number;
}

export class Observer {
  readonly websites: Informer;
  readonly deployments: Informer;
  readonly services: Informer;

  private constructor(websites: Informer, deployments: Informer, services: Informer) {
    this.websites = websites;
    this.deployments = deployments;
    this.services = services;
  }

  static async start(client: KubeClient, namespace: string): Promise<Observer> {
    const mk = async (ref: { apiVersion: string; kind: string }) => new Informer(client, await client.resource(ref), { namespace });
    const o = new Observer(await mk(WEBSITE), await mk(DEPLOYMENT), await mk(SERVICE));
    for (const i of [o.websites, o.deployments, o.services]) i.start();
    await Promise.all([o.websites, o.deployments, o.services].map((i) => i.waitForSync(60_000)));
    return o;
  }

  progress(): Progress {
    const crs = this.websites.list();
    const deps = this.deployments.list();
    return {
      crs: crs.length,
      readyTrue: crs.filter(readyTrue).length,
      deployments: deps.length,
      services: this.services.size,
      crsReplicasReady: crs.filter((c) => statusOf(c).readyReplicas === replicasOf(c)).length,
      deploymentsReady: deps.filter((d) => statusOf(d).readyReplicas === replicasOf(d)).length,
    };
  }

  /** Polls every `everyMs` until `done(progress)`; returns ms since `t0`, or throws after `timeoutMs`. */
  async until(what: string, done: (p: Progress) => boolean, t0: number, timeoutMs: number, everyMs = 100): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = this.progress();
      if (done(p)) return Date.now() - t0;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.websites.stop(), this.deployments.stop(), this.services.stop()]);
  }
}
