// `ork version` / `ork --version`: the package version, the commit it was built from, and the
// Node.js that runs it — what a bug report needs. The commit comes from the checkout the code
// runs from (when git tracks this package there), else from dist/build-info.json written by the
// package build, else it cannot be known and says so.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/** The package root, from src/cli/ and from dist/cli/ alike. */
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface VersionInfo {
  version: string;
  /** Full commit hash, `+ uncommitted changes` when the checkout differs; `unknown` when not knowable. */
  commit: string;
  node: string;
}

function git(args: string[]): string | undefined {
  const r = spawnSync('git', ['-C', PACKAGE_DIR, ...args], { encoding: 'utf8', timeout: 2_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function commitOfCheckout(): string | undefined {
  // An installed package inside someone else's repository must not report that repository's commit.
  if (git(['ls-files', '--error-unmatch', 'package.json']) === undefined) return undefined;
  const head = git(['rev-parse', 'HEAD']);
  if (head === undefined) return undefined;
  const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', '.']);
  return dirty ? `${head} + uncommitted changes` : head;
}

function commitOfBuild(): string | undefined {
  try {
    const info = JSON.parse(readFileSync(new URL('../build-info.json', import.meta.url), 'utf8')) as { commit?: unknown };
    return typeof info.commit === 'string' && info.commit !== '' ? info.commit : undefined;
  } catch {
    return undefined;
  }
}

export function versionInfo(): VersionInfo {
  const pkg = JSON.parse(readFileSync(`${PACKAGE_DIR}package.json`, 'utf8')) as { version?: string };
  return { version: pkg.version ?? 'unknown', commit: commitOfCheckout() ?? commitOfBuild() ?? 'unknown', node: process.version };
}

export function versionText(v: VersionInfo = versionInfo()): string {
  return `ork ${v.version}\ncommit:  ${v.commit}\nnode.js: ${v.node}\n`;
}

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('print the version, the commit it was built from and the Node.js version')
    .action(() => {
      process.stdout.write(versionText());
    });
}
