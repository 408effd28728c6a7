import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { buildProgram } from './main.ts';
import { NOT_BUILT_YET, registerNotBuilt } from './not-built.ts';
import { versionText } from './version.ts';

const bin = fileURLToPath(new URL('../../bin/ork.js', import.meta.url));
const pkgDir = fileURLToPath(new URL('../../', import.meta.url));
const ork = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('the CLI knows its commands', () => {
  const names = buildProgram().commands.map((c) => c.name());
  for (const n of ['validate', 'template', 'run', 'version']) assert.ok(names.includes(n), `missing command ${n}`);
});

test('ork version and ork --version: package version, the checkout\'s commit, Node.js version', () => {
  const version = (JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8')) as { version: string }).version;
  const head = execFileSync('git', ['-C', pkgDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  for (const args of [['version'], ['--version'], ['-V']]) {
    const r = ork(...args);
    assert.equal(r.status, 0, r.stderr);
    const [first, commit, node] = r.stdout.trimEnd().split('\n');
    assert.equal(first, `ork ${version}`);
    assert.match(commit!, new RegExp(`^commit: +${head}( \\+ uncommitted changes)?$`));
    assert.equal(node, `node.js: ${process.version}`);
  }
});

test('a commit that cannot be known is said to be unknown', () => {
  assert.equal(versionText({ version: '1.2.3', commit: 'unknown', node: 'v24.0.0' }), 'ork 1.2.3\ncommit:  unknown\nnode.js: v24.0.0\n');
});

test('ork --help lists the seed README commands not built yet; running one says so (exit 1)', () => {
  const help = ork('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Not built yet/);
  for (const c of ['simulate', 'plan', 'diff', 'init', 'generate', 'control']) assert.match(help.stdout, new RegExp(`^  ${c} +\\S`, 'm'));
  const r = ork('init', 'my-operator');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^ork init: not built yet \(scaffold a new operator project/);
});

test('a command that exists is never listed or stubbed as not built', () => {
  const program = new Command('ork');
  program.command(NOT_BUILT_YET[0]!.name).description('the real one');
  registerNotBuilt(program);
  assert.equal(program.commands.filter((c) => c.name() === NOT_BUILT_YET[0]!.name).length, 1);
  const notBuilt = help(program).split('Not built yet')[1] ?? '';
  assert.match(notBuilt, new RegExp(`^  ${NOT_BUILT_YET[1]!.name} `, 'm'));
  assert.doesNotMatch(notBuilt, new RegExp(`^  ${NOT_BUILT_YET[0]!.name} `, 'm'));
});

function help(program: Command): string {
  let out = '';
  program.configureOutput({ writeOut: (s) => (out += s) });
  program.outputHelp();
  return out;
}
