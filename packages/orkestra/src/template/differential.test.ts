// Differential tests: the corpus (testdata/corpus.txt × testdata/data/*.json × modes) and a seeded
// random generator must agree byte for byte with Go's text/template (+ sprig) run by the oracle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agrees, runGo, runTs, type Case, type Mode } from './oracle.test-helper.ts';
import { generateCases } from './testdata/generator.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Corpus lines may end with "  #diff:MODE[,MODE]" for documented intentional differences. */
function loadCorpus(): Case[] {
  const lines = readFileSync(join(here, 'testdata/corpus.txt'), 'utf8').split('\n');
  const dataDir = join(here, 'testdata/data');
  const data = readdirSync(dataDir).sort().map((f) => [f, JSON.parse(readFileSync(join(dataDir, f), 'utf8')) as unknown] as const);
  const cases: Case[] = [];
  lines.forEach((line, i) => {
    let raw = line;
    if (raw === '' || raw.startsWith('# ')) return;
    const crOnly = raw.startsWith('@cr ');
    if (crOnly) raw = raw.slice(4);
    const m = /^(.*?)  #diff:([a-z,]+)$/.exec(raw);
    const skip = new Set(m ? m[2]!.split(',') : []);
    const template = (m ? m[1]! : raw).replaceAll('⏎', '\n');
    for (const [file, d] of data) {
      if (crOnly && file !== 'cr.json') continue;
      for (const mode of ['katalog', 'default', 'zero', 'error'] as Mode[]) {
        if (skip.has(mode) || skip.has('all')) continue;
        if ((mode === 'zero' || mode === 'error') && file !== 'cr.json') continue;
        cases.push({ id: `corpus:${i + 1}:${file}:${mode}`, template, data: d, mode });
      }
    }
  });
  return cases;
}

function compare(cases: Case[], label: string): void {
  const go = runGo(cases);
  const failures: string[] = [];
  for (const c of cases) {
    const g = go.get(c.id)!;
    const t = runTs(c);
    if (!agrees(t, g, c.mode)) {
      failures.push(`${c.id} (${label})\n  template: ${JSON.stringify(c.template)}\n  go: ${JSON.stringify(g)}\n  ts: ${JSON.stringify(t)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${cases.length} cases differ from Go:\n${failures.slice(0, 80).join('\n')}`);
}

test('corpus agrees with Go text/template + sprig', () => {
  const cases = loadCorpus();
  assert.ok(cases.length >= 400, `corpus has ${cases.length} cases`);
  compare(cases, 'corpus');
});

// Fixed seeds keep CI reproducible; TEMPLATE_FUZZ_SEED=random (or a number) explores further.
const FIXED_SEEDS = [1, 297_507, 424_242];

test('randomized templates agree with Go', () => {
  const env = process.env['TEMPLATE_FUZZ_SEED'];
  const seeds = env === undefined ? FIXED_SEEDS : [env === 'random' ? Date.now() % 1_000_000 : Number(env)];
  const count = Number(process.env['TEMPLATE_FUZZ_COUNT'] ?? 400);
  for (const seed of seeds) {
    try {
      compare(generateCases(seed, count), `seed ${seed}`);
    } catch (e) {
      console.error(`randomized template test failed; reproduce with TEMPLATE_FUZZ_SEED=${seed}`);
      throw e;
    }
  }
});
