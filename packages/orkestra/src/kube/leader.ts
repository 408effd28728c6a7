// Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection:
//  - a candidate takes the Lease when it is free (no holder) or its holder has not renewed it
//    for leaseDuration, measured on the candidate's own clock from when it last saw the record
//    change (no cross-machine clock comparison);
//  - the leader renews every retryPeriod and steps down if no renewal succeeded within
//    renewDeadline (< leaseDuration, so it stops before anyone else may start);
//  - every write carries the resourceVersion it read (optimistic concurrency);
//  - stop() releases the Lease (empty holder) so a follower takes over at its next retry.
import { delay } from './backoff.ts';
import type { KubeClient } from './client.ts';
import { isAlreadyExists, isConflict, isNotFound } from './errors.ts';
import { microTime } from './events.ts';
import type { KubeObject } from './types.ts';

export interface LeaderCallbacks {
  /** The signal aborts when leadership ends. */
  onStartedLeading?(signal: AbortSignal): void;
  onStoppedLeading?(): void;
  /** Any change of the observed holder, including to this candidate. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionOptions extends LeaderCallbacks {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onError?(err: unknown): void;
}

type LeaseSpec = {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
};
interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' };

export class LeaderElector {
  readonly identity: string;
  private readonly client: KubeClient;
  private readonly opts: Required<Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>> & LeaderElectionOptions;
  private leading = false;
  private leaderController?: AbortController;
  private stopController = new AbortController();
  private running?: Promise<void>;
  private observed?: Lease;
  private observedAt = 0;
  private observedHolder = '';

  constructor(client: KubeClient, opts: LeaderElectionOptions) {
    this.client = client;
    this.identity = opts.identity;
    this.opts = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...opts };
    const o = this.opts;
    if (!(o.leaseDurationMs > o.renewDeadlineMs && o.renewDeadlineMs > o.retryPeriodMs)) {
      throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last seen on the Lease ("" when free or unknown). */
  get leader(): string {
    return this.observedHolder;
  }

  start(): void {
    if (this.running) return;
    this.stopController = new AbortController();
    this.running = this.loop();
  }

  /** Stops contending; a leader steps down and (unless release is false) frees the Lease. */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopController.abort();
    await this.running;
    this.running = undefined;
    if (this.leading) {
      this.stepDown();
      if (opts.release !== false) await this.release();
    }
  }

  private async loop(): Promise<void> {
    const stop = this.stopController.signal;
    let lastRenew = 0;
    while (!stop.aborted) {
      const ok = await this.tryAcquireOrRenew();
      if (stop.aborted) break;
      const now = Date.now();
      if (ok) {
        lastRenew = now;
        if (!this.leading) {
          this.leading = true;
          this.leaderController = new AbortController();
          this.call(() => this.opts.onStartedLeading?.(this.leaderController!.signal));
        }
        await delay(this.opts.retryPeriodMs, stop);
      } else if (this.leading && now - lastRenew >= this.opts.renewDeadlineMs) {
        this.stepDown();
      } else {
        // Followers spread their retries (client-go's jitter factor 1.2); a leader retries promptly.
        await delay(this.leading ? this.opts.retryPeriodMs / 4 : this.opts.retryPeriodMs * (1 + 0.2 * Math.random()), stop);
      }
    }
  }

  private stepDown(): void {
    if (!this.leading) return;
    this.leading = false;
    this.leaderController?.abort();
    this.call(() => this.opts.onStoppedLeading?.());
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.opts;
    const now = Date.now();
    const mine: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.opts.leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      let lease: Lease;
      try {
        lease = await this.client.get<Lease>(LEASE, name, { namespace });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        const created = await this.client.create<Lease>({ ...LEASE, metadata: { name, namespace }, spec: mine });
        this.observe(created);
        return true;
      }
      this.observe(lease);
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      const durationMs = (spec.leaseDurationSeconds ?? Math.ceil(this.opts.leaseDurationMs / 1000)) * 1000;
      if (holder && holder !== this.identity && this.observedAt + durationMs > now) return false;
      const next: LeaseSpec =
        holder === this.identity
          ? { ...mine, acquireTime: spec.acquireTime ?? mine.acquireTime, leaseTransitions: spec.leaseTransitions ?? 0 }
          : { ...mine, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
      const updated = await this.client.replace<Lease>({ ...LEASE, metadata: { ...lease.metadata, name, namespace }, spec: next });
      this.observe(updated);
      return true;
    } catch (e) {
      if (!isConflict(e) && !isAlreadyExists(e)) this.report(e);
      return false;
    }
  }

  /** Remembers the record and, when it changed, the local time it was seen. */
  private observe(lease: Lease): void {
    const before = JSON.stringify(this.observed?.spec ?? null);
    if (before !== JSON.stringify(lease.spec ?? null)) {
      this.observed = lease;
      this.observedAt = Date.now();
    }
    this.observed = lease;
    const holder = lease.spec?.holderIdentity ?? '';
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder) this.call(() => this.opts.onNewLeader?.(holder));
    }
  }

  private async release(): Promise<void> {
    const lease = this.observed;
    if (!lease || lease.spec?.holderIdentity !== this.identity) return;
    const now = microTime(Date.now());
    try {
      const updated = await this.client.replace<Lease>({
        ...LEASE,
        metadata: lease.metadata,
        spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now },
      });
      this.observe(updated);
    } catch (e) {
      this.report(e);
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.report(e);
    }
  }

  private report(e: unknown): void {
    try {
      this.opts.onError?.(e);
    } catch {
      // An error hook that throws must not stop the elector.
    }
  }
}
