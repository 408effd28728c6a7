// The memory cluster's public surface (for `ork simulate` and the engine's unit tests).
export { MemoryCluster, type MemoryClusterOptions, type Operation, type RecordedEvent, type Verb, type WriteVerb } from './memory-cluster.ts';
export type { MemoryView } from './view.ts';
