import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalTemplate, type Io } from './template.ts';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (s: string) => void (io.stdout += s), err: (s: string) => void (io.stderr += s) };
  return io;
}

test('ork template eval renders against a CR file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ork-tmpl-'));
  const cr = join(dir, 'cr.yaml');
  writeFileSync(cr, 'kind: Website\nmetadata:\n  name: my-site\n  namespace: web\nspec:\n  suspend: true\n');
  const io = capture();
  assert.equal(evalTemplate('{{ .metadata.name }}-svc {{ ternary .spec.suspend "Suspended" "Active" }} {{ .spec.nope }}', { cr }, io), 0);
  assert.equal(io.stdout, 'my-site-svc Suspended\n');
});

test('ork template eval takes inline JSON data and seeds randomness', () => {
  const a = capture();
  const b = capture();
  evalTemplate('{{ randomAlphanumeric 12 }}', { data: '{}', seed: 'uid-1' }, a);
  evalTemplate('{{ randomAlphanumeric 12 }}', { data: '{}', seed: 'uid-1' }, b);
  assert.match(a.stdout, /^[A-Za-z0-9]{12}\n$/);
  assert.equal(a.stdout, b.stdout);
});

test('ork template eval reports errors on stderr with exit code 1', () => {
  const io = capture();
  assert.equal(evalTemplate('{{ if .x }}', { data: '{"metadata":{"name":"n"}}' }, io), 1);
  assert.equal(io.stdout, '');
  assert.match(io.stderr, /eval:1:\d+: unexpected EOF/);
  const io2 = capture();
  assert.equal(evalTemplate('{{ div 1 0 }}', { data: '{"kind":"Website","metadata":{"name":"n","namespace":"ns"}}' }, io2), 1);
  assert.match(io2.stderr, /error calling div: division by zero \(Website ns\/n\)/);
});

test('ork template eval --go uses raw Go semantics', () => {
  const io = capture();
  evalTemplate('{{ .missing }}', { data: '{}', go: 'default' }, io);
  assert.equal(io.stdout, '<no value>\n');
});
