// What every pipeline stage of one OperatorBox may use. The OperatorBox builds it once; stages
// read the caches through it, and only the executor writes (through `writer`).
import type { KubeObject, ResourceInfo, TerminatingNamespaces } from '../kube/index.ts';
import type { CrdEntry, Katalog } from '../katalog/model.ts';
import type { ChildKind } from './children.ts';
import type { CopyCaches } from './copies.ts';
import type { CacheView, Clock, ClusterWriter, EventSink } from './ports.ts';

export type { EventSink } from './ports.ts';

export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface BoxContext {
  katalog: Katalog;
  entry: CrdEntry;
  /** `<plural>.<group>` — identifies the operator in labels, metrics and the API. */
  crdName: string;
  apiVersion: string;
  kind: string;
  /** The CR kind as the cluster serves it (does it have a status subresource?). */
  resource: ResourceInfo;
  crInformer: CacheView;
  /** Child kinds by Katalog key (`deployments`, `custom:<apiVersion>:<kind>`). */
  kinds: Map<string, ChildKind>;
  /** The caches of copy sources and targets, and which CRs copy which source. */
  copies: CopyCaches;
  writer: ClusterWriter;
  events: EventSink;
  log: Log;
  clock: Clock;
  finalizer: string;
  /** Top-level status fields the CRD's schema drops: not written again (no write loop). */
  statusPruned: Set<string>;
  /** Namespaces that refused a create because they are being deleted (shared by all boxes). */
  terminating: TerminatingNamespaces;
  /** Read-only view of other OperatorBoxes' caches for `cross:` (by Katalog CRD name). */
  crossInformer(crdName: string): CacheView | undefined;
  /** `.metrics` and `.health` for templates. */
  metrics(): Record<string, unknown>;
  health(): Record<string, unknown>;
  /** "Website default/my-site" for logs and errors. */
  describe(cr: KubeObject): string;
}
