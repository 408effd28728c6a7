// Function library tests, including every intentional difference from Go/sprig (docs/templates.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, seededRandom } from '../index.ts';

const data = {
  metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' }, generation: 2 },
  spec: { suspend: true, schedule: '@daily', smap: { minute: '5', hour: 3 }, tag: '', replicas: 3, tags: ['b', 'a'] },
  status: { observedGeneration: 2, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: 'Up' }] },
  children: {
    deployment: { spec: { replicas: 3 }, status: { readyReplicas: 2, updatedReplicas: 3 } },
    job: { metadata: { name: 'j1' }, status: { succeeded: 1 } },
  },
  cross: { db: { status: { endpoint: 'db:5432', phase: 'Ready' } } },
};
const r = (s: string, d: unknown = data): string => compile(s).render(d, { now: () => new Date('2026-03-04T05:06:07Z') });

test('seed 002 templates render', () => {
  assert.equal(r('{{ ternary .spec.suspend "Suspended" "Active" }}'), 'Suspended');
  assert.equal(r('{{ get .children.deployment "status" "readyReplicas" }}'), '2');
  assert.equal(r('{{ get .cross.db "status" "endpoint" }}'), 'db:5432');
  assert.equal(r('{{ phase .cross.db }}'), 'Ready');
  assert.equal(r('{{ jobSucceeded .children.job }}'), 'true');
  assert.equal(r('{{ name children.job }}'), 'j1');
  assert.match(r('{{ randomAlphanumeric 16 }}'), /^[A-Za-z0-9]{16}$/);
  assert.equal(r('{{ cronToMap .spec.schedule }}'), 'map[dayOfMonth:* dayOfWeek:* hour:0 minute:0 month:*]');
  assert.equal(r('{{ cronFromMap .spec.smap }}'), '5 3 * * *');
  assert.equal(r('{{ cronFromAny .spec.schedule }}'), '0 0 * * *');
  assert.equal(r('{{ cronFromAny .spec.smap }}'), '5 3 * * *');
  assert.throws(() => r('{{ cronFromMap .spec.schedule }}'), /error calling cronFromMap: cronFromMap: expected a map/);
});

