// The vocabulary of kinds is one table (katalog/kinds.ts); the schema and the builders must cover
// exactly its kinds, so a kind cannot exist in one layer and be missing in another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCE_KINDS, RESOURCE_KIND_ALIASES, canonicalKind, kindOrder } from '../../katalog/kinds.ts';
import { RESOURCE_SCHEMAS } from '../../katalog/schema.ts';
import { RESOURCE_BUILDERS, resourceBuilder } from './index.ts';

test('every kind of the vocabulary has a schema and a builder, and nothing else does', () => {
  assert.deepEqual(Object.keys(RESOURCE_SCHEMAS).sort(), [...RESOURCE_KINDS].sort());
  assert.deepEqual([...RESOURCE_BUILDERS.keys()].sort(), [...RESOURCE_KINDS].sort());
});

test('every alias resolves to a builder of its canonical kind, and order follows the table', () => {
  for (const [alias, canon] of Object.entries(RESOURCE_KIND_ALIASES)) {
    assert.equal(canonicalKind(alias), canon);
    assert.equal(resourceBuilder(alias)?.key, canon, alias);
    assert.equal(kindOrder(alias), kindOrder(canon));
  }
  assert.ok(kindOrder('namespaces') < kindOrder('secrets') && kindOrder('secrets') < kindOrder('deployments') && kindOrder('deployments') < kindOrder('pods'));
  assert.equal(kindOrder('nonsense'), RESOURCE_KINDS.length);
  assert.equal(resourceBuilder('nonsense'), undefined);
});
