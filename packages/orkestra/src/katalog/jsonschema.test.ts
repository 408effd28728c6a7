import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { katalogJsonSchema } from './jsonschema.ts';
import { parseYamlFile } from './source.ts';

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const committed = fileURLToPath(new URL('../../schema/katalog.schema.json', import.meta.url));

/**
 * Malformed fixtures the JSON Schema cannot reject, and why: it checks structure only. Template
 * syntax, cross-field rules, duplicates across entries, files, the environment and typo detection
 * among provider names need the loader.
 */
const BEYOND_JSON_SCHEMA: Record<string, string> = {
  'anyof-and-or.yaml': 'two keys that exclude each other (loader rule)',
  'condition-missing-field.yaml': 'field-or-time-form rule',
  'conversion-unknown-version.yaml': 'versions compared across fields',
  'crdfile-missing.yaml': 'file system',
  'cross-missing-crd.yaml': 'crd-or-labelSelector rule',
  'duplicate-conversion-path.yaml': 'duplicate across list items',
  'duplicate-crd-across-documents.yaml': 'duplicate across documents',
  'duplicate-crd-list.yaml': 'duplicate across list items',
  'duplicate-hook-eras.yaml': 'same concept in two eras\' spellings',
  'duplicate-provider.yaml': 'duplicate across list items',
  'foreach-as-reserved.yaml': 'names the template data holds (loader rule)',
  'foreach-on-delete.yaml': 'where a key sits (loader rule)',
  'missing-apitypes.yaml': 'apiTypes-or-crdFile rule',
  'missing-env-required-provider.yaml': 'environment',
  'mutation-default-and-override.yaml': 'exclusive keys (loader rule)',
  'mutation-field-template.yaml': 'a template in a string field (loader rule)',
  'operator-needs-value.yaml': 'operator-dependent value',
  'provider-declaration-two-keys.yaml': 'one key per provider declaration',
  'template-bad-pipeline.yaml': 'template syntax',
  'template-escaped-quotes-offset.yaml': 'template syntax',
  'template-in-block-scalar.yaml': 'template syntax',
  'template-in-condition-field.yaml': 'template syntax',
  'template-misspelt-function.yaml': 'template syntax',
  'template-unclosed-action.yaml': 'template syntax',
  'template-unexpected-end.yaml': 'template syntax',
  'typo-provider-block-hook.yaml': 'any list under a hook may be a provider block',
  'workers-out-of-range.yaml': 'range on a number-or-template field',
  'workers-template.yaml': 'templates are accepted for integers in general',
};

function documents(dir: string, f: string): unknown[] | undefined {
  const parsed = parseYamlFile(dir + f, readFileSync(dir + f, 'utf8'));
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return undefined; // YAML-level: no JSON to check
  return parsed.docs.map((d) => d.toJS() as unknown).filter((x) => x !== null && x !== undefined);
}

test('the committed JSON Schema is up to date (node packages/orkestra/scripts/gen-schema.ts)', () => {
  assert.equal(readFileSync(committed, 'utf8'), JSON.stringify(katalogJsonSchema(), null, 2) + '\n');
});

test('ajv: the JSON Schema accepts every valid fixture and rejects the structurally wrong ones', () => {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(committed, 'utf8')) as object);
  for (const f of readdirSync(testdata + 'valid').filter((x) => x.endsWith('.yaml'))) {
    const docs = documents(testdata + 'valid/', f)!;
    for (const d of docs) assert.ok(validate(d), `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
  const accepted: string[] = [];
  let rejected = 0;
  for (const f of readdirSync(testdata + 'invalid').filter((x) => x.endsWith('.yaml')).sort()) {
    const docs = documents(testdata + 'invalid/', f);
    if (docs === undefined) continue;
    if (docs.every((d) => validate(d))) accepted.push(f);
    else rejected++;
  }
  assert.deepEqual(accepted, Object.keys(BEYOND_JSON_SCHEMA).sort());
  assert.ok(rejected >= 50, `only ${rejected} malformed fixtures rejected`);
});
