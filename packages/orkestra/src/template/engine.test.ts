// Unit tests: lexer/parser errors with positions, executor semantics, public API behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, hasActions, renderDeep, seededRandom, TemplateExecError, TemplateSyntaxError } from './index.ts';
import { lex } from './lex.ts';

const cr = {
  apiVersion: 'example.com/v1', kind: 'Website',
  metadata: { name: 'my-site', namespace: 'web', uid: 'u-1' },
  spec: { replicas: 3, image: 'nginx', tags: ['b', 'a'], env: { B: '2', A: '1' }, ratio: 0.5, suspend: false },
  children: { job: { metadata: { name: 'build-1' }, status: { succeeded: 1 } } },
};
const render = (s: string, d: unknown = cr): string => compile(s).render(d);
const exec = (s: string, d: unknown = cr): string => compile(s).execute(d);

function syntaxError(src: string): TemplateSyntaxError {
  try {
    compile(src, { name: 'x.yaml' });
  } catch (e) {
    assert.ok(e instanceof TemplateSyntaxError, String(e));
    return e;
  }
  assert.fail(`no syntax error for ${JSON.stringify(src)}`);
}

test('lexer: trim markers, comments, literals', () => {
  const toks = lex('a  {{- .x -}}  b{{/* c */}}{{ "s" `r` \'c\' 0x1F -2 1.5e3 true nil $v | f }}');
  assert.deepEqual(toks.map((t) => t.type), ['text', 'leftDelim', 'field', 'rightDelim', 'text', 'leftDelim', 'string', 'rawString', 'char', 'number', 'number', 'number', 'bool', 'nil', 'variable', 'pipe', 'identifier', 'rightDelim', 'eof']);
  assert.equal(toks[0]!.value, 'a');
  assert.equal(toks[4]!.value, 'b');
});

test('syntax errors carry line, column, offset and detail', () => {
  const e = syntaxError('line one\n  {{ if .x }}\n  {{ .y | }} {{ end');
  assert.equal(e.templateName, 'x.yaml');
  assert.equal(e.line, 3);
  assert.ok(e.column > 0);
  assert.equal(e.offset, 'line one\n  {{ if .x }}\n  '.length + (e.column - 3));
  assert.match(e.message, /^template x\.yaml:3:\d+: /);
  assert.ok(!e.detail.startsWith('template'));
  const cases: [string, number, number, RegExp][] = [
    ['{{ .a', 1, 6, /unclosed action/],
    ['ab\n{{ if .x }}', 2, 12, /unexpected EOF/],
    ['{{ $nope }}', 1, 4, /undefined variable "\$nope"/],
    ['{{ end }}', 1, 4, /unexpected \{\{end\}\}/],
    ['{{ break }}', 1, 4, /outside \{\{range\}\}/],
    ['{{ "abc }}', 1, 4, /unterminated quoted string/],
    ['{{ 08 }}', 1, 4, /illegal number syntax/],
    ['{{ .x 1 | "s" }}', 1, 11, /non executable command in pipeline stage 2/],
    ['{{ (1 }}', 1, 7, /unclosed left paren/],
    ['{{ 1 | }}x{{ | 1 }}', 1, 14, /unexpected "|" in command/],
  ];
  for (const [src, line, col, re] of cases) {
    const err = syntaxError(src);
    assert.match(err.detail, re, src);
    assert.deepEqual([err.line, err.column], [line, col], `${src}: ${err.message}`);
  }
});

test('execution errors name the template, the field or function, and the CR', () => {
  try {
    compile('ok\n{{ index .spec.tags 9 }}', { name: 'res.yaml' }).render(cr, { context: 'Website web/my-site' });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof TemplateExecError);
    assert.equal(e.templateName, 'res.yaml');
    assert.equal(e.line, 2);
    assert.equal(e.target, 'index');
    assert.match(e.message, /res\.yaml:2:4: .*error calling index: .*\(Website web\/my-site\)$/);
  }
  assert.throws(() => compile('{{ .spec.image.tag }}').render(cr), (e: TemplateExecError) => e.target === '.spec.image.tag' && /can't evaluate field tag in type string/.test(e.detail));
  assert.throws(() => compile('{{ .nope }}').execute(cr, { missingKey: 'error' }), /map has no entry for key "nope"/);
});

