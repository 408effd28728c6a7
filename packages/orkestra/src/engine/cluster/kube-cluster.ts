// The engine's ports over the real API server: discovery and shared informers for reads, the
// applier-backed writer for writes, the aggregating event recorder for Events.
import { EventRecorder, InformerFactory, type GroupVersionKind, type InformerScope, type KubeClient, type RecoveryInfo, type ResourceInfo, type RetryInfo, type TerminatingNamespaces } from '../../kube/index.ts';
import type { CacheOptions, CacheView, Cluster, ClusterReader, ClusterWriter, EventSink } from '../ports.ts';
import { ApiWriter } from './writer.ts';

export interface KubeClusterOptions {
  fieldManager: string;
  /** Events' reportingInstance. */
  identity: string;
  /** Base server-side watch timeout of every informer. */
  watchTimeoutSeconds?: number;
  /** Namespaces being deleted (shared with the engine, so the recorder stops writing events there). */
  terminating: TerminatingNamespaces;
  /** Each failed list/watch; `retry` says which informer and when it tries again. */
  onWatchError?(err: unknown, phase: string, retry?: RetryInfo): void;
  /** A list/watch works again after errors. */
  onWatchRecovered?(info: RecoveryInfo): void;
  onEventError?(err: unknown): void;
}

export class KubeCluster implements Cluster {
  readonly client: KubeClient;
  readonly factory: InformerFactory;
  readonly recorder: EventRecorder;
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
  readonly events: EventSink;

  constructor(client: KubeClient, opts: KubeClusterOptions) {
    this.client = client;
    this.factory = new InformerFactory(client, {
      ...(opts.watchTimeoutSeconds ? { watchTimeoutSeconds: opts.watchTimeoutSeconds } : {}),
      onError: (err, phase, retry) => opts.onWatchError?.(err, phase, retry),
      onRecovered: (info) => opts.onWatchRecovered?.(info),
    });
    this.recorder = new EventRecorder(client, {
      terminating: opts.terminating,
      reportingController: `orkestra.orkspace.io/${opts.fieldManager}`,
      reportingInstance: opts.identity,
      onError: (err) => opts.onEventError?.(err),
    });
    const factory = this.factory;
    this.reader = {
      resource: (ref: GroupVersionKind): Promise<ResourceInfo> => client.resource(ref),
      cache: async (ref: GroupVersionKind | ResourceInfo, scope: InformerScope = {}, options: CacheOptions = {}): Promise<CacheView> =>
        factory.informer(ref, scope, options.resyncMs ? { resyncMs: options.resyncMs } : {}),
    };
    this.writer = new ApiWriter(client, { fieldManager: opts.fieldManager });
    const recorder = this.recorder;
    this.events = {
      emit: (regarding, type, reason, action, note) => {
        void recorder.record(regarding, { type, reason, action, note });
      },
    };
  }

  async stop(): Promise<void> {
    await this.recorder.flush().catch(() => undefined);
    await this.factory.stop();
  }
}