test('Katalog argument orders win over sprig (intentional differences)', () => {
  // sprig: ternary TRUE FALSE COND; Katalog: condition first.
  assert.equal(r('{{ ternary true "yes" "no" }}'), 'yes');
  // sprig: contains SUB S, hasPrefix P S, trimPrefix P S, replace OLD NEW S; Katalog: string first.
  assert.equal(r('{{ contains "hello" "ell" }} {{ hasPrefix "hello" "he" }} {{ hasSuffix "hello" "lo" }}'), 'true true true');
  assert.equal(r('{{ trimPrefix "v1.2" "v" }} {{ trimSuffix "a.yaml" ".yaml" }} {{ replace "a-b-c" "-" "." }}'), '1.2 a a.b.c');
  // sprig: split returns map[_0 _1]; Katalog: a list.
  assert.equal(r('{{ split "a,b" "," }}'), '[a b]');
  // join LIST SEP (sprig: SEP LIST — accepted when unambiguous); repeat S N (sprig N S — accepted).
  assert.equal(r('{{ join .spec.tags "," }} {{ join "," .spec.tags }} {{ repeat "ab" 2 }} {{ repeat 2 "ab" }}'), 'b,a b,a abab abab');
  // get OBJ PATH... (sprig: single key, "" when absent).
  assert.equal(r('{{ get . "metadata" "labels" "app" }}|{{ get . "nope" "x" }}|'), 'web||');
  // default FALLBACK VALUE (same as sprig) and "<no value>" counts as empty.
  assert.equal(r('{{ .spec.tag | default "latest" }} {{ default "x" "<no value>" }} {{ default 2 .spec.replicas }}'), 'latest x 3');
  // sha256sum is 8 hex chars; sprig's full digest is sha256sumFull.
  assert.equal(r('{{ sha256sum "x" }}'), '2d711642');
  assert.equal(r('{{ sha256sumFull "x" }}'), '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
  // math keeps floats (sprig truncates to int64): add 1.5 1 = 2.5, div 7 2 = 3.5.
  assert.equal(r('{{ add 1.5 1 }} {{ div 7 2 }} {{ div 6 2 }} {{ mod 7 3 }} {{ max 1.5 1 }} {{ min 3 -1 }}'), '2.5 3.5 3 1 1.5 -1');
  assert.throws(() => r('{{ div 1 0 }}'), /division by zero/);
  // semverCompare A B → -1/0/1 (sprig: constraint check → use semverConstraint).
  assert.equal(r('{{ semverCompare "1.2.3" "1.10.0" }} {{ semverCompare "v2.0.0" "2.0.0" }} {{ semverConstraint "1.2.3" "^1.2" }} {{ semverConstraint "2.0.0" ">= 1, < 2" }}'), '-1 0 true false');
  // len of nil is 0 (Go: error).
  assert.equal(r('{{ len .nope }}'), '0');
  // Numbers compare across int and float (Go: incompatible types).
  assert.equal(r('{{ eq 3 3.0 }} {{ lt 1 1.5 }}'), 'true true');
  // Float verbs accept integers (Go: %!f(int=3)).
  assert.equal(r('{{ printf "%.2f" 3 }}'), '3.00');
  // Functions take nil as the empty value (Go: "invalid value; expected string").
  assert.equal(r('{{ upper .nope }}|{{ b64enc .nope }}'), '|');
});

test('Kubernetes object helpers', () => {
  assert.equal(r('{{ resourceName . }} {{ namespace . }} {{ labels . }} {{ annotations . }} {{ getLabel . "app" }} {{ hasLabel . "x" }}'), 'web ns map[app:web] map[] web false');
  assert.equal(r('{{ readyReplicas .children.deployment }} {{ desiredReplicas .children.deployment }} {{ allReplicasReady .children.deployment }} {{ rolloutComplete .children.deployment }}'), '2 3 false true');
  assert.equal(r('{{ hasCondition . "Ready" }} {{ conditionReason . "Ready" }} {{ isSynced . }} {{ jobFailed .children.job }} {{ phase . }} {{ phase .nope }}'), 'true Up true false Running');
  assert.equal(r('{{ getStatus . "phase" }} {{ hasStatus . "phase" }} {{ resourceExists .children.nope }}'), 'Running true false');
});

test('strings, collections, data, conditional', () => {
  assert.equal(r('{{ upper "a" }} {{ lower "B" }} {{ title "hi there" }} {{ trim "  x  " }} {{ trim "xxhixx" "x" }} {{ quote "a" }} {{ squote "b" }} {{ cat "a" 1 }}'), 'A b Hi There x hi "a" \'b\' a 1');
  assert.equal(r('{{ indent 2 "a\\nb" }}'), 'a\n  b');
  assert.equal(r('{{ nindent 2 "a" | printf "%q" }}'), '"\\n  a"');
  assert.equal(r('{{ substr 1 3 "hello" }} {{ trunc 2 "hello" }} {{ truncate "hello" 2 }} {{ slugify "Hello World!" }} {{ truncateName "abcdef" 3 }}'), 'el he he... hello-world abc');
  assert.equal(r('{{ list 1 2 | first }} {{ last (list 1 2) }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ append (list 1) 2 }} {{ prepend (list 1) 0 }} {{ uniq (list 1 1 2) }} {{ has 2 (list 1 2) }} {{ compact (list "" "a") }} {{ reverse (list 1 2) }} {{ sortAlpha (list "b" "a") }}'), '1 2 [2 3] [1 2] [1 2] [0 1] [1 2] true [a] [2 1] [a b]');
  assert.equal(r('{{ $d := dict "a" 1 "b" 2 }}{{ set $d "c" 3 | keys }} {{ values $d }} {{ hasKey $d "a" }} {{ pick $d "a" }} {{ omit $d "a" }} {{ unset $d "a" }}'), '[a b c] [1 2 3] true map[a:1] map[b:2 c:3] map[b:2 c:3]');
  assert.equal(r('{{ merge (dict "a" 1) (dict "a" 2 "b" 3) }} {{ mapKeys (dict "z" 1 "a" 2) }} {{ listGet (list 1 2) 5 }}|{{ listLen "x" }} {{ mapGet (dict "a" 1) "a" }}'), 'map[a:1 b:3] [a z] |0 1');
  assert.equal(r('{{ toBase64 "hi" }} {{ fromBase64 "aGk=" }} {{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ toJSON (dict "a" "<") }} {{ toJson (dict "a" "<") }}'), 'aGk= hi aGk= hi {"a":"<"} {"a":"\\u003c"}');
  assert.equal(r('{{ (fromJson "{\\"a\\":1}").a }} {{ (fromYaml "a: [1, 2]").a }} {{ toYaml (dict "b" (list 1 "x") "a" 1) }}'), '1 [1 2] a: 1\nb:\n- 1\n- x');
  assert.equal(r('{{ coalesce "" .nope "c" }} {{ empty "" }} {{ notEmpty 1 }} {{ boolTernary true 1 2 }} {{ eqTernary "a" "a" 1 2 }} {{ lookup "b" "a" 1 "b" 2 }}'), 'c true true 1 1 2');
  assert.equal(r('{{ sha1sum "hello" }} {{ regexMatch "^a.c$" "abc" }} {{ regexFind "\\\\d+" "ab12c" }} {{ regexReplaceAll "(\\\\w)(\\\\d)" "a1 b2" "${2}$1" }} {{ regexSplit "," "a,b" -1 }}'), 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d true 12 1a 2b [a b]');
  assert.equal(r('{{ domainHost "https://www.example.com/" }} {{ domainBare "http://www.example.com" }} {{ repoSlug "https://github.com/org/My.Repo.git" }}'), 'www.example.com example.com my-repo');
});

test('types, math, quantity, semver, validation', () => {
  assert.equal(r('{{ typeOf 1 }} {{ typeOf "s" }} {{ typeOf (list) }} {{ typeOf .nope }} {{ toInt "3.9" }} {{ toFloat "2.5" }} {{ toBool "yes" }} {{ toList "a, b" }}'), 'number string slice null 3 2.5 true [a b]');
  assert.equal(r('{{ int "42" }} {{ int64 3.9 }} {{ float64 "2.5" }} {{ atoi "7" }} {{ floor 1.5 }} {{ ceil 1.2 }} {{ round 1.555 2 }} {{ abs -3 }} {{ clamp 15 0 10 }}'), '42 3 2.5 7 1 2 1.56 3 10');
  assert.equal(r('{{ parseQuantity "100m" }} {{ parseQuantity "1Gi" }} {{ formatQuantity 0.1 }} {{ formatQuantity 1073741824 }} {{ sumQuantity "1Gi" "1Gi" }}'), '0.1 1073741824 100m 1Gi 2Gi');
  assert.equal(r('{{ semverValid "1.2.3" }} {{ semverMajor "v2.3.4" }} {{ semverBump "1.2.3-rc.1" "minor" }} {{ (semver "1.2.3").Minor }}'), 'true 2 1.3.0 2');
  assert.equal(r('{{ isDNS1123Subdomain "a.b-c" }} {{ isValidLabelValue "" }} {{ isValidPort 70000 }} {{ isValidURL "https://x.io" }} {{ isValidEmail "a@b.io" }} {{ isValidJSON "{" }}'), 'true true false true true false');
});

test('cron and time helpers (UTC, injectable clock)', () => {
  assert.equal(r('{{ cronNormalize " @hourly " }} {{ cronNormalize "bad" }} {{ cronExpr "0" "" "1" "" "" }} {{ cronField "1 2 3 4 5" 2 }} {{ cronHour "1 2 3 4 5" }}'), '0 * * * * * * * * * 0 * 1 * * 3 2');
  assert.equal(r('{{ cronValid "*/5 * * * *" }} {{ cronValid "61 * * * *" }} {{ cronDescribe "0 3 * * *" }}'), 'true false every day at 03:00');
  assert.equal(r('{{ nextCron "0 0 * * *" }} {{ nextCron "*/15 * * * *" }} {{ nextCron "bad" }}'), '2026-03-05T00:00:00Z 2026-03-04T05:15:00Z');
  assert.equal(r('{{ date "2006-01-02 15:04" now }} {{ timeSince "2026-03-04T05:06:00Z" }} {{ timeAgo "2026-03-04T04:06:07Z" }} {{ weekday }}'), '2026-03-04 05:06 7 1h ago Wednesday');
  assert.equal(r('{{ durationSeconds "1h30m" }} {{ durationSeconds "2d" }} {{ durationAdd "1h" "30m" }} {{ durationValid "5x" }} {{ duration 3661 }}'), '5400 172800 1h30m0s false 1h1m1s');
  assert.equal(r('{{ timeInWindow "05:00" "06:00" }} {{ timeNotInWindow "22:00" "02:00" }} {{ isExpired "2026-03-04T05:00:00Z" "5m" }}'), 'true true true');
});

test('random functions: seeded per CR, distinct per call site', () => {
  const t = compile('{{ randomHex 4 }} {{ randomBase64 6 }} {{ uuidv4 }}');
  const a = t.render({}, { random: seededRandom('cr-uid') });
  assert.equal(a, t.render({}, { random: seededRandom('cr-uid') }));
  assert.match(a, /^[0-9a-f]{8} [A-Za-z0-9_-]{8} [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
