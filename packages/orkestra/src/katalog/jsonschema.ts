// The JSON Schema editors use (yaml-language-server), generated from the same zod schema the
// loader validates with; committed at packages/orkestra/schema/katalog.schema.json.
import { z } from 'zod';
import { katalogSchema } from './schema.ts';

export const KATALOG_SCHEMA_ID = 'https://orkestra.orkspace.io/schema/katalog.schema.json';

export function katalogJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(katalogSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: KATALOG_SCHEMA_ID,
    title: 'Orkestra Katalog',
    description: 'A Katalog declares Kubernetes operators: one operatorBox per CRD (kind: Katalog, apiVersion: orkestra.orkspace.io/v1).',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
