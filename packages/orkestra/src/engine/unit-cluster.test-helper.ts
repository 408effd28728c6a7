// What the engine's unit tests share: a Katalog of one `App` CRD around the operatorBox a test
// writes, loaded and run by the real engine over a fresh memory cluster, driven by hand.
import assert from 'node:assert/strict';
import { loadKatalogText } from '../katalog/loader.ts';
import type { Katalog } from '../katalog/model.ts';
import type { KubeObject } from '../kube/index.ts';
import { MemoryCluster } from './memory/memory-cluster.ts';
import { DryRun } from './dry-run.ts';
import { crdFromApiTypes } from './crds.ts';
import type { Reconciler } from './reconciler.ts';
import type { ReconcileScope } from './scope.ts';

export const quietLog = { info() {}, warn() {}, error() {}, debug() {} };
export const APP = { apiVersion: 'demo.orkestra.io/v1alpha1', kind: 'App' };

/** A clock a test moves by hand (starts at 2026-06-01T00:00:00Z). */
export function manualClock(): { t: number; now(): number } {
  return { t: Date.parse('2026-06-01T00:00:00Z'), now() { return this.t; } };
}

/** The text of a Katalog with one CRD `app` (kind App) and this operatorBox. */
export function appKatalogText(operatorBox: string): string {
  return `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: unit}
spec:
  crds:
    app:
      apiTypes: {group: demo.orkestra.io, version: v1alpha1, kind: App, plural: apps}
      operatorBox:
${operatorBox.replace(/^/gm, '        ')}
`;
}

/** That Katalog, loaded; fails the test when it does not load. */
export function appKatalog(operatorBox: string): Katalog {
  const loaded = loadKatalogText(appKatalogText(operatorBox), '/unit/katalog.yaml');
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  return loaded.katalog;
}

/** An App CR to seed. */
export const app = (name: string, namespace: string, spec: Record<string, unknown>): KubeObject => ({ ...APP, metadata: { name, namespace }, spec });

export interface AppRun {
  katalog: Katalog;
  cluster: MemoryCluster;
  run: DryRun;
  reconciler: Reconciler;
}

/**
 * Starts the engine for `appKatalog(operatorBox)` over `cluster` (default: a fresh one holding the
 * App CRD and `crs`). `observe` sees every reconcile's scope.
 */
export async function startApp(operatorBox: string, crs: KubeObject[], opts: { clock?: { now(): number }; cluster?: MemoryCluster; observe?(s: ReconcileScope): void } = {}): Promise<AppRun> {
  const katalog = appKatalog(operatorBox);
  let cluster = opts.cluster;
  if (!cluster) {
    cluster = new MemoryCluster(opts.clock ? { clock: opts.clock } : {});
    cluster.load([crdFromApiTypes(katalog.crds[0]!), ...crs]);
  }
  const run = new DryRun(katalog, cluster, { log: quietLog, clock: opts.clock, observe: opts.observe });
  await run.start();
  return { katalog, cluster, run, reconciler: run.runtime.boxes.get('app')!.reconciler! };
}
