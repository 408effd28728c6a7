// What every pipeline stage of one OperatorBox may use. The OperatorBox builds it once; stages
// read the caches through it and write only through `applier` / `client`.
import type { Applier, Informer, KubeClient, KubeObject, TerminatingNamespaces } from '../kube/index.ts';
import type { CrdEntry, Katalog } from '../katalog/model.ts';
import type { ChildKind } from './children.ts';

export interface EventSink {
  /** Never throws; repeats are aggregated by the recorder. */
  emit(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void;
}

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
  crInformer: Informer;
  /** Child kinds by Katalog key (`deployments`, `custom:<apiVersion>:<kind>`). */
  kinds: Map<string, ChildKind>;
  client: KubeClient;
  applier: Applier;
  events: EventSink;
  log: Log;
  finalizer: string;
  /** Namespaces that refused a create because they are being deleted (shared by all boxes). */
  terminating: TerminatingNamespaces;
  /** Read-only view of other OperatorBoxes' caches for `cross:` (by Katalog CRD name). */
  crossInformer(crdName: string): Informer | undefined;
  /** `.metrics` and `.health` for templates. */
  metrics(): Record<string, unknown>;
  health(): Record<string, unknown>;
  /** "Website default/my-site" for logs and errors. */
  describe(cr: KubeObject): string;
}
