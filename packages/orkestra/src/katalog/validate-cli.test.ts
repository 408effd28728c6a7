import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { validateKatalog } from '../cli/validate.ts';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/ork.js', import.meta.url));

test('validate: a valid Katalog exits 0 with a summary (no providers line: none can be declared yet)', async () => {
  const out = await validateKatalog(testdata + 'valid/readme-env.yaml', { cwd: testdata });
  assert.equal(out.exitCode, 0, out.stderr);
  assert.match(out.stdout, /Katalog env is valid/);
  assert.match(out.stdout, /CRDs: +1 \(app → App\.demo\.orkestra\.io\/v1\)/);
  assert.match(out.stdout, /kinds: +configMaps, deployments, secrets/);
  assert.match(out.stdout, /resources: onCreate 3, onReconcile 0, onDelete 0/);
  assert.doesNotMatch(out.stdout, /provider/);
});

test('validate: a key without a runtime consumer exits 1 with `not supported yet` at its line:col; providers are never listed', async () => {
  const deny = await validateKatalog(testdata + 'valid/readme-conversion-normalize.yaml', { cwd: testdata });
  assert.equal(deny.exitCode, 1);
  assert.equal(deny.stdout, '');
  assert.match(deny.stderr, /^valid\/readme-conversion-normalize\.yaml:\d+:7: error: not supported yet: spec\.crds\.backup\.conversion .*\(at spec\.crds\.backup\.conversion\)$/m);
  assert.match(deny.stderr, /^2 errors$/m);
  const providers = await validateKatalog(testdata + 'valid/all-kinds.yaml', { cwd: testdata });
  assert.equal(providers.exitCode, 1);
  assert.match(providers.stderr, /^valid\/all-kinds\.yaml:7:1: error: not supported yet: providers/m);
  assert.match(providers.stderr, /:101:11: error: not supported yet: spec\.crds\.tenant\.operatorBox\.onCreate\.postgres/);
  const json = JSON.parse((await validateKatalog(testdata + 'valid/all-kinds.yaml', { output: 'json' })).stdout) as { valid: boolean; summary?: unknown; errors: { code: string }[] };
  assert.equal(json.valid, false);
  assert.equal(json.summary, undefined);
  assert.ok(json.errors.every((e) => e.code === 'unsupported'));
});

test('validate: errors exit 1 as file:line:col: error: message (at path)', async () => {
  const out = await validateKatalog(testdata + 'invalid/typo-replicas.yaml', { cwd: testdata });
  assert.equal(out.exitCode, 1);
  assert.match(out.stderr, /^invalid\/typo-replicas\.yaml:19:15: error: unknown key `replcas`; did you mean `replicas`\? \(at spec\.crds\.website\.operatorBox\.onCreate\.deployments\[0\]\.replcas\)$/m);
  assert.match(out.stderr, /^1 error$/m);
});

test('validate --output json', async () => {
  const bad = JSON.parse((await validateKatalog(testdata + 'invalid/operator-unknown.yaml', { output: 'json' })).stdout) as { valid: boolean; errors: { line: number; column: number; code: string }[] };
  assert.equal(bad.valid, false);
  assert.deepEqual([bad.errors[0]!.line, bad.errors[0]!.column, bad.errors[0]!.code], [21, 29, 'unknown-operator']);
  const good = JSON.parse((await validateKatalog(testdata + 'valid/readme-status.yaml', { output: 'json' })).stdout) as { valid: boolean; warnings: { code: string }[] };
  assert.equal(good.valid, true);
  assert.ok(good.warnings.some((w) => w.code === 'yaml-quoted-template'));
});

test('ork validate -k / --katalog through the real binary', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'validate', ...args], { encoding: 'utf8', cwd: testdata });
  const ok = run('-k', 'valid/readme-quickstart.yaml');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /website-operator is valid/);
  const bad = run('--katalog', 'invalid/missing-apitypes.yaml');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid\/missing-apitypes\.yaml:9:7: error: missing `apiTypes`/);
  const missing = run();
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /Katalog file not found: .*katalog\.yaml/);
});
