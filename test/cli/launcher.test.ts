// The `ork` launcher (packages/orkestra/bin/ork.js) runs the JS build when it is current and the
// TypeScript sources otherwise. Checked on a throw-away copy of the package layout whose two entry
// points say which one ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoDir } from '../../testenv/cluster.ts';

const LAUNCHER = join(repoDir, 'packages/orkestra/bin/ork.js');

function fakePackage(): { dir: string; run: () => string; touch: (file: string, secondsAgo: number) => void; flags: (env?: Record<string, string>) => { pid: number; reported: { pid: number; execArgv: string[] } } } {
  const dir = mkdtempSync(join(tmpdir(), 'ork-launcher-'));
  for (const d of ['bin', 'dist/cli', 'src/cli']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  copyFileSync(LAUNCHER, join(dir, 'bin/ork.js'));
  writeFileSync(join(dir, 'dist/cli/main.js'), 'export async function main(argv) { if (argv[0] === "flags") console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv })); else console.log("dist " + argv.join(" ")); return 0; }\n');
  writeFileSync(join(dir, 'src/cli/main.ts'), 'export async function main(argv: string[]): Promise<number> { console.log("src " + argv.join(" ")); return 0; }\n');
  const touch = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(dir, file), t, t);
  };
  const run = () => execFileSync(process.execPath, [join(dir, 'bin/ork.js'), 'a', 'b'], { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } }).trim();
  const flags = (env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(dir, 'bin/ork.js'), 'flags'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
    assert.equal(r.status, 0, r.stderr);
    return { pid: r.pid!, reported: JSON.parse(r.stdout) as { pid: number; execArgv: string[] } };
  };
  return { dir, run, touch, flags };
}

test('the launcher runs dist/ when it is newer than every source, the sources when one is newer or dist/ is missing', () => {
  const p = fakePackage();
  try {
    p.touch('src/cli/main.ts', 60);
    p.touch('dist/cli/main.js', 10);
    assert.equal(p.run(), 'dist a b');

    // A source edited after the build: the build is stale, the sources run.
    writeFileSync(join(p.dir, 'src/cli/extra.ts'), 'export {};\n');
    assert.equal(p.run(), 'src a b');

    // Declaration files and tests are not built: they do not make the build stale.
    p.touch('src/cli/extra.ts', 30);
    writeFileSync(join(p.dir, 'src/cli/types.d.ts'), 'export {};\n');
    writeFileSync(join(p.dir, 'src/cli/main.test.ts'), 'export {};\n');
    assert.equal(p.run(), 'dist a b');

    rmSync(join(p.dir, 'dist'), { recursive: true });
    assert.equal(p.run(), 'src a b');
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('a package without src/ (as published) runs dist/', () => {
  const p = fakePackage();
  try {
    rmSync(join(p.dir, 'src'), { recursive: true });
    assert.equal(p.run(), 'dist a b');
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});

test('the launcher gives ork a small young generation in the same process, unless the user chose one', () => {
  const p = fakePackage();
  try {
    const tuned = p.flags();
    assert.deepEqual(tuned.reported.execArgv, ['--max-semi-space-size=2']);
    assert.equal(tuned.reported.pid, tuned.pid, 'the launcher replaced itself (exec), it did not spawn a second process');

    assert.deepEqual(p.flags({ NODE_OPTIONS: '--max-semi-space-size=8' }).reported.execArgv, [], 'NODE_OPTIONS wins');
    const own = spawnSync(process.execPath, ['--optimize-for-size', join(p.dir, 'bin/ork.js'), 'flags'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.deepEqual((JSON.parse(own.stdout) as { execArgv: string[] }).execArgv, ['--optimize-for-size'], 'flags on the command line win');
  } finally {
    rmSync(p.dir, { recursive: true, force: true });
  }
});
