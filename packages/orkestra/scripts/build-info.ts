// Records the commit the package build (dist/) was made from, for `ork version` when the package
// runs outside its checkout (installed from the registry). Run by `npm run build`.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('..', import.meta.url));
const head = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
const dirty = spawnSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no', '--', '.'], { encoding: 'utf8' });
const commit = head.status !== 0 ? 'unknown' : dirty.stdout.trim() !== '' ? `${head.stdout.trim()} + uncommitted changes` : head.stdout.trim();
writeFileSync(new URL('../dist/build-info.json', import.meta.url), JSON.stringify({ commit }) + '\n');
