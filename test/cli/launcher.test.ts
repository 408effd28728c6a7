// The `ork` launcher (packages/orkestra/bin/ork.js) runs the JS build when it is current and the
// TypeScript sources otherwise. Checked on a throw-away copy of the package layout whose two entry
// points say which one ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoDir } from '../../testenv/cluster.ts';

const LAUNCHER = join(repoDir, 'packages/orkestra/bin/ork.js');

function fakePackage(): { dir: string; run: () => string; touch: (file: string, secondsAgo: number) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ork-launcher-'));
  for (const d of ['bin', 'dist/cli', 'src/cli']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  copyFileSync(LAUNCHER, join(dir, 'bin/ork.js'));
  writeFileSync(join(dir, 'dist/cli/main.js'), 'export async function main(argv) { console.log("dist " + argv.join(" ")); return 0; }\n');
  writeFileSync(join(dir, 'src/cli/main.ts'), 'export async function main(argv: string[]): Promise<number> { console.log("src " + argv.join(" ")); return 0; }\n');
  const touch = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(join(dir, file), t, t);
  };
  const run = () => execFileSync(process.execPath, [join(dir, 'bin/ork.js'), 'a', 'b'], { encoding: 'utf8', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } }).trim();
  return { dir, run, touch };
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
