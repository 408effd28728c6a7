// `include:` at load: the expansion, and every problem at the line of the file that has it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadKatalog } from './loader.ts';
import { formatDiagnostic } from './diagnostics.ts';
import type { LoadResult } from './model.ts';

const KATALOG = (box: string) => `apiVersion: orkestra.orkspace.io/v1
kind: Katalog
metadata: {name: inc}
spec:
  crds:
    app:
      apiTypes: {group: g.io, version: v1, kind: App, plural: apps}
      operatorBox:
${box.replace(/^/gm, '        ')}
`;

/** Writes the files into a fresh directory and loads `katalog.yaml` from it. */
async function load(files: Record<string, string>): Promise<{ dir: string; r: LoadResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'ork-include-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, r: await loadKatalog(join(dir, 'katalog.yaml'), { env: {} }) };
}
const errors = (dir: string, r: LoadResult) => (r.ok ? [] : r.errors.map((e) => formatDiagnostic(e).replaceAll(`${dir}/`, '')));

test('status and reconciler blocks are expanded from their files; the block\'s own keys win', async () => {
  const { r } = await load({
    'katalog.yaml': KATALOG(`reconcile:
  include: steps.yaml
  onReconcile:
    configMaps: [{name: own, data: {a: "1"}}]
status:
  include: status.yaml
  fields:
    - {path: phase, value: inline}`),
    'steps.yaml': `reconciler:
  onCreate:
    jobs:
      - name: "{{ .metadata.name }}-build"
        image: busybox
  onReconcile:
    configMaps: [{name: theirs}]
`,
    'status.yaml': `fields:
  - path: phase
    value: included
  - {path: step, value: "1"}
`,
  });
  assert.ok(r.ok, errors('', r).join('\n'));
  const box = r.katalog.crds[0]!.operatorBox;
  assert.deepEqual(box.onCreate.resources.map((d) => d.name), ['{{ .metadata.name }}-build']);
  assert.deepEqual(box.onReconcile.resources.map((d) => d.name), ['own'], 'the block\'s own onReconcile wins over the file\'s');
  assert.deepEqual(box.status.fields.map((f) => `${f.path}=${String(f.value)}`), ['phase=included', 'step=1', 'phase=inline'], 'included first, the own after (they win)');
  const build = box.onCreate.resources[0]!;
  assert.match(build.source.file, /steps\.yaml$/);
  assert.deepEqual([build.source.line, build.source.column], [4, 9]);
  const [f0, , f2] = box.status.fields;
  assert.deepEqual([f0!.source.file.endsWith('status.yaml'), f0!.source.line], [true, 2]);
  assert.deepEqual([f2!.source.file.endsWith('katalog.yaml'), f2!.source.line], [true, 16], 'a field moved by the expansion keeps its own line');
});

test('errors in an included file point at its own line and column', async () => {
  const { dir, r } = await load({
    'katalog.yaml': KATALOG(`reconcile: {include: steps.yaml}
status:
  include: status.yaml
  fields: [{path: own, valeu: x}]`),
    'steps.yaml': `reconciler:
  onCreate:
    deployments:
      - image: nginx
        replicas: "{{ .spec.replicas "
    external: [{name: x, url: "http://x"}]
`,
    'status.yaml': `# status rules
fields:
  - path: phase
    vlaue: Ready
`,
  });
  const got = errors(dir, r);
  assert.ok(got.some((l) => l.startsWith('steps.yaml:5:38: error: template syntax error: unclosed action')), got.join('\n'));
  assert.ok(got.some((l) => l.startsWith('steps.yaml:6:5: error: not supported yet: spec.crds.app.operatorBox.reconcile.onCreate.external')), got.join('\n'));
  assert.ok(got.some((l) => /^status\.yaml:4:5: error: unknown key `vlaue`; did you mean `value`\?/.test(l)), got.join('\n'));
  assert.ok(got.some((l) => /^katalog\.yaml:12:32: error: unknown key `valeu`/.test(l)), `the Katalog's own field, moved behind the included ones, keeps its position:\n${got.join('\n')}`);
});

test('a missing file is an error at the include: line; a YAML error of the file is its own', async () => {
  const { dir, r } = await load({ 'katalog.yaml': KATALOG('status:\n  include: ./nope.yaml') });
  assert.deepEqual(errors(dir, r), ['katalog.yaml:10:20: error: include file not found: ./nope.yaml (nope.yaml) (at spec.crds.app.operatorBox.status.include)']);
  const bad = await load({ 'katalog.yaml': KATALOG('status: {include: s.yaml}'), 's.yaml': 'fields:\n  - path: [x\n' });
  assert.match(errors(bad.dir, bad.r)[0]!, /^s\.yaml:\d+:\d+: error: invalid YAML/);
  const top = await load({ 'katalog.yaml': KATALOG('status: {include: s.yaml}'), 's.yaml': 'reconciler: {}\n' });
  assert.deepEqual(errors(top.dir, top.r), ['s.yaml:1:1: error: unknown key `reconciler` in included file s.yaml (expected `fields`, `conditions`, `include`) (at reconciler)']);
});

test('an include cycle is an error naming both include: positions', async () => {
  const { dir, r } = await load({
    'katalog.yaml': KATALOG('status:\n  include: a.yaml'),
    'a.yaml': 'include: b.yaml\nfields: [{path: a, value: "1"}]\n',
    'b.yaml': '# b\ninclude: a.yaml\n',
  });
  assert.deepEqual(errors(dir, r), ['b.yaml:2:10: error: include cycle: b.yaml:2:10 includes a.yaml, but it is already being included at katalog.yaml:10:20 (at include)']);
  const self = await load({ 'katalog.yaml': KATALOG('reconcile: {include: katalog.yaml}') });
  assert.match(errors(self.dir, self.r)[0]!, /^katalog\.yaml:9:30: error: include cycle: katalog\.yaml:9:30 includes katalog\.yaml, but it is the Katalog itself/);
});

test('an included reconciler block may include its status; positions follow both files', async () => {
  const { dir, r } = await load({
    'katalog.yaml': KATALOG('reconciler: {include: parts/steps.yaml}'),
    'parts/steps.yaml': 'reconciler:\n  status: {include: status.yaml}\n',
    'parts/status.yaml': 'fields:\n  - {path: phase, value: "{{ .spec.x | nosuch 1 }}"}\n',
  });
  assert.match(errors(dir, r).join('\n'), /^parts\/status\.yaml:2:40: error: template syntax error: function `nosuch` not defined/m);
});