test('control flow: if/else if, with/else with, range forms, break/continue, variables', () => {
  assert.equal(render('{{ if eq .spec.replicas 1 }}one{{ else if eq .spec.replicas 3 }}three{{ else }}many{{ end }}'), 'three');
  assert.equal(render('{{ with .spec.missing }}a{{ else with .spec.image }}{{ . }}{{ end }}'), 'nginx');
  assert.equal(render('{{ range $k, $v := .spec.env }}{{ $k }}={{ $v }};{{ end }}'), 'A=1;B=2;');
  assert.equal(render('{{ range $i, $t := .spec.tags }}{{ $i }}{{ $t }}{{ end }}'), '0b1a');
  assert.equal(render('{{ range 5 }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}'), '02');
  assert.equal(render('{{ range .spec.none }}x{{ else }}empty{{ end }}'), 'empty');
  assert.equal(render('{{ $x := 1 }}{{ range .spec.tags }}{{ $x = . }}{{ end }}{{ $x }}'), 'a');
  assert.equal(render('{{ define "t" }}[{{ .metadata.name }}]{{ end }}{{ template "t" . }}{{ block "b" 2 }}<{{ . }}>{{ end }}'), '[my-site]<2>');
  assert.equal(render('{{ (index .spec.tags 1) }}-{{ len .spec.tags }}-{{ .spec.image | printf "%s:%d" | printf "%q" }}'), 'a-2-"nginx:%!d(MISSING)"');
});

test('numbers: integral data are ints, floats print like Go', () => {
  assert.equal(render('{{ eq .spec.replicas 3 }} {{ .spec.ratio }} {{ 1e6 }} {{ 1234567.5 }} {{ 0.00001 }}'), 'true 0.5 1e+06 1.2345675e+06 1e-05');
  assert.equal(render('{{ printf "%d %05.1f %x %v" 42 2.25 255 .spec.tags }}'), '42 002.2 ff [b a]');
});

test('Katalog render: missing keys empty, nil chains empty, output trimmed; execute keeps Go', () => {
  assert.equal(render('  {{ .spec.nope }}|{{ .a.b.c }}|{{ .spec.image }}  \n'), '|nginx'.replace('|nginx', '||nginx'));
  assert.equal(exec('{{ .spec.nope }}'), '<no value>');
  assert.throws(() => compile('{{ .a.b }}').execute(cr, { missingKey: 'zero' }), /nil pointer evaluating interface \{\}\.b/);
  assert.equal(render('{{ printf "%s<no value>" "x" }}'), 'x');
});

test('bare identifiers that name no function read root keys in Katalog mode (seed: name children.job)', () => {
  const t = compile('{{ name children.job }}');
  assert.equal(t.render(cr), 'build-1');
  assert.equal(t.warnings.length, 1);
  assert.match(t.warnings[0]!, /"children" is not a function/);
  assert.throws(() => t.execute(cr), /function "children" not defined/);
});

test('an unknown name given arguments (written or piped) is a misspelt function: a syntax error at compile, with the closest name', () => {
  assert.throws(() => compile('{{ nosuchfn 1 }}'), (e: TemplateSyntaxError) => e.detail === 'function `nosuchfn` not defined' && e.column === 4);
  assert.throws(() => compile('{{ trimm .spec.name }}'), (e: TemplateSyntaxError) => e.detail === 'function `trimm` not defined; did you mean `trim`?');
  assert.throws(() => compile('{{ .spec.name | upperr }}'), (e: TemplateSyntaxError) => e.detail === 'function `upperr` not defined; did you mean `upper`?' && e.column === 17);
  // Alone it stays a data key (the seed's `children.job`), with a warning.
  assert.equal(compile('{{ trimm }}').warnings.length, 1);
});

test('compile caches by source; static strings are returned as-is', () => {
  assert.equal(compile('{{ .a }}'), compile('{{ .a }}'));
  const s = compile('plain text');
  assert.equal(s.isStatic, true);
  assert.equal(s.render({}), 'plain text');
  assert.equal(hasActions('a {{ b }}'), true);
  assert.equal(hasActions('a { b }'), false);
});

test('renderDeep renders every string of a nested object', () => {
  const out = renderDeep({ name: '{{ .metadata.name }}-svc', n: 3, list: ['{{ .spec.image }}', 'x'], nested: { ok: true, v: '{{ .spec.replicas }}' } }, cr);
  assert.deepEqual(out, { name: 'my-site-svc', n: 3, list: ['nginx', 'x'], nested: { ok: true, v: '3' } });
});

test('seededRandom is stable per seed and call site; default is random', () => {
  const t = compile('{{ randomAlphanumeric 16 }}-{{ randomAlphanumeric 16 }}');
  const a = t.render(cr, { random: seededRandom('uid-1') });
  assert.equal(a, t.render(cr, { random: seededRandom('uid-1') }));
  assert.notEqual(a, t.render(cr, { random: seededRandom('uid-2') }));
  const [x, y] = a.split('-');
  assert.notEqual(x, y, 'two call sites differ');
  assert.match(x!, /^[A-Za-z0-9]{16}$/);
  assert.notEqual(t.render(cr), t.render(cr));
  const inRange = compile('{{ range 3 }}{{ randomHex 4 }},{{ end }}').render(cr, { random: seededRandom('s') });
  assert.equal(new Set(inRange.split(',').filter(Boolean)).size, 3, 'each iteration gets its own value');
});
