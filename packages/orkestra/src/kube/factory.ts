// One informer per (resource, namespace, selectors), however many consumers ask for it: the
// engine asks for the CR kind and for each child kind with its label selector, and every
// OperatorBox that needs the same view shares one list+watch and one cache.
import type { KubeClient, ResourceRef } from './client.ts';
import { Informer, type InformerOptions, type InformerScope } from './informer.ts';
import { apiVersionOf, resourceName, type KubeObject } from './types.ts';

export class InformerFactory {
  private readonly client: KubeClient;
  private readonly defaults: Omit<InformerOptions, keyof InformerScope>;
  private readonly informers = new Map<string, Informer>();
  private started = false;

  constructor(client: KubeClient, defaults: Omit<InformerOptions, keyof InformerScope> = {}) {
    this.client = client;
    this.defaults = defaults;
  }

  /**
   * The shared informer for this view; started at once if the factory is started. `options`
   * apply only when this call creates the informer (the first consumer of a view decides).
   */
  async informer<T extends KubeObject = KubeObject>(
    ref: ResourceRef, scope: InformerScope = {}, options: Omit<InformerOptions, keyof InformerScope> = {},
  ): Promise<Informer<T>> {
    // Resolve first, so a GVK and a GVR naming the same resource share one informer.
    const r = await this.client.resource(ref);
    const key = JSON.stringify([resourceName(r), apiVersionOf(r), scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? '']);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(this.client, r, { ...this.defaults, ...options, ...scope });
      this.informers.set(key, inf);
      if (this.started) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** Every informer created so far. */
  all(): Informer[] {
    return [...this.informers.values()];
  }

  start(): void {
    this.started = true;
    for (const i of this.all()) i.start();
  }

  async waitForSync(timeoutMs = 60_000): Promise<void> {
    await Promise.all(this.all().map((i) => i.waitForSync(timeoutMs)));
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.all().map((i) => i.stop()));
  }
}
