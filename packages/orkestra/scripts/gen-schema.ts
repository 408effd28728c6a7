// Regenerates packages/orkestra/schema/katalog.schema.json from the Katalog's zod schema.
// Usage: node packages/orkestra/scripts/gen-schema.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { katalogJsonSchema } from '../src/katalog/jsonschema.ts';

const target = fileURLToPath(new URL('../schema/katalog.schema.json', import.meta.url));
const text = JSON.stringify(katalogJsonSchema(), null, 2) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error(`${target} is out of date; run: node packages/orkestra/scripts/gen-schema.ts`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
