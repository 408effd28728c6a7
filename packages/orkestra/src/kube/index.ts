// The kube layer's public surface: everything the engine and the CLI use to talk to a cluster.
export { ApiError, ConnectionError, KubeConfigError, isAlreadyExists, isConflict, isGone, isNotFound } from './errors.ts';
export { Backoff, jittered, type BackoffOptions } from './backoff.ts';
export { loadKubeConfig, inClusterAccess, parseKubeConfig, mergeKubeConfigs, resolveContext, type ClusterAccess, type LoadOptions, type AuthSource } from './kubeconfig.ts';
export { Transport, type RequestSample, type RequestObserver, type RequestSpec, type TransportOptions } from './transport.ts';
export { RestMapper, UnknownResourceError } from './discovery.ts';
export { KubeClient, type KubeClientOptions, type ListOptions, type WatchOptions, type DeleteOptions, type PatchType, type ResourceRef } from './client.ts';
export { Informer, type EventHandler, type InformerOptions, type InformerScope, type InformerStats, type RecoveryInfo, type RetryInfo } from './informer.ts';
export { InformerFactory } from './factory.ts';
export { Store, defaultIndexers, type Indexer } from './store.ts';
export { Applier, type ApplyResult, type ApplierOptions, type ApplyTarget } from './apply.ts';
export { findDifference, findDifferences, isUnchanged, parseQuantity, type Difference } from './compare.ts';
export { RequestCounter, type RequestFilter } from './metrics.ts';
export * from './types.ts';
export { EventRecorder, aggregationKey, microTime, type EventInput, type EventRecorderOptions, type EventRecorderStats } from './events.ts';
export { TerminatingNamespaces, terminatingNamespaces, TERMINATING_MARK_MS } from './terminating-namespaces.ts';
export { LeaderElector, type LeaderElectionOptions, type LeaderCallbacks } from './leader.ts';
