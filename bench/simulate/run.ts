// `ork simulate` of N Website CRs for C cycles, as a user runs it (a whole `ork` process: start,
// Katalog load, the real engine over the memory cluster, JSON output). Goal: 1,000 CRs × 3
// cycles in under 5 s.
// Usage: node bench/simulate/run.ts [crs=1000] [cycles=3] [runs=5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const crs = Number(process.argv[2] ?? 1000);
const cycles = Number(process.argv[3] ?? 3);
const runs = Number(process.argv[4] ?? 5);
const repo = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ork-sim-bench-'));
const crFile = join(dir, 'crs.yaml');
writeFileSync(crFile, Array.from({ length: crs }, (_, i) => `apiVersion: demo.orkestra.io/v1alpha1
kind: Website
metadata:
  name: site-${i}
  namespace: ns-${i % 10}
spec:
  image: nginx:1.27
  replicas: ${1 + (i % 3)}
  port: 8080
`).join('---\n'));

const times: number[] = [];
let last = '';
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, [join(repo, 'packages/orkestra/bin/ork.js'), 'simulate', '-k', join(repo, 'examples/website/katalog.yaml'), '--cr', crFile, '--cycles', String(cycles), '-o', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  times.push(performance.now() - t0);
  if (p.status !== 0) throw new Error(`ork simulate failed (${p.status}): ${p.stderr}`);
  last = p.stdout;
}
const result = JSON.parse(last) as { cycles: { operations: unknown[] }[] }[];
const ops = result[0]!.cycles.map((c) => c.operations.length);
times.sort((a, b) => a - b);
const s = (ms: number) => (ms / 1000).toFixed(2);
console.log(`ork simulate: ${crs} CRs × ${cycles} cycles, operations per cycle ${ops.join(' / ')}`);
console.log(`wall time over ${runs} runs: min ${s(times[0]!)} s, median ${s(times[Math.floor(times.length / 2)]!)} s, max ${s(times[times.length - 1]!)} s (goal < 5 s)`);
