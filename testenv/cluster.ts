// Control of the local control plane from tests and tools: paths, and start/stop of single
// components through the same scripts a user runs (up.sh / down.sh).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const repoDir = dirname(here);
export const runDir = process.env.TESTENV_RUN ?? join(repoDir, '.testenv');
export const kubeconfigPath = join(runDir, 'kubeconfig');

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

export function isRunning(component: Component): boolean {
  const f = join(runDir, 'pids', `${component}.pid`);
  if (!existsSync(f)) return false;
  try {
    process.kill(Number(readFileSync(f, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

export async function up(...components: Component[]): Promise<void> {
  await run('bash', [join(here, 'up.sh'), ...components], { maxBuffer: 1 << 24 });
}

/** Stops components; with `kill` the process gets SIGKILL at once, as in a crash. */
export async function down(components: Component[] = [], opts: { kill?: boolean } = {}): Promise<void> {
  await run('bash', [join(here, 'down.sh'), ...(opts.kill ? ['--kill'] : []), ...components], { maxBuffer: 1 << 24 });
}
