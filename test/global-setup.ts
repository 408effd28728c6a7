// node:test global setup: the control plane is started once per test run and stopped at the end.
// If it was already running (a developer's `npm run cluster:up`), it is reused and left running.
// ORK_TESTENV=off skips it (unit tests only).
import { down, isRunning, up } from '../testenv/cluster.ts';

let startedHere = false;

export async function globalSetup(): Promise<void> {
  if (process.env.ORK_TESTENV === 'off') return;
  if (isRunning('kube-apiserver')) return;
  const t0 = Date.now();
  await up();
  startedHere = true;
  console.error(`[global-setup] control plane up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

export async function globalTeardown(): Promise<void> {
  if (startedHere) await down();
}
