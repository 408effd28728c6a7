// `ork simulate` without the printing: the real engine over the memory cluster, cycle by cycle.
// A cycle reconciles every CR once (in a stable order) and records the write requests the memory
// cluster answered, the status written, the events and the problems. Between cycles the
// controllers of a real cluster are played, reduced to their happy outcome: a Deployment,
// StatefulSet or ReplicaSet becomes fully available (as the original's simulator does after
// cycle 1) and a Job runs to success (a Job seeded with a Failed condition stays failed). Then
// time moves on by the resync period.
import { parseDuration } from '../conditions/cron.ts';
import type { Katalog } from '../katalog/model.ts';
import type { KubeObject } from '../kube/index.ts';
import { crdFromApiTypes } from './crds.ts';
import { DEFAULT_RESYNC_MS } from './operator-box.ts';
import { DryRun, type CrResult } from './dry-run.ts';
import { MemoryCluster, type Operation, type RecordedEvent } from './memory/memory-cluster.ts';
import type { Log } from './box-context.ts';
import type { Clock } from './ports.ts';
import type { ReconcileIssue } from './errors.ts';

export interface SimulatedCr {
  crd: string;
  key: string;
  /** The write requests this CR's reconcile sent, as the memory cluster answered them. */
  operations: Operation[];
  /** What the reconcile decided for each child (create, update, delete) — labels the operations. */
  changes: { action: 'created' | 'updated' | 'deleted'; kind: string; namespace?: string; name: string }[];
  status?: Record<string, unknown>;
  issues: ReconcileIssue[];
  error?: string;
}

export interface Cycle {
  n: number;
  /** Milliseconds since the epoch on the simulated clock when the cycle ran. */
  at: number;
  crs: SimulatedCr[];
  events: RecordedEvent[];
  /** No write changed anything in this cycle. */
  quiet: boolean;
}

export interface SimulationInput {
  katalog: Katalog;
  /** The CRs to reconcile (apiVersion, kind, metadata.name, spec …). */
  crs: KubeObject[];
  /** CRD objects; a Katalog CRD without one here is served as generated from its `apiTypes`. */
  crds?: KubeObject[];
  /** Objects that exist before the first cycle (Secrets a Deployment reads, a finished Job, …). */
  objects?: KubeObject[];
  cycles: number;
  log: Log;
  /** Start of the simulated clock (default: now). */
  startMs?: number;
}

const WORKLOADS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
];

/** A clock the simulator moves; nothing in the engine sees the wall clock during a simulation. */
class SimulatedClock implements Clock {
  t: number;
  constructor(t: number) { this.t = t; }
  now(): number { return this.t; }
}

export class Simulation {
  readonly cluster: MemoryCluster;
  readonly clock: SimulatedClock;
  private readonly input: SimulationInput;
  private readonly run: DryRun;
  private readonly resyncMs: number;

  constructor(input: SimulationInput) {
    this.input = input;
    // Whole seconds: creationTimestamps have second precision, like the API server's.
    this.clock = new SimulatedClock(Math.floor((input.startMs ?? Date.now()) / 1000) * 1000);
    this.cluster = new MemoryCluster({ clock: this.clock });
    const given = new Set((input.crds ?? []).map((c) => c.metadata?.name));
    const generated = input.katalog.crds.filter((c) => c.enabled && !given.has(`${c.apiTypes.plural}.${c.apiTypes.group}`)).map(crdFromApiTypes);
    this.cluster.load([...(input.crds ?? []), ...generated, ...(input.objects ?? []), ...input.crs]);
    this.run = new DryRun(input.katalog, this.cluster, { log: input.log, clock: this.clock });
    const periods = input.katalog.crds.filter((c) => c.enabled).map((c) => (c.operatorBox.resync && parseDuration(c.operatorBox.resync)) || DEFAULT_RESYNC_MS);
    this.resyncMs = periods.length > 0 ? Math.min(...periods) : DEFAULT_RESYNC_MS;
  }

  async *cycles(): AsyncGenerator<Cycle> {
    await this.run.start();
    this.cluster.takeOperations();
    this.cluster.takeEvents();
    try {
      for (let n = 1; n <= this.input.cycles; n++) {
        const at = this.clock.now();
        const crs: SimulatedCr[] = [];
        for (const r of await this.run.cycle()) crs.push(this.summarize(r));
        const events = this.cluster.takeEvents();
        yield { n, at, crs, events, quiet: crs.every((c) => c.operations.every((o) => !o.changed)) };
        await this.playControllers();
        this.clock.t += this.resyncMs;
        this.cluster.resync();
      }
    } finally {
      await this.run.stop();
    }
  }

  /** Runs every cycle and returns them all. */
  async all(): Promise<Cycle[]> {
    const out: Cycle[] = [];
    for await (const c of this.cycles()) out.push(c);
    return out;
  }

  private summarize(r: CrResult): SimulatedCr {
    // The memory cluster answers synchronously: the operations logged since the last take are
    // exactly this reconcile's.
    const operations = this.cluster.takeOperations();
    const s = r.scope;
    return {
      crd: r.crd, key: r.key, operations,
      changes: (s?.changes ?? []).map((c) => ({ action: c.action, kind: c.kind, namespace: c.namespace, name: c.name })),
      ...(s?.status?.written ? { status: s.status.desired } : {}),
      issues: [...(s?.issues ?? [])],
      ...(r.error ? { error: r.error } : {}),
    };
  }

  /** The controllers a real cluster runs, reduced to their outcome: workloads become available. */
  private async playControllers(): Promise<void> {
    for (const ref of WORKLOADS) {
      for (const o of this.cluster.objects(ref)) {
        if (o.metadata?.deletionTimestamp) continue;
        const replicas = typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
        const status = {
          observedGeneration: o.metadata?.generation, replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas,
          ...(ref.kind === 'Deployment' ? { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } : {}),
        };
        await this.cluster.patchStatus(o, status);
      }
    }
    for (const job of this.cluster.objects({ apiVersion: 'batch/v1', kind: 'Job' })) {
      const done = ((job.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
      if (done || job.metadata?.deletionTimestamp) continue;
      const at = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      await this.cluster.patchStatus(job, { succeeded: 1, startTime: at, completionTime: at, conditions: [{ type: 'Complete', status: 'True' }] });
    }
    // Not the operator's writes.
    this.cluster.takeOperations();
    this.cluster.resetRequests();
  }
}
