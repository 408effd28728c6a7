// The real engine, one reconcile per CR on demand, no workers: what `ork plan` (a live cluster
// read through a recording writer) and `ork simulate` (the memory cluster) share. The stages, the
// executor and the writer are the very code `ork run` uses; only the cluster behind the ports and
// the driver (this file instead of the work queue) differ.
import { objectKey, type KubeObject } from '../kube/index.ts';
import type { Katalog } from '../katalog/model.ts';
import { Runtime } from './runtime.ts';
import type { Log } from './box-context.ts';
import type { Clock, Cluster } from './ports.ts';
import type { ReconcileScope } from './scope.ts';

export interface DryRunOptions {
  log: Log;
  clock?: Clock;
  /** Only CRs of this namespace. */
  namespace?: string;
  syncTimeoutMs?: number;
  /** Sees every reconcile's scope as it finishes (tests). */
  observe?(scope: ReconcileScope): void;
}

export interface CrResult {
  /** The Katalog's CRD key. */
  crd: string;
  key: string;
  cr: KubeObject;
  /** The reconcile's scope: intents, status, changes, issues. Undefined when it did not run (CR gone). */
  scope?: ReconcileScope;
  /** A retryable failure the reconcile threw (terminal problems are in `scope.issues`). */
  error?: string;
}

export class DryRun {
  readonly runtime: Runtime;
  private readonly opts: DryRunOptions;
  private seen?: ReconcileScope;

  constructor(katalog: Katalog, cluster: Cluster, opts: DryRunOptions) {
    this.opts = opts;
    this.runtime = new Runtime(katalog, {
      cluster, log: opts.log, clock: opts.clock, namespace: opts.namespace,
      reconciler: { observe: (s) => { this.seen = s; opts.observe?.(s); } },
    });
  }

  /** Fills every box's caches; fails naming each CRD the cluster does not serve. */
  async start(): Promise<void> {
    await this.runtime.startInformers(this.opts.syncTimeoutMs ?? 60_000);
    const missing = [...this.runtime.boxes.values()].filter((b) => !b.reconciler).map((b) => `${b.entry.name} (${b.crdName}): ${b.healthSnapshot().lastError ?? 'not served'}`);
    if (missing.length > 0) throw new Error(`the cluster does not serve ${missing.length === 1 ? 'this CRD' : 'these CRDs'}:\n  ${missing.join('\n  ')}`);
  }

  /**
   * Reconciles once every cached CR that `select` accepts, and each of `extra` (CRs given by the
   * user that the cluster may not have), in a stable order: by CRD, then namespace/name.
   */
  async cycle(select: (crd: string, cr: KubeObject) => boolean = () => true, extra: { crd: string; cr: KubeObject }[] = []): Promise<CrResult[]> {
    const out: CrResult[] = [];
    for (const [name, box] of [...this.runtime.boxes].sort(([a], [b]) => a.localeCompare(b))) {
      const reconciler = box.reconciler;
      if (!reconciler || !box.crInformer) continue;
      const given = extra.filter((e) => e.crd === name);
      const givenKeys = new Set(given.map((e) => objectKey(e.cr)));
      const work = box.crInformer.list().filter((cr) => !givenKeys.has(objectKey(cr)) && select(name, cr)).map((cr) => ({ cr, override: undefined as KubeObject | undefined }));
      // A given CR the cluster already has is planned as it is stored there, with the file's spec.
      for (const e of given) {
        const cached = box.crInformer.getByKey(objectKey(e.cr));
        work.push({ cr: e.cr, override: cached ? { ...cached, spec: e.cr.spec, metadata: { ...cached.metadata, labels: e.cr.metadata?.labels ?? cached.metadata?.labels, annotations: e.cr.metadata?.annotations ?? cached.metadata?.annotations } } : e.cr });
      }
      work.sort((a, b) => objectKey(a.cr).localeCompare(objectKey(b.cr)));
      for (const { cr, override } of work) {
        const key = objectKey(cr);
        this.seen = undefined;
        let error: string | undefined;
        try {
          await reconciler.reconcile(key, undefined, override);
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
        out.push({ crd: name, key, cr: override ?? cr, scope: this.seen, error });
      }
    }
    return out;
  }

  stop(): Promise<void> {
    return this.runtime.stop(5_000);
  }
}
